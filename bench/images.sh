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

# added_bytes IMAGE BASE: bytes of the layers IMAGE adds on top of BASE (checks BASE's layers are a prefix)
added_bytes() {
  local image=$1 base=$2 il bl
  il=$(docker image inspect -f '{{join .RootFS.Layers " "}}' "$image")
  bl=$(docker image inspect -f '{{join .RootFS.Layers " "}}' "$base")
  if [[ "$il" != "$bl"* ]]; then
    echo nan
    return
  fi
  echo $(($(image_bytes "$image") - $(image_bytes "$base")))
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

bench_images() {
  if [[ ! -f $repo/docker/Dockerfile ]]; then
    para "skipped: docker/Dockerfile is missing"
    return
  fi
  local src=$work/image-src base t cold rebuild size_df size_jib total_df total_jib jib_cold jib_rebuild
  base=$(awk '/^FROM .* AS runtime$/ {print $2; exit}' "$repo/docker/Dockerfile")
  [[ -n $base ]] || base=eclipse-temurin:21-jre
  bench_copy "$src"
  # cold means cold: a cache-mount id of its own, so the dependency step downloads everything
  sed -i "s/id=whoknows-m2/id=whoknows-bench-m2-$RANDOM$RANDOM/" "$src/docker/Dockerfile"
  docker_cleanup+=("docker rmi -f whoknows-bench/frontend:dockerfile whoknows-bench/frontend:jib")
  local build=(docker build -q -f "$src/docker/Dockerfile" --build-arg MODULE=frontend --build-arg BUILD_VERSION=bench
    --target production -t whoknows-bench/frontend:dockerfile "$src")

  log "images: cold Dockerfile build (--no-cache)"
  t=$EPOCHREALTIME
  if ! DOCKER_BUILDKIT=1 "${build[@]}" --no-cache >"$work/docker-cold.log" 2>&1; then
    check "Dockerfile build failed (see $work/docker-cold.log)"
    return
  fi
  cold=$(seconds_since "$t")
  one_line_edit "$src"
  log "images: Dockerfile rebuild after a one-line Java change"
  t=$EPOCHREALTIME
  DOCKER_BUILDKIT=1 "${build[@]}" >"$work/docker-rebuild.log" 2>&1 || check "Dockerfile rebuild failed"
  rebuild=$(seconds_since "$t")
  size_df=$(added_bytes whoknows-bench/frontend:dockerfile "$base")
  total_df=$(image_bytes whoknows-bench/frontend:dockerfile)

  # Jib: cold = clean module build; the base comes from the local daemon (no registry here).
  # One Maven run, as README shows for a single image: jib.containerize limits Jib to the frontend, and
  # without test compilation (like the Dockerfile) the frontend needs nothing else from the reactor.
  # A local repository of its own: empty for the cold build (everything downloaded, as on a fresh CI
  # runner), then warm for the rebuild, like the Dockerfile's cache mount.
  local m2=$work/jib-m2
  jib() {
    ./mvnw -B -ntp -q "-Dmaven.repo.local=$m2" -pl frontend -am package jib:dockerBuild -Djib.containerize=frontend \
      -Dmaven.test.skip=true "-Djib.from.image=docker://$base" -Dimage.registry=whoknows-bench -Dimage.tag=jib
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
    size_jib=$(added_bytes whoknows-bench/frontend:jib "$base")
    total_jib=$(image_bytes whoknows-bench/frontend:jib)
  else
    check "Jib build failed (see $work/jib-cold.log)"
    jib_cold=nan jib_rebuild=nan size_jib=nan total_jib=nan
  fi

  local r_df r_jib
  r_df=$(ratio "$rebuild" "$cold") r_jib=$(ratio "$jib_rebuild" "$jib_cold")
  para "Frontend image, base \`$base\` (the machine's stand-in: compare added layers, not totals)."
  para "Cold Dockerfile build = \`docker build --no-cache\` with a fresh BuildKit cache-mount id (every"
  para "dependency and plugin downloaded); cold Jib build = \`mvn clean\`, then one \`./mvnw -pl frontend -am package
  jib:dockerBuild -Djib.containerize=frontend -Dmaven.test.skip=true\` with an empty local repository. Rebuilds
  reuse those caches (and run the same commands). \`jib:dockerBuild\` always hands the whole image,
  base layers included, to \`docker load\`; a registry push (\`jib:build\`) sends only changed layers."
  para "The one-line change adds a constant to frontend's Main.java (new bytecode)."
  para ""
  para "| image | added layers | whole image | cold build | rebuild after one-line change | ratio |"
  para "|---|---:|---:|---:|---:|---:|"
  para "| Dockerfile (\`whoknows-bench/frontend:dockerfile\`) | $(mb "$size_df") MB | $(mb "$total_df") MB | ${cold} s | ${rebuild} s | $(fmt "$r_df" 2) |"
  para "| Jib (\`whoknows-bench/frontend:jib\`) | $(mb "$size_jib") MB | $(mb "$total_jib") MB | ${jib_cold} s | ${jib_rebuild} s | $(fmt "$r_jib" 2) |"
  target "added image layers, Dockerfile" "$(mb "$size_df") MB" "≤ 12 MB" "$(verdict "$(mb "$size_df")" '<=' 12)"
  target "added image layers, Jib" "$(mb "$size_jib") MB" "≤ 12 MB" "$(verdict "$(mb "$size_jib")" '<=' 12)"
  target "rebuild / cold build, Dockerfile" "$(fmt "$r_df" 2)" "≤ 0.25" "$(verdict "$r_df" '<=' 0.25)"
  target "rebuild / cold build, Jib" "$(fmt "$r_jib" 2)" "≤ 0.25" "$(verdict "$r_jib" '<=' 0.25)"
  docker history --format '{{.Size}}\t{{.CreatedBy}}' whoknows-bench/frontend:dockerfile 2>/dev/null |
    head -8 | awk -F'\t' '{printf "- %s: %s\n", $1, substr($2, 1, 100)}' >"$work/history.txt" || true
  para ""
  para "Top layers of the Dockerfile image (\`docker history\`):"
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
    HOST_UID=$uid HOST_GID=$gid HOST_PORT_FRONTEND=$port HOST_PORT_BACKEND=$((port + 1)) \
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
