# shellcheck shell=bash
# repo, work, results and docker_port are set by bench/run.sh, which sources this file:
# shellcheck disable=SC2154
# Sourced by bench/run.sh: sections 5 (images) and 6 (dev loop). Uses run.sh's helpers (log, para,
# target, verdict, check, $work, $repo, docker_cleanup). Everything runs on a throwaway copy of the
# repository, so the one-line edits never touch the working tree. Images are tagged whoknows-bench/*.

bench_copy() { # a fresh copy of the repository's files (tracked and untracked, not ignored) -> $1
  rm -rf "$1" && mkdir -p "$1"
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$1")
}
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
image_bytes() { docker image inspect -f '{{.Size}}' "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000000 }'; }

# history_of IMAGE: IMAGE's history, oldest first, one "BYTES|INSTRUCTION" line per entry
history_of() { docker history --no-trunc --human=false --format '{{.Size}}|{{.CreatedBy}}' "$1" | tac; }

# added_bytes IMAGE BASE: bytes of the layers IMAGE adds on top of BASE; nan unless BASE's history (each
# instruction with its bytes) is the start of IMAGE's. Compared by history, not by layer digest: the stub's
# Dockerfile image is built on the same jre-image stage as BASE, but not necessarily on the same build of
# it. The frontend's cold build (--no-cache) writes new layers for that stage (same bytes, new digests),
# and the stub's build, which uses the layer cache, can take the stage's layers of an earlier build.
added_bytes() {
  local image=$1 base=$2 ih bh n
  ih=$(history_of "$image") bh=$(history_of "$base")
  n=$(wc -l <<<"$bh")
  if [[ "$(head -n "$n" <<<"$ih")" != "$bh" ]]; then
    echo nan
    return
  fi
  tail -n "+$((n + 1))" <<<"$ih" | awk -F'|' '{ s += $1 } END { print s + 0 }'
}

# one_line_edit DIR: a real one-line change to the frontend's Main.java (new bytecode, not just a comment)
one_line_edit() {
  local main=$1/frontend/src/main/java/dev/whoknows/frontend/Main.java value=$RANDOM$RANDOM
  if grep -q BENCH_EDIT "$main"; then
    sed -i "s|BENCH_EDIT = \"[0-9]*\"|BENCH_EDIT = \"$value\"|" "$main"
  else
    sed -i "s|^public final class Main {|public final class Main {\n    static final String BENCH_EDIT = \"$value\";|" "$main"
  fi
  grep -q BENCH_EDIT "$main" || check "one-line edit: Main.java has no 'public final class Main {' line"
}

# health_200 PORT: true when GET /api/health answers 200. Pure bash (no fork per poll, so polling takes
# no CPU from the starting JVM); a connection the engine's port proxy resets while the container starts
# is a "no".
health_200() {
  local fd line=""
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  { printf 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd"; } 2>/dev/null ||
    { exec {fd}>&-; return 1; }
  { IFS= read -r -t 5 line <&"$fd"; } 2>/dev/null || true
  exec {fd}>&-
  [[ $line == "HTTP/1."?" 200"* ]]
}

# epoch_ms RFC3339: a container's State.StartedAt in epoch milliseconds
epoch_ms() { date -d "$1" +%s%3N; }

# time_container IMAGE PORT [docker run args...]: one start of IMAGE as compose runs it (read-only root fs,
# tmpfs /tmp, no capabilities, 256 MB): prints "START_MS RUN_MS", where START_MS = container start
# (State.StartedAt) -> first 200 on /api/health and RUN_MS = `docker run` -> that 200. The poll starts
# when `docker run -d` has returned (the container is running, its network attached), every ~5 ms, in
# this shell: no fork per poll but the sleep. It once ran while `docker run` was still returning: a
# connection the engine's port proxy accepts before the container's network is attached stalls about
# 1 s (the proxy's connection attempt to the container is lost and retried after the kernel's 1 s SYN
# timeout), so every image read ~840 ms while its JVM listened at ~300 ms (bench/NOTES.md, 2026-12-03
# evening). If the JVM answers before `docker run` returns, the figure is the first poll's: an upper
# bound, never less than the real start.
time_container() {
  local image=$1 port=$2 name=whoknows-bench-start-$RANDOM t0 t1 started
  shift 2
  t0=$(date +%s%3N)
  docker run -d --name "$name" --read-only --tmpfs /tmp:size=64m --cap-drop ALL --security-opt no-new-privileges \
    -m 256m -p "127.0.0.1:$port:$port" -e FRONTEND_INTERNAL_PORT="$port" -e BACKEND_INTERNAL_PORT="$port" \
    -e BACKEND_URL=http://127.0.0.1:9 "$@" "$image" >/dev/null || { docker rm -f "$name" >/dev/null 2>&1; echo "nan nan"; return; }
  local deadline=$((SECONDS + 30))
  # the engine's port proxy accepts and then drops connections until the container listens: a write to
  # such a socket must not kill this shell with SIGPIPE
  trap '' PIPE
  until health_200 "$port"; do
    if ((SECONDS >= deadline)); then
      trap - PIPE
      docker rm -f "$name" >/dev/null 2>&1
      echo "nan nan"
      return
    fi
    sleep 0.005
  done
  t1=$(date +%s%3N)
  trap - PIPE
  started=$(epoch_ms "$(docker inspect -f '{{.State.StartedAt}}' "$name")")
  docker rm -f "$name" >/dev/null 2>&1
  echo "$((t1 - started)) $((t1 - t0))"
}

bench_images() {
  if [[ ! -f $repo/docker/Dockerfile ]]; then
    para "skipped: docker/Dockerfile is missing"
    return
  fi
  local src=$work/image-src t cold rebuild jib_cold jib_rebuild
  local img_df=whoknows-bench/frontend:dockerfile stub_df=whoknows-bench/backend-stub:dockerfile
  local img_jib=whoknows-bench/frontend:jib stub_jib=whoknows-bench/backend-stub:jib jre=whoknows-bench/jre:latest
  bench_copy "$src"
  # cold means cold: a cache-mount id of its own, so the dependency step downloads everything
  sed -i "s/id=whoknows-m2/id=whoknows-bench-m2-$RANDOM$RANDOM/" "$src/docker/Dockerfile"
  docker_cleanup+=("docker rmi -f $img_df $stub_df $img_jib $stub_jib $jre")
  build() { # build MODULE TARGET TAG [docker build args...]
    local module=$1 tgt=$2 tag=$3
    shift 3
    DOCKER_BUILDKIT=1 docker build -q -f "$src/docker/Dockerfile" --build-arg MODULE="$module" \
      --build-arg BUILD_VERSION=bench --target "$tgt" -t "$tag" "$@" "$src"
  }

  log "images: cold Dockerfile build of the frontend (--no-cache)"
  t=$EPOCHREALTIME
  if ! build frontend production "$img_df" --no-cache >"$work/docker-cold.log" 2>&1; then
    check "Dockerfile build failed (see $work/docker-cold.log)"
    return
  fi
  cold=$(seconds_since "$t")
  build backend-stub production "$stub_df" >"$work/docker-stub.log" 2>&1 || check "Dockerfile build of the stub failed"
  build frontend jre-image "$jre" >"$work/docker-jre.log" 2>&1 || check "Dockerfile build of the jre-image failed"
  one_line_edit "$src"
  log "images: Dockerfile rebuild after a one-line Java change"
  t=$EPOCHREALTIME
  build frontend production "$img_df" >"$work/docker-rebuild.log" 2>&1 || check "Dockerfile rebuild failed"
  rebuild=$(seconds_since "$t")

  # Jib (-Pjib: the AOT training runs in a container of the Jib base, the jre-image above). Cold = mvn
  # clean and an empty local repository (everything downloaded); the rebuild reuses both. The frontend's
  # training needs the stub's jar, so the stub module is in the reactor; Jib containerizes the frontend.
  local m2=$work/jib-m2
  jib() {
    ./mvnw -B -ntp -q "-Dmaven.repo.local=$m2" -Pjib -Danalyzer.skip -pl backend-stub,frontend -am package jib:dockerBuild \
      -Djib.containerize=frontend -Dmaven.test.skip=true "-Djib.base.image=docker://$jre" \
      -Dimage.registry=whoknows-bench -Dimage.tag=jib "$@"
  }
  log "images: cold Jib build (empty local repository, after mvn clean)"
  (cd "$src" && ./mvnw -B -ntp -q clean >/dev/null 2>&1)
  rm -rf "$m2"
  t=$EPOCHREALTIME
  if (cd "$src" && jib >"$work/jib-cold.log" 2>&1); then
    jib_cold=$(seconds_since "$t")
    one_line_edit "$src"
    t=$EPOCHREALTIME
    (cd "$src" && jib >"$work/jib-rebuild.log" 2>&1) || check "Jib rebuild failed (see $work/jib-rebuild.log)"
    jib_rebuild=$(seconds_since "$t")
    (cd "$src" && jib -Djib.containerize=backend-stub >"$work/jib-stub.log" 2>&1) || check "Jib build of the stub failed"
  else
    check "Jib build failed (see $work/jib-cold.log)"
    jib_cold=nan jib_rebuild=nan
  fi

  local r_df r_jib
  r_df=$(ratio "$rebuild" "$cold") r_jib=$(ratio "$jib_rebuild" "$jib_cold")
  para "Both ways build on the same runtime: \`debian:trixie-slim\`'s libraries + a jlink'ed Java 25"
  para "(the \`jre-image\` stage, $(mb "$(image_bytes "$jre")") MB, Jib's base), then the app, its AOT cache and SBOM."
  para "Cold Dockerfile build = \`docker build --no-cache\` with a fresh BuildKit cache-mount id (every dependency"
  para "and plugin downloaded, jlink, training); cold Jib build = \`mvn clean\`, then \`./mvnw -Pjib -Danalyzer.skip -pl backend-stub,frontend"
  para "-am package jib:dockerBuild -Djib.containerize=frontend -Dmaven.test.skip=true\` with an empty local repository"
  para "(the base image exists). Rebuilds reuse those caches and run the same commands; both include the training run"
  para "(a new jar means a new AOT cache). The one-line change adds a constant to frontend's Main.java (new bytecode)."
  para ""
  para "| image | whole image | runtime (jre-image) | app + cache + SBOM layers | cold build | rebuild after one-line change | ratio |"
  para "|---|---:|---:|---:|---:|---:|---:|"
  local img size_total size_app
  for img in "$img_df" "$stub_df" "$img_jib" "$stub_jib"; do
    docker image inspect "$img" >/dev/null 2>&1 || continue
    size_total=$(image_bytes "$img") size_app=$(added_bytes "$img" "$jre")
    case $img in
      "$img_df") para "| \`$img\` | $(mb "$size_total") MB | $(mb "$(image_bytes "$jre")") MB | $(mb "$size_app") MB | ${cold} s | ${rebuild} s | $(fmt "$r_df" 2) |" ;;
      "$img_jib") para "| \`$img\` | $(mb "$size_total") MB | $(mb "$(image_bytes "$jre")") MB | $(mb "$size_app") MB | ${jib_cold} s | ${jib_rebuild} s | $(fmt "$r_jib" 2) |" ;;
      *) para "| \`$img\` | $(mb "$size_total") MB | $(mb "$(image_bytes "$jre")") MB | $(mb "$size_app") MB | - | - | - |" ;;
    esac
    target "whole image \`$img\`" "$(mb "$size_total") MB" "≤ 180 MB here (≤ 120 MB upstream)" "$(verdict "$(mb "$size_total")" '<=' 180)"
  done
  target "rebuild / cold build, Dockerfile" "$(fmt "$r_df" 2)" "≤ 0.25" "$(verdict "$r_df" '<=' 0.25)"
  target "rebuild / cold build, Jib" "$(fmt "$r_jib" 2)" "≤ 0.25" "$(verdict "$r_jib" '<=' 0.25)"

  # start-up: interleaved runs, each image once per round; the frontend also with the cache turned off
  local port=$docker_port runs=${startup_runs:-10} idx
  local variants=("$img_df|" "$img_df|-XX:AOTMode=off" "$img_jib|" "$stub_df|" "$stub_jib|")
  log "images: $runs interleaved container starts per variant"
  for _ in $(seq "$runs"); do
    for idx in "${!variants[@]}"; do
      IFS='|' read -r img off <<<"${variants[$idx]}"
      docker image inspect "$img" >/dev/null 2>&1 || { echo "nan nan" >>"$work/cstart.$idx"; continue; }
      if [[ -n $off ]]; then time_container "$img" "$port" -e JAVA_TOOL_OPTIONS="$off"; else time_container "$img" "$port"; fi >>"$work/cstart.$idx"
    done
  done
  para ""
  para "Container start -> first 200 on \`/api/health\`, median of $runs interleaved runs, measured from the container's"
  para "\`State.StartedAt\` (target); \`docker run\` -> 200 beside it (includes the engine's ~0.3 s container set-up)."
  para "Run as compose runs them: read-only root fs, tmpfs /tmp, no capabilities, 256 MB limit."
  para ""
  para "| image | AOT cache | start -> 200 (median) | min | max | docker run -> 200 (median) |"
  para "|---|---|---:|---:|---:|---:|"
  for idx in "${!variants[@]}"; do
    IFS='|' read -r img off <<<"${variants[$idx]}"
    local med mn mx run_med
    med=$(cut -d' ' -f1 "$work/cstart.$idx" | grep -v nan | median)
    mn=$(cut -d' ' -f1 "$work/cstart.$idx" | grep -v nan | sort -g | head -1)
    mx=$(cut -d' ' -f1 "$work/cstart.$idx" | grep -v nan | sort -g | tail -1)
    run_med=$(cut -d' ' -f2 "$work/cstart.$idx" | grep -v nan | median)
    para "| \`$img\` | ${off:-on}${off:+ (JAVA_TOOL_OPTIONS=$off)} | $(fmt "$med" 0) ms | ${mn:-n/a} | ${mx:-n/a} | $(fmt "$run_med" 0) ms |"
    [[ -n $off ]] || target "container start -> 200, \`$img\`" "$(fmt "$med" 0) ms" "≤ 200 ms" "$(verdict "$med" '<=' 200)"
  done

  # RSS in the container after the mixed load: the stub and the frontend (Dockerfile images) on a network
  # of their own, wrk through the published port
  local net=whoknows-bench-net fe=whoknows-bench-fe be=whoknows-bench-be line rps p99 errs rss hwm
  docker_cleanup+=("docker rm -f $fe $be" "docker network rm $net")
  docker network create "$net" >/dev/null
  docker run -d --name "$be" --network "$net" --network-alias backend --read-only --tmpfs /tmp -m 256m "$stub_df" >/dev/null
  docker run -d --name "$fe" --network "$net" --read-only --tmpfs /tmp -m 256m -p "127.0.0.1:$port:8080" \
    -e BACKEND_URL=http://backend:5050 "$img_df" >/dev/null
  local deadline=$((SECONDS + 60))
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/search?q=docker"; do
    ((SECONDS < deadline)) || { check "containers for the RSS run did not answer"; break; }
    sleep 0.2
  done
  local mixed=(/ "$css_path" "$js_path" "$search_path" /login /weather /api/weather /about /api/session /nope)
  local secs=${rss_seconds:-60}
  line=$(wrk_run "$port" / "$secs" "${mixed[@]}")
  read -r rps _ p99 _ errs _ <<<"${line:-nan nan nan nan nan 0}"
  status_kb() { docker exec "$fe" bash -c "while read -r k v _; do [[ \$k == $1: ]] && echo \$v; done </proc/1/status"; }
  rss=$(awk -v k="$(status_kb VmRSS)" 'BEGIN { printf "%.1f", k / 1024 }')
  hwm=$(awk -v k="$(status_kb VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }')
  docker rm -f "$fe" "$be" >/dev/null 2>&1
  docker network rm "$net" >/dev/null 2>&1
  para ""
  para "RSS of the frontend's JVM (PID 1 of \`$img_df\`, VmRSS) after ${secs}s of mixed load through the container's"
  para "port (paths \`${mixed[*]}\`), the stub in a container beside it: **$rss MB** (peak VmHWM $hwm MB),"
  para "$(fmt "$rps" 0) req/s, p99 $(fmt "$p99" 2) ms, socket errors ${errs:-n/a}."
  target "frontend RSS in the container after ${secs}s mixed load" "$rss MB" "≤ 100 MB" "$(verdict "$rss" '<=' 100)"

  docker history --format '{{.Size}}\t{{.CreatedBy}}' "$img_df" 2>/dev/null |
    awk -F'\t' '$1 != "0B" {printf "- %s: %s\n", $1, substr($2, 1, 100)}' >"$work/history.txt" || true
  para ""
  para "Layers of the Dockerfile image that hold bytes (\`docker history\`, newest first):"
  para ""
  sed 's/|/\\|/g' "$work/history.txt" >>"$results"
}

bench_devloop() {
  if [[ ! -f $repo/docker-compose.dev.yml ]]; then
    para "skipped: docker-compose.dev.yml is missing"
    return
  fi
  local src=$work/dev-src project=whoknows-bench-dev port=$docker_port uid gid t ms_static ms_java
  bench_copy "$src"
  if [[ $(id -u) -eq 0 ]]; then uid=4242 gid=4242; chown -R "$uid:$gid" "$src"; else uid=$(id -u) gid=$(id -g); fi
  # our own image name (whoknows-bench/*), the rest of the dev stack as the project defines it
  printf 'services:\n  backend:\n    image: whoknows-bench/dev:latest\n  frontend:\n    image: whoknows-bench/dev:latest\n' \
    >"$work/dev-override.yml"
  dev() {
    HOST_PORT_FRONTEND=$port HOST_PORT_BACKEND=$((port + 1)) \
      HOST_PORT_FRONTEND_DEBUG=$((port + 2)) HOST_PORT_BACKEND_DEBUG=$((port + 3)) \
      docker compose -p "$project" --project-directory "$src" -f "$src/docker-compose.dev.yml" \
      -f "$work/dev-override.yml" "$@"
  }
  docker_cleanup+=("docker compose -p $project down -v --remove-orphans" "docker rmi -f whoknows-bench/dev:latest")
  log "dev loop: building and starting the dev stack (first start fills a fresh m2 volume)"
  t=$EPOCHREALTIME
  if ! dev up -d --build >"$work/dev-up.log" 2>&1; then
    check "dev stack did not start (see $work/dev-up.log)"
    return
  fi
  local deadline=$((SECONDS + 600))
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/health" && curl -sf -o /dev/null "http://127.0.0.1:$port/"; do
    if ((SECONDS > deadline)); then check "dev stack not healthy within 600 s"; dev logs --tail 40 >"$work/dev-logs.txt" 2>&1; return; fi
    sleep 1
  done
  local up_s
  up_s=$(seconds_since "$t")

  # wait_body URL TEXT BOUND_S: seconds until URL's body contains TEXT, and how many requests it took
  wait_body() {
    local start=$EPOCHREALTIME n=0 end=$((SECONDS + $3))
    while ((SECONDS <= end)); do
      n=$((n + 1))
      if curl -s --max-time 2 "$1" 2>/dev/null | grep -qF "$2"; then echo "$(seconds_since "$start") $n"; return 0; fi
      sleep 0.05
    done
    echo "nan $n"
  }
  local marker="bench-static-$RANDOM$RANDOM" css
  css=$(cd "$src/static" && { ls css/style.css 2>/dev/null || ls css/*.css; } | head -1)
  printf '\n/* %s */\n' "$marker" >>"$src/static/$css"
  read -r ms_static n_static <<<"$(wait_body "http://127.0.0.1:$port/static/$css" "$marker" 10)"
  local literal="frontend-bench-$RANDOM" file
  file=$(grep -rlF --include='*.java' '"service", "frontend"' "$src/frontend/src/main/java" | head -1)
  if [[ -z $file ]]; then
    check "dev loop: no Java file puts \"service\", \"frontend\" (the health answer) to edit"
    ms_java=nan
  else
    sed -i "s#\"service\", \"frontend\"#\"service\", \"$literal\"#" "$file"
    read -r ms_java _ <<<"$(wait_body "http://127.0.0.1:$port/api/health" "$literal" 60)"
  fi
  dev down -v --remove-orphans >/dev/null 2>&1 || true

  para "\`docker compose -f docker-compose.dev.yml up\` on a copy of the repository (project \`$project\`, frontend on :$port)."
  para "Build + start until healthy: ${up_s} s (first start fills a fresh m2 volume)."
  para ""
  para "| edit | time until served | requests polled |"
  para "|---|---:|---:|"
  para "| static: append a comment to \`static/$css\` | $(awk -v s="$ms_static" 'BEGIN { if (s == "nan") print "n/a"; else printf "%.0f ms", s * 1000 }') | ${n_static} |"
  para "| Java: the service name in the frontend's health answer | $(fmt "$ms_java" 1) s | - |"
  target "dev loop: static edit served on the next request" "request #${n_static}" "next request (#1)" \
    "$([[ $n_static == 1 && $ms_static != nan ]] && echo PASS || echo MISS)"
  target "dev loop: Java edit served" "$(fmt "$ms_java" 1) s" "≤ 5 s" "$(verdict "$ms_java" '<=' 5)"
}
