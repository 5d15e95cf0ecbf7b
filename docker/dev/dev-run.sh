#!/bin/bash
# Dev loop for one module of the repository bind-mounted at /workspace (docker-compose.dev.yml):
#   1. build it once (online; dependencies go to the ~/.m2 volume) so target/lib holds its classpath,
#   2. run it from target/classes + target/lib/* with a JDWP debug port,
#   3. on every change under MODULE/src/main: recompile the module with javac, then restart the JVM.
#      A change to MODULE/pom.xml redoes step 1 (new dependencies). A compile error keeps the old JVM.
# Environment: MODULE (frontend | backend-stub), DEBUG_PORT (5005), DEBUG_SUSPEND (n), JAVA_DEV_OPTS.
set -uo pipefail

MODULE="${MODULE:?set MODULE to frontend or backend-stub}"
DEBUG_PORT="${DEBUG_PORT:-5005}"
cd /workspace || exit 2
[ -f "$MODULE/pom.xml" ] || { echo "dev-run: /workspace/$MODULE/pom.xml not found: is the repository mounted?" >&2; exit 2; }
main_class=$(sed -n 's:.*<main.class>\(.*\)</main.class>.*:\1:p' "$MODULE/pom.xml" | head -n1)
[ -n "$main_class" ] || { echo "dev-run: no <main.class> property in $MODULE/pom.xml" >&2; exit 2; }

# Maven itself starts faster with C1 only; the compiled app runs in a separate JVM.
export MAVEN_OPTS="${MAVEN_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
mvn=(./mvnw -B -ntp -q -Dstyle.color=never)
if ! mkdir -p target 2>/dev/null || [ ! -w target ]; then
  echo "dev-run: cannot write to the repository (owned by uid $(stat -c %u .), running as uid $(id -u)):" \
       "let the container start as root (no \`user:\` in docker-compose.dev.yml): its entrypoint takes the owner's uid" >&2
  exit 2
fi
lock=target/.dev-build.lock # both dev containers share the tree: one full build at a time

log() { printf '[dev-run %s %s] %s\n' "$MODULE" "$(date +%T)" "$*"; }

full_build() {
  log "building $MODULE (first run downloads dependencies into the ~/.m2 volume)"
  # -am: the frontend's tests depend on backend-stub and test-support (test scope), so the reactor needs them.
  flock "$lock" "${mvn[@]}" -pl "$MODULE" -am package -DskipTests
}

release=$(sed -n 's:.*<maven.compiler.release>\(.*\)</maven.compiler.release>.*:\1:p' pom.xml | head -n1)
compile() {
  # javac directly, not Maven: Maven's start-up alone costs 2-4 s here, javac on a module ~1 s. The whole
  # module is compiled into a fresh directory (so deleted classes disappear) and swapped in on success.
  local out="$MODULE/target/classes.dev-new"
  rm -rf "$out" && mkdir -p "$out" || return 1
  find "$MODULE/src/main/java" -name '*.java' >"$MODULE/target/dev-sources.txt"
  javac -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC --release "${release:-17}" -encoding UTF-8 \
        -cp "$MODULE/target/lib/*" -d "$out" @"$MODULE/target/dev-sources.txt" || return 1
  if [ -d "$MODULE/src/main/resources" ]; then cp -r "$MODULE/src/main/resources/." "$out/" || return 1; fi
  rm -rf "$MODULE/target/classes" && mv "$out" "$MODULE/target/classes"
}

app_pid=
start_app() {
  java "-agentlib:jdwp=transport=dt_socket,server=y,suspend=${DEBUG_SUSPEND:-n},address=*:$DEBUG_PORT" \
       -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${JAVA_DEV_OPTS:-} \
       -cp "$MODULE/target/classes:$MODULE/target/lib/*" "$main_class" &
  app_pid=$!
  log "started $main_class (pid $app_pid, debugger on port $DEBUG_PORT)"
}

stop_app() {
  [ -n "$app_pid" ] || return 0
  kill -TERM "$app_pid" 2>/dev/null
  # Dev only: give the graceful stop one second, then make room for the new JVM.
  for _ in $(seq 10); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$app_pid" 2>/dev/null
  wait "$app_pid" 2>/dev/null
  app_pid=
}

watcher_pid=
shutdown() {
  log "stopping"
  stop_app
  [ -n "$watcher_pid" ] && kill "$watcher_pid" 2>/dev/null
  exit 0
}
trap shutdown TERM INT

full_build || { log "initial build failed: fix the error and save a file under $MODULE/src/main to retry"; }
[ -d "$MODULE/target/classes" ] && start_app

events=$(mktemp -u /tmp/dev-run-events.XXXXXX)
mkfifo "$events"
# Editors save via temp files and renames; swap and backup files are ignored, bursts are debounced.
inotifywait -m -r -q -e close_write,moved_to,create,delete \
    --exclude '(/\.[^/]*|~|\.swp|\.swx|\.tmp|___jb_[a-z]+___)$' \
    --format '%w%f' "$MODULE/src/main" "$MODULE/pom.xml" >"$events" &
watcher_pid=$!
exec 4<"$events"
rm -f "$events"
log "watching $MODULE/src/main and $MODULE/pom.xml"

while true; do
  read -r -t 1 changed <&4
  rc=$?
  ((rc > 128)) && continue # timeout: lets the TERM trap run promptly
  ((rc != 0)) && { log "file watcher stopped (inotify limit?)"; stop_app; exit 1; }
  pom_changed=false
  [[ "$changed" == */pom.xml ]] && pom_changed=true
  while read -r -t 0.2 more <&4; do
    changed=$more
    [[ "$more" == */pom.xml ]] && pom_changed=true
  done
  started=$(date +%s%N)
  if $pom_changed; then
    log "pom.xml changed: full build"
    full_build || { log "build failed: still running the previous version"; continue; }
  else
    log "change in ${changed#"$MODULE"/}: compiling"
    compile || { log "compile failed: still running the previous version"; continue; }
  fi
  stop_app
  start_app
  log "rebuilt and restarted in $(( ($(date +%s%N) - started) / 1000000 )) ms"
done
