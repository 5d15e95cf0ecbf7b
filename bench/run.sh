#!/usr/bin/env bash
# Benchmarks the Java frontend against nginx on loopback (issue 7) and writes bench/RESULTS.md.
#
#   bench/run.sh            full run (~25 min; docker sections when `docker info` works)
#   bench/run.sh --smoke    seconds-long run of every host section (CI: keeps the harness from rotting)
#
# Options: --rounds N, --duration SECONDS (per wrk run), --warmup SECONDS, --startup-runs N,
#          --rss-seconds N, --only static,proxy,variants,startup,rss,images,devloop, --no-docker, --out FILE.
#   proxy: /api/search with a small answer (BENCH_SEARCH_Q, default "docker", ~1.5 KB) and a realistic
#   50-result page (BENCH_SEARCH_Q_LARGE, default "the", ~20 KB), both side by side with nginx.
#   variants: the same two proxied searches again for the frontend as a user runs it (`java -jar` with the
#   java on PATH and no flags) and with FRONTEND_VIRTUAL_THREADS=off, each against nginx, so RESULTS.md
#   says what each costs.
# Environment: BENCH_JAVA (java for the frontend and stub; default: Temurin 25 if installed, else `java`),
#   BENCH_JDKS (space-separated JDK homes compared in the startup section; default: BENCH_JAVA's and the
#   java on PATH), BENCH_JVM_FLAGS (default: the images' flags, read from docker/jvm.options, plus
#   -XX:MaxRAM=<the compose file's frontend mem_limit> so heap sizing matches the container),
#   BENCH_JVM_ENV (default: the fixed-value variables of the Jib <environment>s in pom.xml and frontend/pom.xml, e.g.
#   MALLOC_ARENA_MAX=2; space-separated NAME=VALUE), BENCH_SEARCH_Q, BENCH_SEARCH_Q_LARGE, FRONTEND_JAR,
#   STUB_JAR, STATIC_DIR.
# Ports (loopback only): frontend 18080, stub 15050, nginx 18090; docker sections use 18400 (override with
#   BENCH_FRONTEND_PORT, BENCH_STUB_PORT, BENCH_NGINX_PORT, BENCH_DOCKER_PORT).
set -euo pipefail

args_text="$*"
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cd "$repo"

# ------------------------------------------------------------------------------------------ options
smoke=false rounds=5 duration=10 warmup=10 startup_runs=10 rss_seconds=60 docker_sections=auto
only="static,proxy,variants,startup,rss,images,devloop" out=""
usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) smoke=true rounds=1 duration=1 warmup=1 startup_runs=1 rss_seconds=2 docker_sections=off ;;
    --rounds) rounds=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --startup-runs) startup_runs=$2; shift ;;
    --rss-seconds) rss_seconds=$2; shift ;;
    --only) only=$2; shift ;;
    --no-docker) docker_sections=off ;;
    --out) out=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in rounds duration warmup startup_runs rss_seconds; do
  [[ ${!n} =~ ^[1-9][0-9]*$ ]] || { echo "bench: --${n//_/-} must be a positive integer (got '${!n}')" >&2; exit 2; }
done
wants() { [[ ",$only," == *",$1,"* ]]; }

fe_port=${BENCH_FRONTEND_PORT:-18080} stub_port=${BENCH_STUB_PORT:-15050} ngx_port=${BENCH_NGINX_PORT:-18090}
docker_port=${BENCH_DOCKER_PORT:-18400}
connections=64 threads=2
frontend_jar=${FRONTEND_JAR:-$repo/frontend/target/frontend-1.0.0-SNAPSHOT.jar}
stub_jar=${STUB_JAR:-$repo/backend-stub/target/backend-stub-1.0.0-SNAPSHOT.jar}
static_dir=$(cd "${STATIC_DIR:-$repo/static}" 2>/dev/null && pwd) || { echo "bench: no static/ folder" >&2; exit 2; }
# The images run Java 25: a JDK 25 is preferred when present, else the java on PATH.
if [[ -n ${BENCH_JAVA:-} ]]; then
  java=$BENCH_JAVA
elif [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
else
  java=java
fi
search_q=${BENCH_SEARCH_Q:-docker}
search_q_large=${BENCH_SEARCH_Q_LARGE:-the}

work=$(mktemp -d /tmp/whoknows-bench.XXXXXX)
[[ -n $out ]] || if $smoke; then out=$work/RESULTS.smoke.md; else out=$here/RESULTS.md; fi
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------------------- process cleanup
pids=()
docker_cleanup=()
cleanup() {
  local rc=$? pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  local cmd
  for cmd in "${docker_cleanup[@]}"; do eval "$cmd" >/dev/null 2>&1 || true; done
  if [[ $rc -ne 0 ]]; then
    log "failed (exit $rc); logs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD... : runs CMD in the background with output in $work/NAME.log; sets $started_pid
start() {
  local name=$1; shift
  "$@" >"$work/$name.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}
stop() { # stop PID [SECONDS]: SIGTERM, then SIGKILL after the bound; forgets the pid
  local pid=$1 bound=${2:-15} i
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq $((bound * 20))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  for i in "${!pids[@]}"; do [[ ${pids[$i]} != "$pid" ]] || unset 'pids[i]'; done
}

# ---------------------------------------------------------------------------------------- tools
install_missing() {
  local missing=() tool
  for tool in wrk:wrk nginx:nginx curl:curl; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || [[ -x /usr/sbin/${tool%%:*} ]] || missing+=("${tool#*:}")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing from Debian: ${missing[*]}"
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
install_missing
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# the jars of this tree (a jar left in target/ by an earlier build may be of other sources), unless given
if [[ -z ${FRONTEND_JAR:-} || -z ${STUB_JAR:-} ]]; then
  log "building the jars (./mvnw -q -DskipTests package)"
  ./mvnw -B -q -ntp -DskipTests -pl frontend,backend-stub -am package
fi

# --------------------------------------------------------------------------------- small helpers
# http_ok PORT PATH: true when a GET answers 200. Pure bash (no fork), so polling costs no CPU time
# the starting JVM could use.
http_ok() {
  local fd line
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&"$fd"
  IFS= read -r -t 5 line <&"$fd" || true
  exec {fd}>&-
  [[ $line == "HTTP/1."?" 200"* ]]
}
wait_ok() { # wait_ok PORT PATH SECONDS PID
  local deadline=$((SECONDS + $3))
  until http_ok "$1" "$2"; do
    kill -0 "$4" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.01
  done
}
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { if (v == "nan" || v == "") print "n/a"; else printf "%.*f", d, v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b+0 == 0 || a == "nan" || b == "nan") print "nan"; else printf "%.3f\n", a / b }'; }
# verdict VALUE OP LIMIT -> PASS / MISS / n/a
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "nan" || v == "") { print "n/a"; exit }
  ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print ok ? "PASS" : "MISS" }'; }
jvm_version() { "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}'; }
jvm_feature() { jvm_version "$1" | sed 's/[.+-].*//'; }

# The JVM flags the images use: docker/jvm.options (both images' entrypoints read it), unless overridden.
if [[ -n ${BENCH_JVM_FLAGS+set} ]]; then
  read -r -a jvm_flags <<<"$BENCH_JVM_FLAGS"
else
  mapfile -t jvm_flags < <(grep -E '^-' docker/jvm.options)
  # the container's memory limit is what the JVM sizes its heap from; stand in for it on the host
  mem_limit=$(sed -n 's/.*mem_limit: *${FRONTEND_MEM_LIMIT:-\([0-9]*[kmgKMG]\)}.*/\1/p' docker-compose.yml 2>/dev/null | head -1)
  jvm_flags+=("-XX:MaxRAM=${mem_limit:-256m}")
fi
# ... and the environment they set for the JVM (MALLOC_ARENA_MAX): the parent pom's Jib <environment>
# entries with a fixed value (not ${...} placeholders such as BUILD_VERSION). The Dockerfile sets the same.
if [[ -n ${BENCH_JVM_ENV+set} ]]; then
  read -r -a jvm_env <<<"$BENCH_JVM_ENV"
else
  # ... plus the frontend image's own (STATIC_RELOAD=off), less the port and folder set per run below
  mapfile -t jvm_env < <(for pom in pom.xml frontend/pom.xml; do
    awk '/<environment>/ {on = 1; next} /<\/environment>/ {exit}
      on && match($0, /<[A-Z][A-Z0-9_]*>[^<$]*<\//) { split(substr($0, RSTART + 1, RLENGTH - 3), kv, ">"); print kv[1] "=" kv[2] }' "$pom"
  done | grep -v -e '^STATIC_DIR=' -e '^FRONTEND_INTERNAL_PORT=')
fi

# ----------------------------------------------------------------------------------- results file
results=$work/results.md
: >"$results"
summary=$work/summary.md
: >"$summary"
section() { printf '\n## %s\n\n' "$*" >>"$results"; }
para() { printf '%s\n' "$*" >>"$results"; }
# target NAME VALUE_TEXT TARGET_TEXT VERDICT : one row of the summary table
target() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" >>"$summary"; }
failures=0
check() { # check CONDITION_TEXT: counts a failed correctness check (smoke mode exits non-zero on any)
  log "CHECK FAILED: $*"; para "- **check failed:** $*"; failures=$((failures + 1))
}

# ------------------------------------------------------------------------------------- services
start_stub() {
  start stub env BACKEND_INTERNAL_PORT=$stub_port "$java" -XX:+UseSerialGC -jar "$stub_jar"
  stub_pid=$started_pid
  wait_ok $stub_port /api/health 60 "$stub_pid" || die "stub backend did not become healthy (see $work/stub.log)"
}

# start_frontend NAME JAVA [EXTRA JVM FLAGS...]: the images' flags and environment; sets $fe_pid
start_frontend() {
  local name=$1 jbin=$2; shift 2
  start_frontend_as "$name" "${jvm_env[@]}" -- "$jbin" "${jvm_flags[@]}" "$@"
}
# start_frontend_as NAME [NAME=VALUE...] -- JAVA [JVM FLAGS...]: exactly that environment and JVM command
start_frontend_as() {
  local name=$1 envs=(); shift
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  start "$name" env "${envs[@]}" FRONTEND_INTERNAL_PORT=$fe_port BACKEND_URL=http://127.0.0.1:$stub_port \
    STATIC_DIR="$static_dir" "$@" -jar "$frontend_jar"
  fe_pid=$started_pid
}
stop_frontend() { stop "$fe_pid" 30; }

start_nginx() {
  local prefix=$work/nginx user=""
  mkdir -p "$prefix/tmp"
  # as root, nginx would drop its workers to "nobody"; keep them as the invoking user instead
  [[ $(id -u) -ne 0 ]] || user="user root root;"
  sed -e "s|@USER@|$user|" -e "s|@PREFIX@|$prefix|g" -e "s|@STATIC@|$static_dir|g" \
    -e "s|@PORT@|$ngx_port|g" -e "s|@BACKEND@|127.0.0.1:$stub_port|g" \
    -e "s|@MIME_TYPES@|/etc/nginx/mime.types|g" "$here/nginx.conf.template" >"$prefix/nginx.conf"
  "$nginx_bin" -t -q -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;' 2>"$work/nginx-test.log" ||
    die "nginx rejected its config: $(cat "$work/nginx-test.log")"
  start nginx "$nginx_bin" -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;'
  ngx_pid=$started_pid
  wait_ok $ngx_port /api/health 20 "$ngx_pid" || die "nginx did not come up (see $work/nginx.log, $prefix/error.log)"
}

# wrk_run PORT PATH SECONDS [LUA ARGS...] -> "rps p50 p99 bad socket_errors requests"
wrk_run() {
  local port=$1 path=$2 secs=$3; shift 3
  local script=$here/report.lua
  [[ $# -eq 0 ]] || script=$here/mixed.lua
  BENCH_LUA_DIR=$here wrk -t$threads -c$connections -d"${secs}s" --timeout 10s -s "$script" \
    "http://127.0.0.1:$port$path" ${1:+--} "$@" 2>&1 |
    sed -n 's/^BENCH rps=\([^ ]*\) p50_ms=\([^ ]*\) p99_ms=\([^ ]*\) requests=\([^ ]*\) bad=\([^ ]*\) socket_errors=\([^ ]*\)$/\1 \2 \3 \5 \6 \4/p'
}

# cpu_ticks PID: user+system CPU ticks of PID and its child processes (nginx's workers)
clk_tck=$(getconf CLK_TCK)
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    [[ -r /proc/$p/stat ]] && total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

# same_answer PATH: both servers answer 200; notes whether the bodies are byte-identical
same_answer() {
  local path=$1 a b sa sb
  a=$(curl -s -o "$work/fe.body" -w '%{http_code}' "http://127.0.0.1:$fe_port$path") || a=000
  b=$(curl -s -o "$work/ngx.body" -w '%{http_code}' "http://127.0.0.1:$ngx_port$path") || b=000
  if [[ $a != 200 || $b != 200 ]]; then
    check "GET $path: frontend $a, nginx $b (both must be 200)"
    return 0
  fi
  sa=$(wc -c <"$work/fe.body") sb=$(wc -c <"$work/ngx.body")
  if cmp -s "$work/fe.body" "$work/ngx.body"; then
    para "- \`$path\`: both 200, identical bodies ($sa bytes)"
  else
    para "- \`$path\`: both 200, bodies differ (frontend $sa bytes, nginx $sb bytes)"
  fi
}

# ab PATH...: alternating frontend/nginx wrk runs (order flips every round) for each path, then a
# table of medians. Ratios are the medians of the per-round frontend/nginx ratios (a pair runs
# back to back, so load from other processes on the machine hits both about equally).
ab_table_header() {
  para "| URL | server | req/s (median) | p50 ms | p99 ms | CPU µs/request | non-2xx | socket errors |"
  para "|---|---|---:|---:|---:|---:|---:|---:|"
}
declare -A ab_rps_ratio ab_p99_ratio
ab() {
  local path order r server port line
  for path in "$@"; do
    local key=${path//[^a-zA-Z0-9]/_}
    : >"$work/ab.frontend.$key"; : >"$work/ab.nginx.$key"; : >"$work/ab.ratio.$key"; : >"$work/ab.p99ratio.$key"
    log "warm-up $path (${warmup}s each)"
    wrk_run $fe_port "$path" "$warmup" >/dev/null
    wrk_run $ngx_port "$path" "$warmup" >/dev/null
  done
  for r in $(seq "$rounds"); do
    for path in "$@"; do
      local key=${path//[^a-zA-Z0-9]/_}
      if ((r % 2)); then order="frontend nginx"; else order="nginx frontend"; fi
      declare -A this=()
      for server in $order; do
        local pid c0 c1 cpu
        if [[ $server == frontend ]]; then port=$fe_port pid=$fe_pid; else port=$ngx_port pid=$ngx_pid; fi
        c0=$(cpu_ticks "$pid")
        line=$(wrk_run "$port" "$path" "$duration")
        c1=$(cpu_ticks "$pid")
        [[ -n $line ]] || line="nan nan nan nan nan 0"
        cpu=$(awk -v a="$c0" -v b="$c1" -v t="$clk_tck" -v n="${line##* }" 'BEGIN { if (n > 0) printf "%.1f", (b - a) * 1e6 / t / n; else print "nan" }')
        line="${line% *} $cpu"
        echo "$line" >>"$work/ab.$server.$key"
        this[$server]=$line
        log "round $r/$rounds $server $path: rps p50 p99 bad errs cpu_us = $line"
      done
      read -r fr _ fp99 _ <<<"${this[frontend]}"
      read -r nr _ np99 _ <<<"${this[nginx]}"
      ratio "$fr" "$nr" >>"$work/ab.ratio.$key"
      ratio "$fp99" "$np99" >>"$work/ab.p99ratio.$key"
      unset this
    done
  done
  for path in "$@"; do
    local key=${path//[^a-zA-Z0-9]/_}
    for server in frontend nginx; do
      local f=$work/ab.$server.$key rps p50 p99 bad errs
      rps=$(cut -d' ' -f1 "$f" | median) p50=$(cut -d' ' -f2 "$f" | median) p99=$(cut -d' ' -f3 "$f" | median)
      cpu=$(cut -d' ' -f6 "$f" | median)
      bad=$(awk '{s+=$4} END {print s+0}' "$f") errs=$(awk '{s+=$5} END {print s+0}' "$f")
      para "| \`$path\` | $server | $(fmt "$rps" 0) | $(fmt "$p50" 2) | $(fmt "$p99" 2) | $(fmt "$cpu" 1) | $bad | $errs |"
      [[ $bad == 0 && $errs == 0 ]] || check "$server $path: $bad non-2xx answers, $errs socket errors under load"
      [[ $rps != nan ]] || check "$server $path: wrk gave no result"
    done
    ab_rps_ratio[$path]=$(median <"$work/ab.ratio.$key")
    ab_p99_ratio[$path]=$(median <"$work/ab.p99ratio.$key")
  done
  para ""
  para "Per-round frontend/nginx ratios (req/s; p99):"
  for path in "$@"; do
    local key=${path//[^a-zA-Z0-9]/_}
    para "- \`$path\`: $(tr '\n' ' ' <"$work/ab.ratio.$key"); $(tr '\n' ' ' <"$work/ab.p99ratio.$key")"
  done
}

# ----------------------------------------------------------------------------------- machine info
cores=$(nproc)
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
java_version=$(jvm_version "$java")
log "results -> $out; work dir $work; JVM flags: ${jvm_flags[*]}; environment: ${jvm_env[*]:-(none)}"

# ------------------------------------------------------------------------- 1 + 2: static and proxy
css_path="/static/$(cd "$static_dir" && ls -S css/*.css 2>/dev/null | head -1)"
js_path="/static/$(cd "$static_dir" && { ls js/search.js 2>/dev/null || ls -S js/*.js 2>/dev/null; } | head -1)"
search_path="/api/search?q=$search_q"
search_path_large="/api/search?q=$search_q_large"

if wants static || wants proxy || wants variants || wants rss; then
  start_stub
fi
if wants static || wants proxy || wants variants; then
  start_nginx
fi
if wants static || wants proxy; then
  start_frontend frontend "$java"
  wait_ok $fe_port /api/health 60 "$fe_pid" || die "frontend did not become healthy (see $work/frontend.log)"
fi

if wants static; then
  section "1. Static files: frontend vs nginx"
  para "wrk, keep-alive, $connections connections, $threads threads, ${duration}s per run, $rounds alternating rounds after a ${warmup}s warm-up per URL and server."
  para ""
  same_answer /; same_answer "$css_path"; same_answer "$js_path"
  para ""
  ab_table_header
  ab / "$css_path" "$js_path"
  for p in / "$css_path" "$js_path"; do
    v=${ab_rps_ratio[$p]}
    target "static req/s \`$p\` / nginx" "$(fmt "$v" 2)" "≥ 0.90" "$(verdict "$v" '>=' 0.9)"
  done
fi

# proxy_targets LABEL: target rows for both proxied searches from the last ab run
proxy_targets() {
  local path v
  for path in "$search_path" "$search_path_large"; do
    v=${ab_rps_ratio[$path]}
    target "$1proxied \`$path\` req/s / nginx" "$(fmt "$v" 2)" "≥ 0.85" "$(verdict "$v" '>=' 0.85)"
    v=${ab_p99_ratio[$path]}
    target "$1proxied \`$path\` p99 / nginx p99" "$(fmt "$v" 2)" "≤ 1.50" "$(verdict "$v" '<=' 1.5)"
  done
}

if wants proxy; then
  section "2. Proxied API: /api/search through the frontend vs through nginx (same stub)"
  para ""
  same_answer "$search_path"; same_answer "$search_path_large"
  para ""
  ab_table_header
  ab "$search_path" "$search_path_large"
  proxy_targets ""
fi

if wants static || wants proxy; then
  stop_frontend
fi

if wants variants; then
  section "2b. Proxied API: the frontend as a user runs it, and without virtual threads"
  para "Each variant is a fresh frontend measured against nginx exactly as in section 2 (same rounds, warm-up"
  para "and paths); compare its ratios with section 2's to see what it costs."
  user_java=$(command -v java)
  variant_list=("user|\`java -jar\` with the java on PATH (JDK $(jvm_feature "$user_java")), no flags, no environment|$user_java"
    "vt-off|the images' flags on $java_version with \`FRONTEND_VIRTUAL_THREADS=off\`|$java")
  for entry in "${variant_list[@]}"; do
    IFS='|' read -r vname vtext vjava <<<"$entry"
    para ""
    para "**$vtext**"
    para ""
    if [[ $vname == user ]]; then
      start_frontend_as "variant-$vname" -- "$vjava"
    else
      start_frontend_as "variant-$vname" "${jvm_env[@]}" FRONTEND_VIRTUAL_THREADS=off -- "$vjava" "${jvm_flags[@]}"
    fi
    wait_ok $fe_port /api/health 60 "$fe_pid" || die "frontend ($vname) did not become healthy (see $work/variant-$vname.log)"
    ab_table_header
    ab "$search_path" "$search_path_large"
    proxy_targets "$vname: "
    stop_frontend
  done
fi

if wants static || wants proxy || wants variants; then
  stop "$ngx_pid"
fi

# -------------------------------------------------------------------------------------- 3: startup
# One JVM start: process start -> first 200 from /api/health, in milliseconds.
time_start() {
  local jbin=$1; shift
  local t0 t1
  t0=$EPOCHREALTIME
  start_frontend startup "$jbin" "$@"
  if wait_ok $fe_port /api/health 60 "$fe_pid"; then
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
  else
    echo nan
  fi
  stop_frontend
}
# A training run: start, exercise pages, assets and the proxy, then SIGTERM so the JVM writes the
# archive/cache at exit.
train() {
  local jbin=$1 artifact=$2; shift 2
  start_frontend train "$jbin" "$@"
  wait_ok $fe_port /api/health 60 "$fe_pid" || { stop_frontend; return 1; }
  local p
  for _ in 1 2 3; do
    for p in / /search /login /register /weather /about /nope "$css_path" "$js_path" "$search_path" \
      /api/weather /api/ready /api/metrics /index.html; do
      curl -s -o /dev/null "http://127.0.0.1:$fe_port$p" || true
    done
  done
  stop "$fe_pid" 120
  [[ -s $artifact ]]
}

if wants startup; then
  section "3. Startup: process start -> first 200 from /api/health"
  jdks=()
  if [[ -n ${BENCH_JDKS:-} ]]; then
    for h in $BENCH_JDKS; do jdks+=("$h/bin/java"); done
  else
    jdks+=("$(command -v "$java")")
    if ! $smoke && [[ $(jvm_feature java) != "$(jvm_feature "$java")" ]]; then jdks+=("$(command -v java)"); fi
  fi
  variants=()   # "label|java|flags..."
  for jbin in "${jdks[@]}"; do
    feature=$(jvm_feature "$jbin")
    variants+=("JDK $feature|$jbin")
    log "training an AppCDS archive for JDK $feature"
    if train "$jbin" "$work/app-$feature.jsa" -XX:ArchiveClassesAtExit="$work/app-$feature.jsa"; then
      variants+=("JDK $feature + AppCDS|$jbin|-XX:SharedArchiveFile=$work/app-$feature.jsa")
    else
      check "JDK $feature: AppCDS training run wrote no archive (see $work/train.log)"
    fi
    if ((feature >= 25)) && ! $smoke; then
      log "training an AOT cache for JDK $feature"
      if train "$jbin" "$work/app-$feature.aot" -XX:AOTCacheOutput="$work/app-$feature.aot"; then
        variants+=("JDK $feature + AOT cache|$jbin|-XX:AOTCache=$work/app-$feature.aot")
      else
        check "JDK $feature: AOT training run wrote no cache (see $work/train.log)"
      fi
    fi
  done
  # interleave the variants run by run so drifting machine load hits all of them alike
  for i in $(seq "$startup_runs"); do
    for idx in "${!variants[@]}"; do
      IFS='|' read -r -a v <<<"${variants[$idx]}"
      ms=$(time_start "${v[1]}" "${v[@]:2}")
      echo "$ms" >>"$work/startup.$idx"
    done
    log "startup run $i/$startup_runs done"
  done
  para "Median of $startup_runs runs per variant, interleaved; JVM flags of the images (\`${jvm_flags[*]}\`${jvm_env[*]:+, environment \`${jvm_env[*]}\`}) plus the variant's switch. Archives come from a training run (pages, assets, proxied search, then SIGTERM)."
  para ""
  para "| variant | median ms | min | max | archive size |"
  para "|---|---:|---:|---:|---:|"
  best=nan
  for idx in "${!variants[@]}"; do
    IFS='|' read -r -a v <<<"${variants[$idx]}"
    med=$(median <"$work/startup.$idx")
    mn=$(sort -g "$work/startup.$idx" | head -1) mx=$(sort -g "$work/startup.$idx" | tail -1)
    size="-"
    if [[ ${v[2]:-} == *=* ]]; then size=$(du -m "${v[2]#*=}" | cut -f1)" MB"; fi
    para "| ${v[0]} | $(fmt "$med" 0) | $mn | $mx | $size |"
    [[ $med != nan ]] || check "${v[0]}: the frontend never became healthy"
    if [[ $med != nan ]] && { [[ $best == nan ]] || awk -v a="$med" -v b="$best" 'BEGIN{exit !(a<b)}'; }; then
      best=$med
    fi
    target "start -> healthy, ${v[0]}" "$(fmt "$med" 0) ms" "≤ 500 ms" "$(verdict "$med" '<=' 500)"
  done
fi

# ---------------------------------------------------------------------------------------- 4: RSS
if wants rss; then
  section "4. Memory: frontend RSS after ${rss_seconds}s of mixed load"
  mixed=(/ "$css_path" "$js_path" "$search_path" /login /weather /api/weather /about /api/session /nope)
  para "JVM: $java_version. Mixed paths (cycled per connection): \`${mixed[*]}\`; 404s come from \`/nope\` on"
  para "purpose, all other paths answer 200. A fresh JVM with the images' settings."
  para ""
  para "| JVM settings | RSS after load | peak RSS (VmHWM) | req/s during load | p99 ms | socket errors |"
  para "|---|---:|---:|---:|---:|---:|"
  # the images' JVM flags and environment (a fresh JVM)
  start_frontend rss "$java"
  wait_ok $fe_port /api/health 60 "$fe_pid" || die "frontend did not become healthy (see $work/rss.log)"
  line=$(wrk_run $fe_port / "$rss_seconds" "${mixed[@]}")
  read -r rps _ p99 bad errs _ <<<"${line:-nan nan nan nan nan 0}"
  rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$fe_pid/status")
  hwm=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$fe_pid/status")
  stop_frontend
  para "| image flags \`${jvm_flags[*]}\`${jvm_env[*]:+, environment \`${jvm_env[*]}\`} | $rss MB | $hwm MB | $(fmt "$rps" 0) | $(fmt "$p99" 2) | $errs |"
  target "frontend RSS after ${rss_seconds}s mixed load" "$rss MB" "≤ 128 MB" "$(verdict "$rss" '<=' 128)"
  [[ ${errs:-nan} == 0 ]] || check "mixed load: socket errors ($errs)"
fi

[[ -z ${stub_pid:-} ]] || stop "$stub_pid"

# ------------------------------------------------------------------------------- 5 + 6: docker
docker_ok=false docker_note=""
if [[ $docker_sections == off ]]; then
  docker_note="skipped (--smoke / --no-docker)"
elif ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  docker_note="skipped: \`docker info\` fails here (no Docker engine)"
else
  docker_ok=true
fi

if wants images; then
  section "5. Images"
  if ! $docker_ok; then
    para "$docker_note"
  else
    # shellcheck source=bench/images.sh
    source "$here/images.sh"
    bench_images
  fi
fi
if wants devloop; then
  section "6. Dev loop (docker-compose.dev.yml)"
  if ! $docker_ok; then
    para "$docker_note"
  else
    # shellcheck source=bench/images.sh
    source "$here/images.sh"
    bench_devloop
  fi
fi

# ----------------------------------------------------------------------------------------- write
{
  echo "# Benchmark results"
  echo
  if $smoke; then echo "**Smoke run** (tiny durations, one round): numbers only prove the harness works."; echo; fi
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $cores cores ($cpu), $mem RAM, load average before the run: $load_before"
  echo "- frontend/stub JVM: $java_version; nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///'); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  echo "- command: \`bench/run.sh${args_text:+ $args_text}\` (rounds $rounds, ${duration}s per wrk run, warm-up ${warmup}s)"
  echo "- wrk, the servers and anything else running share these cores: absolute figures are noisy; every ratio compares runs taken back to back."
  echo
  echo "## Targets"
  echo
  echo "| measure | result | target | verdict |"
  echo "|---|---:|---|---|"
  cat "$summary"
  cat "$results"
  if [[ -f $here/NOTES.md ]] && ! $smoke; then echo; cat "$here/NOTES.md"; fi
} >"$out"
log "wrote $out"
$smoke && cat "$out"
if ((failures > 0)); then
  log "$failures correctness check(s) failed"
  $smoke && exit 1
fi
exit 0
