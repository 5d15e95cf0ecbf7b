#!/usr/bin/env bash
# Container smoke test, run by CI after the Maven tests (needs Docker with compose v2 and BuildKit).
#  1. builds both images from docker/Dockerfile, the Jib base (target jre-image) and both images with
#     Jib -Pjib (same names, different tags); checks they start the JVM with the same flags
#     (/app/jvm.options, the AOT cache flag) and MALLOC_* variables and carry the SBOM its label names,
#  2. production stack (Dockerfile images): healthy, a page, /api/health, a proxied search, a login,
#     whoknows/conformance --frontend against it (JUnit report in target/conformance/), the AOT cache
#     used (not rejected) by both real containers on their read-only root fs (-Xlog:aot, class+load),
#     and refused by the frontend image's JVM once its jar is not the trained one (JDK-8377932),
#     non-root + no capabilities, `restart frontend` under light load -> healthy again,
#  3. the same AOT proof for the Jib images, then docker/compare-images.sh: they answer exactly like
#     the Dockerfile images,
#  4. dev stack on throwaway copies of the repository, with no .env: once owned by root (it comes up,
#     a static edit shows), once owned by a normal user (uid 4242 when run as root): a static/ edit and
#     a Java edit in each module become visible within a bound; what it writes belongs to the owner.
# Everything it starts (containers, networks, volumes, images with its tags) is removed, also on failure.
# Without Docker it says so and exits 0, unless CI is set or REQUIRE_DOCKER=true (then it fails).
# env: SMOKE_PORT (8400; uses the next few ports too)
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
jib_base=whoknows/jre:smoke-$run_id
work=$(mktemp -d /tmp/whoknows-smoke.XXXXXX)
export COMPOSE_OVERRIDE=$work/aot-override.yml
aot_override "$COMPOSE_OVERRIDE"
load_pid=

cleanup() {
  local rc=$?
  set +e
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null; fi
  # shellcheck disable=SC2034 # read by down_all in docker/lib.sh
  if [ $rc -ne 0 ]; then SHOW_LOGS=true; fi
  down_all "$prod" "$prod-jib" "$dev"
  docker volume rm "${dev}_m2" >/dev/null 2>&1 || true
  docker image rm -f "whoknows/frontend:$tag_df" "whoknows/backend-stub:$tag_df" "$jib_base" \
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

t=$(date +%s%N)
log "building the Jib base $jib_base (docker/Dockerfile, target jre-image: the same jlink'ed runtime)"
DOCKER_BUILDKIT=1 docker build -q -f "$ROOT/docker/Dockerfile" --target jre-image -t "$jib_base" "$ROOT" \
  >"$work/jre.log" 2>&1 || { tail -n 40 "$work/jre.log"; fail "docker build --target jre-image"; }
log "building whoknows/{frontend,backend-stub}:$tag_jib with Jib -Pjib (AOT training in a container of $jib_base)"
(cd "$ROOT" && ./mvnw -B -ntp -q -Dstyle.color=never -Pjib -Danalyzer.skip -pl backend-stub,frontend -am package jib:dockerBuild \
   -DskipTests -Djib.base.image="docker://$jib_base" -Dimage.tag="$tag_jib" -Dbuild.version="$version" \
   >"$work/jib.log" 2>&1) || { tail -n 40 "$work/jib.log"; fail "Jib build"; }
log "Jib images built in $(ms_since "$t") ms"

# The JVM flags (/app/jvm.options, read by both entrypoints), the entrypoint up to the classpath and the
# JVM's environment (MALLOC_*) must be the same for both ways; both carry the SBOM their label names.
jvm_settings() {
  docker image inspect -f '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$1" | sed '/^-cp$\|^-jar$/,$d'
  docker run --rm --entrypoint bash "$1" -c 'while read -r l; do [[ $l == -* ]] && echo "$l"; done </app/jvm.options'
  docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$1" | grep '^MALLOC_' | sort -u || true
}
for module in frontend backend-stub; do
  a=$(jvm_settings "whoknows/$module:$tag_df") b=$(jvm_settings "whoknows/$module:$tag_jib")
  [ -n "$a" ] && [ "$a" = "$b" ] ||
    fail "whoknows/$module: JVM settings differ: Dockerfile image [$(echo $a)], Jib image [$(echo $b)]"
  grep -q -- '-XX:AOTCache=/app/app.aot' <<<"$a" || fail "whoknows/$module: the entrypoint does not use /app/app.aot"
  for tag in "$tag_df" "$tag_jib"; do
    sbom=$(docker image inspect -f '{{index .Config.Labels "dev.whoknows.sbom"}}' "whoknows/$module:$tag")
    [ -n "$sbom" ] || fail "whoknows/$module:$tag has no dev.whoknows.sbom label"
    docker run --rm --entrypoint bash "whoknows/$module:$tag" -c "read -r -N 4000 head <'$sbom'; [[ \$head == *'\"bomFormat\" : \"CycloneDX\"'* && \$head == *'\"name\" : \"$module\"'* ]]" ||
      fail "whoknows/$module:$tag: $sbom is not the module's CycloneDX SBOM"
  done
done
log "ok: Dockerfile and Jib images start the JVM the same way: $(echo $a); both carry their CycloneDX SBOM (label dev.whoknows.sbom)"
for tag in "$tag_df" "$tag_jib"; do
  log "image sizes ($tag): frontend $(($(docker image inspect -f '{{.Size}}' "whoknows/frontend:$tag") / 1000000)) MB, backend-stub $(($(docker image inspect -f '{{.Size}}' "whoknows/backend-stub:$tag") / 1000000)) MB"
done

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
  summary=$(prove_aot "$prod" "$service")
  log "ok: $summary"
done
summary=$(stale_jar_refused "whoknows/frontend:$tag_df" "$work")
log "ok: $summary"

for service in frontend backend; do
  id=$(compose "$prod" ps -q "$service")
  # the image has bash and the JVM only (no cat, no ps): read /proc with bash
  status_of_1=$(docker exec "$id" bash -c 'while IFS= read -r l; do echo "$l"; done </proc/1/status')
  uid=$(awk '/^Uid:/ {print $2}' <<<"$status_of_1")
  caps=$(awk '/^CapEff:/ {print $2}' <<<"$status_of_1")
  [ -n "$uid" ] && [ "$uid" != 0 ] || fail "$service runs as uid '$uid'"
  [ "$caps" = 0000000000000000 ] || fail "$service has capabilities $caps"
  [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$id")" = true ] || fail "$service root fs is writable"
  [ "$(docker inspect -f '{{len .HostConfig.CapAdd}}' "$id")" = 0 ] || fail "$service adds capabilities"
  docker inspect -f '{{.HostConfig.SecurityOpt}}' "$id" | grep -q no-new-privileges || fail "$service lacks no-new-privileges"
  docker exec "$id" bash -c 'echo x > /app/probe' 2>/dev/null && fail "$service could write to /app"
  log "ok: $service runs as uid $uid, no capabilities, read-only root fs, no-new-privileges"
done
[ "$(docker run --rm --entrypoint bash "whoknows/frontend:$tag_df" -c 'read -r v </app/VERSION; echo "$v"')" = "$version" ] ||
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
TAG=$tag_jib HOST_PORT_FRONTEND=$((port + 9)) compose "$prod-jib" up -d --no-build >"$work/up-jib.log" 2>&1 ||
  { cat "$work/up-jib.log"; fail "docker compose up (Jib images)"; }
wait_healthy "$prod-jib" backend 90
wait_healthy "$prod-jib" frontend 90
status=$(http GET "http://localhost:$((port + 9))/api/search?q=python")
[ "$status" = 200 ] || fail "Jib images: proxied search answered $status"
for service in frontend backend; do
  summary=$(prove_aot "$prod-jib" "$service")
  log "ok (Jib): $summary"
done
down_all "$prod-jib"
COMPOSE_OVERRIDE='' COMPARE_PORT=$((port + 10)) "$ROOT/docker/compare-images.sh" "$tag_df" "$tag_jib"

# ------------------------------------------------------------------------------------------- dev stack
# Two throwaway copies of the repository and no .env: the containers must find out whose checkout it is.
make_copy() {
  mkdir -p "$1"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$1")
  rm -f "$1/.env"
}
dev_compose() { # dev_compose COPY ARGS...
  local dir=$1
  shift
  TAG=$tag_dev HOST_PORT_FRONTEND=$dev_port HOST_PORT_BACKEND=$dev_backend_port \
    HOST_PORT_FRONTEND_DEBUG=${dev_debug_ports[0]} HOST_PORT_BACKEND_DEBUG=${dev_debug_ports[1]} \
    docker compose -p "$dev" --project-directory "$dir" -f "$dir/docker-compose.dev.yml" "$@"
}
# dev_uid_of SERVICE: the uid dev-run.sh (and so the JVM and javac) runs as in the service's container
dev_uid_of() {
  local id
  id=$(docker ps -q --filter "label=com.docker.compose.project=$dev" --filter "label=com.docker.compose.service=$1" | head -n1)
  docker top "$id" -o pid,uid,args 2>/dev/null | awk '/dev-run.sh/ && !/docker-init/ {print $2; exit}'
}
# dev_up COPY UID: builds and starts the dev stack on COPY; both services healthy and running as UID
dev_up() {
  local dir=$1 want=$2 service
  dev_compose "$dir" build --quiet >"$work/dev-build.log" 2>&1 || { tail -n 40 "$work/dev-build.log"; fail "dev image build"; }
  dev_compose "$dir" up -d >"$work/dev-up.log" 2>&1 || { cat "$work/dev-up.log"; fail "dev stack up"; }
  wait_healthy "$dev" backend 600 "initial build failed"
  wait_healthy "$dev" frontend 600 "initial build failed"
  for service in backend frontend; do
    [ "$(dev_uid_of "$service")" = "$want" ] ||
      fail "dev $service runs as uid '$(dev_uid_of "$service")', not the checkout's owner $want"
  done
}
dev_base=http://localhost:$dev_port

# 1. a checkout owned by root (only root can make one)
if [ "$(id -u)" = 0 ]; then
  root_copy=$work/repo-root
  make_copy "$root_copy"
  t=$(date +%s%N)
  log "dev stack on a root-owned checkout, no .env (first start downloads dependencies into a fresh m2 volume)"
  dev_up "$root_copy" 0
  [ "$(stat -c %u "$root_copy/frontend/target/classes")" = 0 ] || fail "root-owned checkout: target/classes not root's"
  sed -i "s#</body>#<!-- smoke-root-$run_id --></body>#" "$root_copy/static/index.html"
  curl -s --max-time 5 "$dev_base/" | grep -qF "smoke-root-$run_id" || fail "root-owned checkout: static edit not served"
  log "ok: dev stack on a root-owned checkout healthy in $(ms_since "$t") ms, running as root, static edit served"
  dev_compose "$root_copy" down --timeout 10 >/dev/null 2>&1 # keeps the m2 volume: the next run takes it over
else
  log "SKIPPED: the root-owned checkout case needs root to create one (run as root or in CI)"
fi

# 2. a checkout owned by a normal user: ours, or uid 4242 when we are root
copy=$work/repo
make_copy "$copy"
if [ "$(id -u)" = 0 ]; then dev_uid=4242 dev_gid=4242; chown -R "$dev_uid:$dev_gid" "$copy"; else dev_uid=$(id -u) dev_gid=$(id -g); fi
t=$(date +%s%N)
log "dev stack on a checkout owned by uid $dev_uid, no .env"
dev_up "$copy" "$dev_uid"
log "dev stack healthy in $(ms_since "$t") ms, both containers running as the owner (uid $dev_uid)"

# wait_for URL TEXT BOUND_MS: polls until the body of URL contains TEXT; prints the time it took
wait_for() {
  local url=$1 text=$2 bound=$3 start
  start=$(date +%s%N)
  while (($(ms_since "$start") < bound)); do
    curl -s --max-time 2 "$url" 2>/dev/null | grep -qF "$text" && { ms_since "$start"; return 0; }
    sleep 0.1
  done
  fail "'$text' did not appear at $url within $bound ms" >&2 # stderr: callers capture stdout
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
ms=$(wait_for "$dev_base/api/health" "frontend-$run_id" 30000) || exit 1
log "ok: frontend Java edit served after $ms ms (bound 30000 ms)"
java_edit backend-stub backend-stub "backend-stub-$run_id"
ms=$(wait_for "http://localhost:$dev_backend_port/api/health" "backend-stub-$run_id" 30000) || exit 1
log "ok: backend-stub Java edit served after $ms ms (bound 30000 ms)"

status=$(http GET "$dev_base/api/search?q=python")
[ "$status" = 200 ] || fail "dev stack: proxied search answered $status"
root_owned=$(find "$copy" -user 0 | head -n 5)
[ "$(id -u)" != 0 ] || [ -z "$root_owned" ] || fail "the dev stack left root-owned files: $root_owned"
[ -d "$copy/frontend/target/classes" ] && [ "$(stat -c %u "$copy/frontend/target/classes")" = "$dev_uid" ] ||
  fail "frontend/target/classes is not owned by uid $dev_uid"
log "ok: files the dev stack wrote belong to uid $dev_uid"
