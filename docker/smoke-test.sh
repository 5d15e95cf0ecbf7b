#!/usr/bin/env bash
# Container smoke test, run by CI after the Maven tests (needs Docker with compose v2 and BuildKit).
#  1. builds both images from docker/Dockerfile and with Jib (same names, different tags) and checks they
#     start the JVM with the same flags and MALLOC_* variables,
#  2. production stack (Dockerfile images): healthy, a page, /api/health, a proxied search, a login,
#     whoknows/conformance --frontend against it (JUnit report in target/conformance/),
#     non-root + read-only root fs + no capabilities, `restart frontend` under light load -> healthy again,
#  3. docker/compare-images.sh: the Jib images answer exactly like the Dockerfile images,
#  4. dev stack on a throwaway copy of the repository, run as a non-root host user: a static/ edit and a
#     Java edit in each module become visible within a bound; nothing it writes is owned by root.
# Everything it starts (containers, networks, volumes, images with its tags) is removed, also on failure.
# Without Docker it says so and exits 0, unless CI is set or REQUIRE_DOCKER=true (then it fails).
# env: SMOKE_PORT (8400; uses the next few ports too), JIB_BASE_IMAGE (eclipse-temurin:21-jre)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
require_docker
export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1

port=${SMOKE_PORT:-8400}
dev_port=$((port + 1)) dev_backend_port=$((port + 2)) dev_debug_ports=($((port + 3)) $((port + 4)))
run_id=$$
prod=wksmoke-prod-$run_id
dev=wksmoke-dev-$run_id
tag_df=smoke-dockerfile-$run_id
tag_jib=smoke-jib-$run_id
tag_dev=smoke-dev-$run_id
version=smoke-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)
base_image=${JIB_BASE_IMAGE:-eclipse-temurin:21-jre}
work=$(mktemp -d /tmp/whoknows-smoke.XXXXXX)
load_pid=

cleanup() {
  local rc=$?
  set +e
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null; fi
  # shellcheck disable=SC2034 # read by down_all in docker/lib.sh
  if [ $rc -ne 0 ]; then SHOW_LOGS=true; fi
  down_all "$prod" "$dev"
  docker image rm -f "whoknows/frontend:$tag_df" "whoknows/backend-stub:$tag_df" \
    "whoknows/frontend:$tag_jib" "whoknows/backend-stub:$tag_jib" "whoknows/dev:$tag_dev" \
    "whoknows/conformance:$tag_df" >/dev/null 2>&1 || true
  rm -rf "$work" "$BODY_FILE" "$HEAD_FILE"
  if [ $rc -eq 0 ]; then log "PASSED"; else log "FAILED (exit $rc)"; fi
}
trap cleanup EXIT

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# ---------------------------------------------------------------------------------------------- builds
t=$(date +%s%N)
log "building whoknows/{frontend,backend-stub}:$tag_df from docker/Dockerfile"
TAG=$tag_df BUILD_VERSION=$version compose "$prod" build --quiet >"$work/build.log" 2>&1 ||
  { tail -n 40 "$work/build.log"; fail "docker compose build"; }
log "Dockerfile images built in $(ms_since "$t") ms"

docker image inspect "$base_image" >/dev/null 2>&1 || docker pull -q "$base_image" >/dev/null ||
  fail "Jib base image $base_image is not available"
t=$(date +%s%N)
log "building whoknows/{frontend,backend-stub}:$tag_jib with Jib (base docker://$base_image)"
(cd "$ROOT" && ./mvnw -B -ntp -q -Dstyle.color=never -pl frontend,backend-stub -am package jib:dockerBuild \
   -DskipTests -Djib.from.image="docker://$base_image" -Dimage.tag="$tag_jib" -Dbuild.version="$version" \
   >"$work/jib.log" 2>&1) || { tail -n 40 "$work/jib.log"; fail "Jib build"; }
log "Jib images built in $(ms_since "$t") ms"

# The JVM flags (Dockerfile ENTRYPOINT / Jib <jvmFlags>) and the JVM's environment (ENV / <environment>,
# MALLOC_*) are written down twice; they must not drift apart.
jvm_settings() {
  docker image inspect -f '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$1" | grep '^-X' || true
  docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$1" | grep '^MALLOC_' | sort || true
}
for module in frontend backend-stub; do
  a=$(jvm_settings "whoknows/$module:$tag_df") b=$(jvm_settings "whoknows/$module:$tag_jib")
  [ -n "$a" ] && [ "$a" = "$b" ] ||
    fail "whoknows/$module: JVM settings differ: Dockerfile image [$(echo $a)], Jib image [$(echo $b)]"
done
log "ok: Dockerfile and Jib images start the JVM with the same flags and MALLOC_* settings: $(echo $a)"

# ------------------------------------------------------------------------------------ production stack
t=$(date +%s%N)
TAG=$tag_df HOST_PORT_FRONTEND=$port compose "$prod" up -d --no-build >"$work/up.log" 2>&1 ||
  { cat "$work/up.log"; fail "docker compose up"; }
wait_healthy "$prod" backend 90
wait_healthy "$prod" frontend 90
log "production stack healthy in $(ms_since "$t") ms"
base=http://localhost:$port

status=$(http GET "$base/")
[ "$status" = 200 ] && grep -qi '<html' "$BODY_FILE" || fail "GET / answered $status: $(head -c 200 "$BODY_FILE")"
grep -qi '^content-type: text/html' "$HEAD_FILE" || fail "GET / is not text/html"
log "ok: GET / -> 200 text/html"

status=$(http GET "$base/api/health")
[ "$status" = 200 ] || fail "GET /api/health answered $status"
grep -q '"status" *: *"ok"' "$BODY_FILE" && grep -q "\"version\" *: *\"$version\"" "$BODY_FILE" ||
  fail "GET /api/health body lacks status ok / version $version: $(cat "$BODY_FILE")"
log "ok: GET /api/health -> $(cat "$BODY_FILE")"

status=$(http GET "$base/api/search?q=python")
[ "$status" = 200 ] && grep -q '"data" *: *\[ *{' "$BODY_FILE" ||
  fail "proxied GET /api/search?q=python answered $status: $(head -c 300 "$BODY_FILE")"
log "ok: proxied GET /api/search?q=python -> 200 with results"

status=$(http POST "$base/api/login" -H 'Accept: application/json' \
           --data-urlencode username=demo --data-urlencode password=demo1234)
[ "$status" = 200 ] && grep -q 'You were logged in' "$BODY_FILE" ||
  fail "POST /api/login demo/demo1234 answered $status: $(head -c 300 "$BODY_FILE")"
grep -qi '^set-cookie: session=' "$HEAD_FILE" || fail "login set no session cookie"
log "ok: POST /api/login (form, demo/demo1234) through the frontend -> 200 + session cookie"

status=$(http POST "$base/api/login" -H 'Accept: application/json' \
           --data-urlencode username=demo --data-urlencode password=wrong)
[ "$status" = 401 ] || fail "a wrong password answered $status, expected 401"

# whoknows/conformance (the contract checker) in --frontend mode against the production stack. Its JUnit
# report is kept in target/conformance/ (CONFORMANCE_REPORT_DIR), where the GitHub workflow uploads it from.
t=$(date +%s%N)
docker build -q -f "$ROOT/docker/Dockerfile" --build-arg MODULE=conformance -t "whoknows/conformance:$tag_df" "$ROOT" \
  >"$work/conformance-build.log" 2>&1 || { tail -n 40 "$work/conformance-build.log"; fail "conformance image build"; }
report_dir=${CONFORMANCE_REPORT_DIR:-$ROOT/target/conformance}
mkdir -p "$report_dir" "$work/conformance"
conform_rc=0
docker run --rm --network host --user "$(id -u):$(id -g)" -v "$work/conformance:/out" "whoknows/conformance:$tag_df" \
  --frontend --report /out/conformance.xml "$base" >"$work/conformance.log" 2>&1 || conform_rc=$?
cp "$work/conformance/conformance.xml" "$report_dir/" 2>/dev/null || true
[ "$conform_rc" = 0 ] || { cat "$work/conformance.log"; fail "whoknows/conformance --frontend $base: exit $conform_rc"; }
log "ok: whoknows/conformance --frontend: $(grep '^checks:' "$work/conformance.log") ($(ms_since "$t") ms with the image build)"

for service in frontend backend; do
  id=$(compose "$prod" ps -q "$service")
  uid=$(docker exec "$id" cat /proc/1/status | awk '/^Uid:/ {print $2}')
  caps=$(docker exec "$id" cat /proc/1/status | awk '/^CapEff:/ {print $2}')
  [ -n "$uid" ] && [ "$uid" != 0 ] || fail "$service runs as uid '$uid'"
  [ "$caps" = 0000000000000000 ] || fail "$service has capabilities $caps"
  [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$id")" = true ] || fail "$service root fs is writable"
  [ "$(docker inspect -f '{{len .HostConfig.CapAdd}}' "$id")" = 0 ] || fail "$service adds capabilities"
  docker inspect -f '{{.HostConfig.SecurityOpt}}' "$id" | grep -q no-new-privileges || fail "$service lacks no-new-privileges"
  docker exec "$id" sh -c 'echo x > /app/probe' 2>/dev/null && fail "$service could write to /app"
  log "ok: $service runs as uid $uid, no capabilities, read-only root fs, no-new-privileges"
done
[ "$(docker run --rm --entrypoint cat "whoknows/frontend:$tag_df" /app/VERSION)" = "$version" ] ||
  fail "/app/VERSION in whoknows/frontend:$tag_df is not $version"
docker image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "whoknows/frontend:$tag_df" |
  grep -qx "$version" || fail "org.opencontainers.image.version label is not $version"

# restart under light load: some requests fail while the frontend is down, then all succeed again
(while :; do curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 "$base/" || true; sleep 0.05; done) \
  >"$work/load.log" &
load_pid=$!
sleep 2
t=$(date +%s%N)
compose "$prod" restart frontend >/dev/null 2>&1 || fail "docker compose restart frontend"
wait_healthy "$prod" frontend 60
log "frontend healthy again $(ms_since "$t") ms after 'docker compose restart frontend' under load"
sleep 2
kill "$load_pid" && wait "$load_pid" 2>/dev/null || true
load_pid=
total=$(wc -l <"$work/load.log")
failed=$(grep -cv '^200$' "$work/load.log" || true)
tail -n 20 "$work/load.log" | grep -qv '^200$' && fail "requests still fail after the restart: $(tail -n 20 "$work/load.log" | sort | uniq -c | tr '\n' ' ')"
status=$(http GET "$base/api/search?q=python")
[ "$status" = 200 ] || fail "proxied search after the restart answered $status"
log "ok: $total requests during the restart, $failed failed while the frontend was down, the last 20 all 200"
down_all "$prod"

# ------------------------------------------------------------------------------ Dockerfile vs Jib images
COMPARE_PORT=$((port + 10)) "$ROOT/docker/compare-images.sh" "$tag_df" "$tag_jib"

# ------------------------------------------------------------------------------------------- dev stack
copy=$work/repo
mkdir -p "$copy"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy")
# Run as a normal user, as developers do; as root, pretend to be one (uid 4242) to catch root-owned files.
if [ "$(id -u)" = 0 ]; then dev_uid=4242 dev_gid=4242; chown -R "$dev_uid:$dev_gid" "$copy"; else dev_uid=$(id -u) dev_gid=$(id -g); fi
dev_compose() {
  TAG=$tag_dev HOST_UID=$dev_uid HOST_GID=$dev_gid HOST_PORT_FRONTEND=$dev_port HOST_PORT_BACKEND=$dev_backend_port \
    HOST_PORT_FRONTEND_DEBUG=${dev_debug_ports[0]} HOST_PORT_BACKEND_DEBUG=${dev_debug_ports[1]} \
    docker compose -p "$dev" --project-directory "$copy" -f "$copy/docker-compose.dev.yml" "$@"
}
t=$(date +%s%N)
log "starting the dev stack as uid $dev_uid (first start downloads dependencies into a fresh m2 volume)"
dev_compose build --quiet >"$work/dev-build.log" 2>&1 || { tail -n 40 "$work/dev-build.log"; fail "dev image build"; }
dev_compose up -d >"$work/dev-up.log" 2>&1 || { cat "$work/dev-up.log"; fail "dev stack up"; }
wait_healthy "$dev" backend 600 "initial build failed"
wait_healthy "$dev" frontend 600 "initial build failed"
log "dev stack healthy in $(ms_since "$t") ms"
dev_base=http://localhost:$dev_port

# wait_for URL TEXT BOUND_MS: polls until the body of URL contains TEXT; prints the time it took
wait_for() {
  local url=$1 text=$2 bound=$3 start
  start=$(date +%s%N)
  while (($(ms_since "$start") < bound)); do
    curl -s --max-time 2 "$url" 2>/dev/null | grep -qF "$text" && { ms_since "$start"; return 0; }
    sleep 0.1
  done
  fail "'$text' did not appear at $url within $bound ms"
}

marker="smoke-static-$run_id"
page=$copy/static/index.html
[ -f "$page" ] || fail "static/index.html is missing"
sed -i "s#</body>#<!-- $marker --></body>#" "$page"
grep -q "$marker" "$page" || echo "<!-- $marker -->" >>"$page"
ms=$(wait_for "$dev_base/" "$marker" 2000) || exit 1
log "ok: static edit visible after $ms ms (bound 2000 ms)"

# Java edits: the service name each health handler reports, the one literal both /api/health answers show
java_edit() {
  local module=$1 literal=$2 replacement=$3 file
  file=$(grep -rlF --include='*.java' "\"$literal\"" "$copy/$module/src/main/java" | head -n1)
  [ -n "$file" ] || fail "no Java file in $module has the literal \"$literal\" (the smoke test edits it)"
  sed -i "s#\"$literal\"#\"$replacement\"#" "$file"
}
java_edit frontend frontend "frontend-$run_id"
ms=$(wait_for "$dev_base/api/health" "frontend-$run_id" 15000) || exit 1
log "ok: frontend Java edit served after $ms ms (bound 15000 ms)"
java_edit backend-stub backend-stub "backend-stub-$run_id"
ms=$(wait_for "http://localhost:$dev_backend_port/api/health" "backend-stub-$run_id" 15000) || exit 1
log "ok: backend-stub Java edit served after $ms ms (bound 15000 ms)"

status=$(http GET "$dev_base/api/search?q=python")
[ "$status" = 200 ] || fail "dev stack: proxied search answered $status"
root_owned=$(find "$copy" -user 0 | head -n 5)
[ "$(id -u)" != 0 ] || [ -z "$root_owned" ] || fail "the dev stack left root-owned files: $root_owned"
[ -d "$copy/frontend/target/classes" ] && [ "$(stat -c %u "$copy/frontend/target/classes")" = "$dev_uid" ] ||
  fail "frontend/target/classes is not owned by uid $dev_uid"
log "ok: files the dev stack wrote belong to uid $dev_uid"
