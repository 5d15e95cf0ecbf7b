#!/bin/bash
# Class-data training run, at image build time (docker/Dockerfile's `train` stage, and the Jib build's
# docker/aot/jib-train.sh, which runs it in a container of the Jib base image):
#   1. starts the service with -XX:AOTCacheOutput=OUT and the image's own flags (@/app/jvm.options),
#      classpath and working directory, so the cache matches the JVM and classpath it is used with,
#   2. for the frontend (and the conformance checker), starts the stub backend (STUB_JAR) on loopback
#      too (beside the frontend, which calls it only when asked; before the checker, which needs it),
#   3. exercises what users hit first, once (TRAIN_ROUNDS): pages, assets, a proxied search, a login
#      (form and JSON), the API the pages call, a 404, /api/health. Not /api/metrics: its JVM
#      instrumentation (~500 JMX classes) is registered at the first scrape, and in the cache every
#      start would preload it. One round gives the same classes as three; more rounds only add method
#      profiles and cost every rebuild ~7 s each (bench/NOTES.md),
#   4. sends SIGTERM: the JVM exits through its normal shutdown and writes the AOT cache (JEP 483/514).
# Bash only, no other program (the runtime image has bash and the JVM, not even coreutils): HTTP over
# /dev/tcp, like /app/healthcheck.sh.
#   usage: train.sh MODULE OUT -- JAVA_LAUNCH_ARGS...   (e.g. -- -jar /app/app.jar)
#   env:   STUB_JAR (frontend and checker: the stub's jar, its lib/ beside it), STUB_AOT (optional: an AOT
#          cache for the stub at that path; docker/Dockerfile's `partner` stage makes one), JAVA (java),
#          TRAIN_ROUNDS (1)
set -euo pipefail
module=$1 out=$2
shift 2
[ "${1:-}" = -- ] && shift
java=${JAVA:-java}
port=18080 stub_port=15050
log() { echo "[aot-train $module] $*" >&2; }
show() { local l; while IFS= read -r l; do echo "  $l"; done <"$1" >&2; }
# nap SECONDS: sleep without /bin/sleep (a read that times out on a pipe nobody writes to)
coproc NAPPER { read -r _; }
nap() { read -r -t "$1" -u "${NAPPER[0]}" _ || true; }

# req METHOD PATH [FORM_BODY [CONTENT_TYPE]]: prints the status code; drains the answer
req() {
  local method=$1 path=$2 body=${3:-} type=${4:-application/x-www-form-urlencoded} status
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  if [ -n "$body" ]; then
    printf '%s %s HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nAccept-Encoding: gzip\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
      "$method" "$path" "$type" "${#body}" "$body" >&3
  else
    printf '%s %s HTTP/1.1\r\nHost: localhost\r\nAccept: text/html,*/*\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n' \
      "$method" "$path" >&3
  fi
  IFS=$' \r' read -r -t 10 _ status _ <&3 || status=000
  while read -r -t 10 _ <&3; do :; done
  exec 3<&-
  echo "$status"
}

# wait_up PORT PID: until /api/health answers 200 (60 s)
wait_up() {
  local p=$1 pid=$2 saved=$port
  port=$p
  for ((i = 0; i < 600; i++)); do
    kill -0 "$pid" 2>/dev/null || { port=$saved; return 1; }
    if [ "$(req GET /api/health 2>/dev/null)" = 200 ]; then port=$saved; return 0; fi
    nap 0.05
  done
  port=$saved
  return 1
}

stub_pid=
if [ "$module" = frontend ] || [ "$module" = conformance ]; then
  [ -f "${STUB_JAR:-}" ] || { log "STUB_JAR (the stub backend's jar) is needed for the proxied requests"; exit 2; }
  # With an AOT cache of its own (STUB_AOT, made for this path by a training run of the stub) the stub
  # runs as in its image; without one C1 alone starts it sooner and runs its PBKDF2 logins faster.
  if [ -n "${STUB_AOT:-}" ]; then
    [ -s "$STUB_AOT" ] || { log "STUB_AOT=$STUB_AOT: no such cache"; exit 2; }
    stub_flags=(@/app/jvm.options -XX:AOTCache="$STUB_AOT")
  else
    stub_flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)
  fi
  BACKEND_INTERNAL_PORT=$stub_port LOG_LEVEL=warn "$java" "${stub_flags[@]}" \
    -jar "$STUB_JAR" >/tmp/aot-train-stub.log 2>&1 &
  stub_pid=$!
  trap 'kill "$stub_pid" 2>/dev/null || true; kill "$NAPPER_PID" 2>/dev/null || true' EXIT
  # the frontend starts beside it (it does not call the backend until asked); the checker waits for it
  stub_up() {
    wait_up "$stub_port" "$stub_pid" || { show /tmp/aot-train-stub.log; log "the stub did not start"; exit 1; }
    # a cache the JVM cannot use only makes the training slower: say so, and why
    local l
    while IFS= read -r l; do
      [[ $l == *"][aot"* || $l == *"][cds"* ]] && log "the stub's STUB_AOT cache: $l"
    done </tmp/aot-train-stub.log
    return 0
  }
  [ "$module" = frontend ] || stub_up
  export BACKEND_URL=http://127.0.0.1:$stub_port FRONTEND_INTERNAL_PORT=$port
else
  port=$stub_port
  export BACKEND_INTERNAL_PORT=$port
fi

if [ "$module" = conformance ]; then
  # a command, not a service: one full check of the stub is the training; the JVM writes the cache as
  # it exits (whatever the verdict: a failing check still loads the same classes)
  log "training run: $java @/app/jvm.options -XX:AOTCacheOutput=$out $* http://127.0.0.1:$stub_port"
  rc=0
  "$java" @/app/jvm.options -XX:AOTCacheOutput="$out" "$@" "http://127.0.0.1:$stub_port" >/tmp/aot-train-app.log 2>&1 || rc=$?
  log "the checker exited with $rc"
  [ -s "$out" ] || { show /tmp/aot-train-app.log; log "no AOT cache written to $out"; exit 1; }
  log "wrote $out"
  exit 0
fi

log "training run: $java @/app/jvm.options -XX:AOTCacheOutput=$out $*"
LOG_LEVEL=info "$java" @/app/jvm.options -XX:AOTCacheOutput="$out" "$@" >/tmp/aot-train-app.log 2>&1 &
app_pid=$!
[ "$module" != frontend ] || stub_up
wait_up "$port" "$app_pid" || { show /tmp/aot-train-app.log; log "the service did not start"; exit 1; }

if [ "$module" = frontend ]; then
  paths="/ /?q=python /search?q=python /login /register /weather /about /no-such-page /index.html
         /static/css/style.css /static/js/search.js /api/search?q=python /api/search?q=java&language=da
         /api/weather /api/session /api/ready /api/health"
else
  paths="/api/health /api/search?q=python /api/search?q=java&language=da /api/weather /api/session
         /api/ready /no-such-path"
fi
total=0 ok=0
count() { total=$((total + 1)); [[ $1 == 2* ]] && ok=$((ok + 1)); return 0; }
for ((round = 0; round < ${TRAIN_ROUNDS:-1}; round++)); do
  for p in $paths; do count "$(req GET "$p")"; done
  count "$(req POST /api/login 'username=demo&password=demo1234')"
  count "$(req POST /api/login 'username=demo&password=wrong')"
  count "$(req POST /api/login '{"username":"demo","password":"demo1234"}' application/json)"
  count "$(req POST /api/register 'username=x&email=bad&password=1&password2=2')"
  count "$(req POST /api/logout '')"
done
log "$total requests, $ok answered 2xx; SIGTERM"
((ok > 0)) || { show /tmp/aot-train-app.log; log "no request succeeded"; exit 1; }

kill -TERM "$app_pid"
rc=0
wait "$app_pid" || rc=$?
# 143 = terminated by SIGTERM after the shutdown hooks ran: the normal way this service stops
if [ "$rc" != 0 ] && [ "$rc" != 143 ]; then show /tmp/aot-train-app.log; log "exit $rc"; exit 1; fi
[ -s "$out" ] || { show /tmp/aot-train-app.log; log "no AOT cache written to $out"; exit 1; }
while IFS= read -r line; do
  [[ $line == *"AOTCache creation is complete"* || $line == *"[error]"* ]] && log "$line"
done </tmp/aot-train-app.log
log "wrote $out"
