#!/usr/bin/env bash
# Proves two builds of the images behave the same, e.g. the Dockerfile build and the Jib build:
# starts the production stack once per tag (side by side), sends both the same requests and diffs status,
# Content-Type, ETag and body of every answer.
#   usage: docker/compare-images.sh TAG_A TAG_B
#   needs: whoknows/frontend:TAG and whoknows/backend-stub:TAG for both tags (built with one BUILD_VERSION)
#   env:   COMPARE_PORT (8410; TAG_B uses COMPARE_PORT+1)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || { echo "usage: $0 TAG_A TAG_B" >&2; exit 2; }
require_docker
tag_a=$1 tag_b=$2
port_a=${COMPARE_PORT:-8410}
port_b=$((port_a + 1))
project_a=wkcompare-a-$$
project_b=wkcompare-b-$$
out=$(mktemp -d)
trap 'down_all "$project_a" "$project_b"; rm -rf "$out" "$BODY_FILE" "$HEAD_FILE"' EXIT

for tag in "$tag_a" "$tag_b"; do
  for image in whoknows/frontend:"$tag" whoknows/backend-stub:"$tag"; do
    docker image inspect "$image" >/dev/null 2>&1 || fail "image $image does not exist: build it first"
  done
done

log "starting whoknows:$tag_a on :$port_a and whoknows:$tag_b on :$port_b"
TAG=$tag_a HOST_PORT_FRONTEND=$port_a compose "$project_a" up -d --no-build --quiet-pull >/dev/null 2>&1 &
up_a=$!
TAG=$tag_b HOST_PORT_FRONTEND=$port_b compose "$project_b" up -d --no-build --quiet-pull >/dev/null 2>&1 &
up_b=$!
wait "$up_a" || fail "could not start whoknows:$tag_a"
wait "$up_b" || fail "could not start whoknows:$tag_b"
for p in "$project_a" "$project_b"; do
  wait_healthy "$p" backend 90
  wait_healthy "$p" frontend 90
done

# capture PORT DIR: one file per request with status, content type, ETag and body
capture() {
  local port=$1 dir=$2 name method path status
  mkdir -p "$dir"
  while read -r name method path; do
    if [ "$method" = POST ]; then
      status=$(http POST "http://localhost:$port$path" -H 'Accept: application/json' \
               --data-urlencode username=demo --data-urlencode password=demo1234)
    else
      status=$(http GET "http://localhost:$port$path")
    fi
    {
      echo "status: $status"
      grep -i -E '^(content-type|etag):' "$HEAD_FILE" | tr -d '\r' | tr 'A-Z' 'a-z' | sort
      echo
      cat "$BODY_FILE"
    } >"$dir/$name"
  done <<'EOF'
health GET /api/health
page GET /
login-page GET /login
not-found GET /no-such-page
search GET /api/search?q=python
search-da GET /api/search?q=python&language=da
weather GET /api/weather
login POST /api/login
EOF
}
capture "$port_a" "$out/a"
capture "$port_b" "$out/b"

grep -q '^status: 200' "$out/a/health" || fail "whoknows:$tag_a /api/health: $(head -c 300 "$out/a/health")"
grep -q '^status: 200' "$out/a/search" || fail "whoknows:$tag_a /api/search: $(head -c 300 "$out/a/search")"
if ! diff -r "$out/a" "$out/b" >"$out/diff"; then
  log "FAIL: whoknows:$tag_a and whoknows:$tag_b answer differently:"
  head -n 60 "$out/diff"
  exit 1
fi
log "OK: whoknows:$tag_a and whoknows:$tag_b gave identical answers to $(ls "$out/a" | wc -l) requests ($(ls "$out/a" | tr '\n' ' '))"
