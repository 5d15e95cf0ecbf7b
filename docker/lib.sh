# shellcheck shell=bash
# Shared by docker/smoke-test.sh and docker/compare-images.sh (sourced, not run).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf '[%s %s] %s\n' "$(basename "$0" .sh)" "$(date +%T)" "$*"; }
# to stderr, so that a check run as $(check ...) still shows why it failed; a caller must assign such a
# check's output (summary=$(check ...)): inside "log ... $(check ...)" its exit would not stop the script
fail() { log "FAIL: $*" >&2; exit 1; }

# compose PROJECT ARGS...: the production stack of this repository under its own project name
# (COMPOSE_OVERRIDE=FILE adds an override file, e.g. extra JVM logging)
compose() {
  local project=$1
  shift
  docker compose -p "$project" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" \
    ${COMPOSE_OVERRIDE:+-f "$COMPOSE_OVERRIDE"} "$@"
}

# aot_override FILE: a compose override that makes both services log the AOT cache and every class
# load (source: "shared objects file" = taken from the cache) to stdout
aot_override() {
  printf '%s\n' 'services:' '  backend:' '    environment:' \
    '      JAVA_TOOL_OPTIONS: "-Xlog:aot=info,cds=info,class+load=info:stdout"' '  frontend:' '    environment:' \
    '      JAVA_TOOL_OPTIONS: "-Xlog:aot=info,cds=info,class+load=info:stdout"' >"$1"
}

# prove_aot PROJECT SERVICE: the container of a stack started with aot_override opened /app/app.aot,
# logged no AOT/CDS warning or error, and took >= 90 % of the classes it has loaded so far (start-up
# and the requests the caller sent) from the cache. Prints a summary line.
prove_aot() {
  local project=$1 service=$2 id logs total shared bad
  id=$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$service" | head -n1)
  [ -n "$id" ] || fail "$project/$service: no container"
  logs=$(docker logs "$id" 2>&1)
  grep -q 'Opened AOT cache /app/app.aot' <<<"$logs" || fail "$project/$service did not open /app/app.aot: $(grep -E '\[(aot|cds)' <<<"$logs" | head -n 5)"
  bad=$(grep -E '\[(warning|error)\]\[(aot|cds)' <<<"$logs" | head -n 5 || true)
  [ -z "$bad" ] || fail "$project/$service: the JVM complained about the AOT cache: $bad"
  total=$(grep -c 'source: ' <<<"$logs" || true)
  shared=$(grep -c 'source: shared objects file' <<<"$logs" || true)
  ((total > 0 && shared * 100 >= total * 90)) ||
    fail "$project/$service: only $shared of $total classes came from the AOT cache"
  [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$id")" = true ] || fail "$project/$service: root fs is writable"
  echo "$service: AOT cache opened, no AOT/CDS warnings, $shared of $total classes loaded so far came from it (read-only root fs)"
}

# stale_jar_refused IMAGE WORKDIR: the image's JVM refuses its AOT cache once the app jar is not the
# one the cache was made from (here: the same bytes, another date) and starts without it. Java 25.0.3
# and older did not check the jars (JDK-8377932, fixed in 25.0.4): they ran the cache's old classes
# from a changed jar without a word, so a base image with such a JVM fails here. Prints a summary.
stale_jar_refused() {
  local image=$1 dir=$2/stale-jar id logs healthy=false
  mkdir -p "$dir"
  id=$(docker create "$image") && docker cp "$id:/app/app.jar" "$dir/app.jar" >/dev/null && docker rm "$id" >/dev/null ||
    fail "$image: could not copy /app/app.jar out"
  touch -d @1 "$dir/app.jar" && chmod 0644 "$dir/app.jar"
  id=$(docker run -d --read-only --tmpfs /tmp -e BACKEND_URL=http://127.0.0.1:9 \
    -v "$dir/app.jar:/app/app.jar:ro" "$image") || fail "$image: did not start with a changed jar"
  for _ in $(seq 100); do
    if docker exec "$id" /app/healthcheck.sh >/dev/null 2>&1; then healthy=true; break; fi
    sleep 0.2
  done
  logs=$(docker logs "$id" 2>&1)
  docker rm -f "$id" >/dev/null
  $healthy || fail "$image: not healthy with a changed jar: $(tail -n 5 <<<"$logs")"
  grep -q 'shared class paths mismatch' <<<"$logs" ||
    fail "$image: the JVM did not refuse its AOT cache for a changed jar, so it may run the cache's old classes (JDK-8377932: needs Java 25.0.4 or later)"
  echo "$image: a changed app jar makes the JVM refuse the AOT cache ('shared class paths mismatch') and start without it"
}

# down_all PROJECT...: remove containers, networks and volumes; print logs first when asked
down_all() {
  local p
  for p in "$@"; do
    [ -n "$(docker ps -aq --filter "label=com.docker.compose.project=$p")" ] || continue
    if [ "${SHOW_LOGS:-false}" = true ]; then
      docker compose --ansi never -p "$p" logs --no-color --tail 60 2>&1 | sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' -e "s/^/  [$p] /" || true
    fi
    docker compose -p "$p" down -v --remove-orphans --timeout 10 >/dev/null 2>&1 || true
  done
}

# http METHOD URL [curl args...]: prints "STATUS" and leaves body in $BODY_FILE, headers in $HEAD_FILE
BODY_FILE=$(mktemp)
HEAD_FILE=$(mktemp)
http() {
  local method=$1 url=$2
  shift 2
  : >"$BODY_FILE"
  : >"$HEAD_FILE"
  # on a connection failure curl itself prints 000
  curl -s -X "$method" -o "$BODY_FILE" -D "$HEAD_FILE" -w '%{http_code}' --max-time 10 "$@" "$url" || true
}

# wait_healthy PROJECT SERVICE SECONDS [GIVE_UP_TEXT]: waits for Docker's health status "healthy";
# fails at once when the container's log shows GIVE_UP_TEXT
wait_healthy() {
  local project=$1 service=$2 bound=$3 give_up=${4:-} id status
  local deadline=$((SECONDS + bound))
  while ((SECONDS < deadline)); do
    id=$(docker ps -q --filter "label=com.docker.compose.project=$project" \
                     --filter "label=com.docker.compose.service=$service" | head -n1)
    status=$([ -n "$id" ] && docker inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || echo missing)
    [ "$status" = healthy ] && return 0
    if [ -n "$give_up" ] && [ -n "$id" ] && docker logs "$id" 2>&1 | grep -qF "$give_up"; then
      fail "$project/$service: $give_up"
    fi
    sleep 1
  done
  fail "$project/$service not healthy within ${bound}s (last status: ${status:-unknown})"
}

# require_docker: exits 0 with a message when Docker is missing outside CI, 1 in CI
require_docker() {
  if docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    return 0
  fi
  rm -f "$BODY_FILE" "$HEAD_FILE"
  if [ -n "${CI:-}" ] || [ "${REQUIRE_DOCKER:-false}" = true ]; then
    fail "no Docker engine with the compose plugin is reachable (docker info / docker compose version failed)"
  fi
  log "SKIPPED: no Docker engine with the compose plugin is reachable; install Docker to run this (CI requires it)"
  exit 0
}
