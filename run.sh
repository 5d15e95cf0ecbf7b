#!/usr/bin/env bash
# Runs WhoKnows locally with nothing but a JDK 17+: builds the jars when needed, starts the stub
# backend on BACKEND_INTERNAL_PORT (5050) and the frontend on FRONTEND_INTERNAL_PORT (8080).
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"

frontend_jar=frontend/target/frontend-1.0.0-SNAPSHOT.jar
stub_jar=backend-stub/target/backend-stub-1.0.0-SNAPSHOT.jar

newest_source=$(find pom.xml frontend/pom.xml backend-stub/pom.xml frontend/src/main backend-stub/src/main \
  -type f -newer "$frontend_jar" 2>/dev/null | head -1 || true)
if [[ ! -f "$frontend_jar" || ! -f "$stub_jar" || -n "$newest_source" ]]; then
  echo "run.sh: building (./mvnw -q -DskipTests package)..."
  ./mvnw -B -q -ntp -DskipTests -pl frontend,backend-stub -am package
fi

export BACKEND_INTERNAL_PORT="${BACKEND_INTERNAL_PORT:-5050}"
export FRONTEND_INTERNAL_PORT="${FRONTEND_INTERNAL_PORT:-8080}"
export BACKEND_URL="${BACKEND_URL:-http://localhost:$BACKEND_INTERNAL_PORT}"
export STATIC_DIR="${STATIC_DIR:-$PWD/static}"

java -jar "$stub_jar" &
stub_pid=$!
trap 'kill "$stub_pid" 2>/dev/null || true; wait "$stub_pid" 2>/dev/null || true' EXIT INT TERM

echo "run.sh: stub backend on :$BACKEND_INTERNAL_PORT, frontend on http://localhost:$FRONTEND_INTERNAL_PORT"
java -jar "$frontend_jar"
