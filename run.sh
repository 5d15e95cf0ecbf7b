#!/usr/bin/env bash
# Runs WhoKnows locally with nothing but a JDK 17+ (and bash): builds the jars when needed, starts the
# stub backend and the frontend, prints where to go once both answer /api/health, and stops both on
# Ctrl-C or SIGTERM. Exits non-zero with a message when either service cannot start or stops.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  cat <<'EOF'
Usage: ./run.sh [--help]

Builds the frontend and the stub backend when their sources changed (./mvnw package, progress shown),
starts the stub on BACKEND_INTERNAL_PORT and the frontend on FRONTEND_INTERNAL_PORT, and prints
"WhoKnows is running" once both answer /api/health. Ctrl-C or SIGTERM stops both.

Environment (all optional):
  BACKEND_INTERNAL_PORT   port of the stub backend                    (5050)
  FRONTEND_INTERNAL_PORT  port of the frontend                        (8080)
  BACKEND_URL             where the frontend sends /api/*             (http://localhost:$BACKEND_INTERNAL_PORT)
  STATIC_DIR              the pages the frontend serves               (./static, edits show on reload)
  RUN_START_TIMEOUT_S     how long each service may take to answer    (60)
  Every other variable of the frontend and the stub (see README.md) is passed through.

Exit status: 0 after Ctrl-C/SIGTERM, 1 when the build fails, a port is taken, or a service does
not start or stops on its own.
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) echo "run.sh: unknown argument '$1' (see ./run.sh --help)" >&2; exit 2 ;;
esac

say() { printf 'run.sh: %s\n' "$*"; }
fail() { printf 'run.sh: error: %s\n' "$*" >&2; exit 1; }

frontend_jar=frontend/target/frontend-1.0.0-SNAPSHOT.jar
stub_jar=backend-stub/target/backend-stub-1.0.0-SNAPSHOT.jar

export BACKEND_INTERNAL_PORT="${BACKEND_INTERNAL_PORT:-5050}"
export FRONTEND_INTERNAL_PORT="${FRONTEND_INTERNAL_PORT:-8080}"
export BACKEND_URL="${BACKEND_URL:-http://localhost:$BACKEND_INTERNAL_PORT}"
export STATIC_DIR="${STATIC_DIR:-$PWD/static}"
start_timeout="${RUN_START_TIMEOUT_S:-60}"
for pair in "BACKEND_INTERNAL_PORT=$BACKEND_INTERNAL_PORT" "FRONTEND_INTERNAL_PORT=$FRONTEND_INTERNAL_PORT" \
  "RUN_START_TIMEOUT_S=$start_timeout"; do
  [[ "${pair#*=}" =~ ^[0-9]+$ && "${pair#*=}" -ge 1 && "${pair#*=}" -le 65535 ]] ||
    fail "${pair%%=*} must be a whole number from 1 to 65535 (got '${pair#*=}')"
done
[[ "$BACKEND_INTERNAL_PORT" != "$FRONTEND_INTERNAL_PORT" ]] ||
  fail "BACKEND_INTERNAL_PORT and FRONTEND_INTERNAL_PORT are both $BACKEND_INTERNAL_PORT: give them different ports"

# Something already listening on the port (often the team's own backend on 5050)?
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Answers GET /api/health on the port with 200? (curl when there is one, else bash's /dev/tcp)
healthy() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$1/api/health" 2>/dev/null
    return
  fi
  local answer
  answer=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" &&
    printf 'GET /api/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 && head -c 12 <&3) 2>/dev/null) || return 1
  [[ "$answer" == "HTTP/1."?" 200" ]]
}
port_taken "$BACKEND_INTERNAL_PORT" && fail "port $BACKEND_INTERNAL_PORT is already in use (something else" \
  "listens there, perhaps your own backend): stop it, or set BACKEND_INTERNAL_PORT to another port"
port_taken "$FRONTEND_INTERNAL_PORT" && fail "port $FRONTEND_INTERNAL_PORT is already in use: stop what" \
  "listens there, or set FRONTEND_INTERNAL_PORT to another port"

newest_source=$(find pom.xml frontend/pom.xml backend-stub/pom.xml frontend/src/main backend-stub/src/main \
  -type f -newer "$frontend_jar" 2>/dev/null | head -1 || true)
if [[ ! -f "$frontend_jar" || ! -f "$stub_jar" || -n "$newest_source" ]]; then
  say "building the frontend and the stub (./mvnw -DskipTests package; the first build downloads Maven and the dependencies)..."
  # Maven's own progress, without the per-plugin chatter; every warning and error in full.
  if ! ./mvnw -B -ntp -Dstyle.color=never -DskipTests -pl frontend,backend-stub -am package 2>&1 |
    grep --line-buffered -E '^\[INFO\] (Building |BUILD |Total time)|^\[(WARNING|ERROR)\]'; then
    fail "the build failed (see the [ERROR] lines above)"
  fi
fi

stub_pid=""
frontend_pid=""
stopping=""
stop_all() {
  stopping=yes
  for pid in $frontend_pid $stub_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $frontend_pid $stub_pid; do
    wait "$pid" 2>/dev/null || true
  done
}
trap 'say "stopping..."; stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

# Waits until the service answers /api/health; fails when its process exits first or time runs out.
await() {
  local name=$1 pid=$2 port=$3 waited=0
  until healthy "$port"; do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; fail "the $name did not start (see its message above)"; }
    (( waited++ < start_timeout * 4 )) || fail "the $name did not answer http://localhost:$port/api/health within ${start_timeout}s"
    sleep 0.25
  done
  kill -0 "$pid" 2>/dev/null || fail "the $name did not start (see its message above)"
}

java -jar "$stub_jar" &
stub_pid=$!
await "stub backend" "$stub_pid" "$BACKEND_INTERNAL_PORT"
java -jar "$frontend_jar" &
frontend_pid=$!
await "frontend" "$frontend_pid" "$FRONTEND_INTERNAL_PORT"

say "WhoKnows is running: http://localhost:$FRONTEND_INTERNAL_PORT (stub backend on :$BACKEND_INTERNAL_PORT," \
  "the frontend sends /api/* to $BACKEND_URL). Ctrl-C stops both."

# Whichever stops first (a crash, a kill): stop the other and say so. (A polling loop, not `wait -n`:
# macOS still ships bash 3.2.) `sleep & wait` lets a Ctrl-C or SIGTERM run the trap at once.
while kill -0 "$stub_pid" 2>/dev/null && kill -0 "$frontend_pid" 2>/dev/null; do
  sleep 1 &
  wait $! 2>/dev/null || true
done
[[ -z "$stopping" ]] || exit 0
for name_pid in "stub backend:$stub_pid:frontend" "frontend:$frontend_pid:stub backend"; do
  IFS=: read -r name pid other <<<"$name_pid"
  if ! kill -0 "$pid" 2>/dev/null; then
    status=0
    wait "$pid" 2>/dev/null || status=$?
    fail "the $name stopped (exit status $status); stopping the $other"
  fi
done
