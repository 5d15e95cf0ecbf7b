#!/usr/bin/env bash
# Docker Swarm smoke test, run by CI after the compose smoke test. Deploys deploy/swarm/stack.yml for real
# and drives a fixed number of requests (the load stops by itself) through the stack's overlay network:
#   (a) a rolling update of the frontend to a newly tagged image      -> 0 failed, 0 connections cut
#   (b) a forced kill (SIGKILL) of one frontend task                   -> 0 failed (see "retried" below)
#   (c) an update to a deliberately broken image (its health check fails) rolls back by itself within
#       SWARM_ROLLBACK_BOUND_S (60) seconds                             -> 0 failed, 0 connections cut
# Measured through the overlay network, not a published port: the stack uses endpoint_mode dnsrr because
# virtual IPs and the routing mesh need the kernel's IPVS (stack.yml says why). The load client is a one-off
# service on the stack's network (a plain `docker run` container cannot join a swarm overlay network).
# It resolves "frontend" for every request (DNS round robin over the healthy tasks) and retries a request
# once, like a load balancer's "next upstream", only when the connection itself broke (curl exit 7, 52, 56:
# refused, empty reply, reset); an HTTP error status is never retried. "retried" counts those; "failed"
# counts requests without a 200 in the end.
# A single-node swarm is initialised only if this engine is in none, and left again only if it was.
# Everything it creates (stack, services, network, images with its tags) is removed, also on failure.
# Without Docker it says so and exits 0, unless CI is set or REQUIRE_DOCKER=true (then it fails).
# env: SWARM_IMAGE_TAG (reuse whoknows/{frontend,backend-stub}:TAG instead of building),
#      SWARM_CLIENT_IMAGE (eclipse-temurin:21-jre; needs bash and curl), SWARM_ROLLBACK_BOUND_S (60),
#      SWARM_UPDATE_REQUESTS (1500), SWARM_KILL_REQUESTS (600), SWARM_ROLLBACK_REQUESTS (1500),
#      SWARM_LOAD_WORKERS (3), SWARM_LOAD_RATE (10: at most this many requests a second per worker, so a
#      fixed count lasts long enough on a fast machine: 1500 requests >= 50 s; a slow one sends fewer)
set -euo pipefail
# shellcheck source=docker/lib.sh
source "$(dirname "$0")/../../docker/lib.sh"
rm -f "$BODY_FILE" "$HEAD_FILE" # lib.sh's http() is not used here
require_docker

run_id=$$
tag=swarm-smoke-$run_id
stack=wkswarm-$run_id
frontend=${stack}_frontend
client_image=${SWARM_CLIENT_IMAGE:-eclipse-temurin:21-jre}
rollback_bound=${SWARM_ROLLBACK_BOUND_S:-60}
workers=${SWARM_LOAD_WORKERS:-3}
rate=${SWARM_LOAD_RATE:-10}
work=$(mktemp -d /tmp/whoknows-swarm.XXXXXX)
images=("whoknows/frontend:$tag" "whoknows/backend-stub:$tag" "whoknows/frontend:$tag-v2" "whoknows/frontend:$tag-broken")
created_swarm=false
clients=()
started=$SECONDS

now_ms() { date +%s%3N; }

cleanup() {
  local rc=$? c
  set +e
  if [ $rc -ne 0 ]; then
    for c in "$frontend" "${stack}_backend"; do
      log "tasks of $c:"
      docker service ps --no-trunc --format '  {{.Name}} {{.Image}} {{.CurrentState}} {{.Error}}' "$c" 2>/dev/null | head -n 12
      docker service logs --raw --tail 30 "$c" 2>/dev/null | sed "s/^/  [$c] /"
    done
  fi
  for c in "${clients[@]}"; do docker service rm "$c" >/dev/null 2>&1; done
  if docker stack ls --format '{{.Name}}' 2>/dev/null | grep -qx "$stack"; then
    docker stack rm "$stack" >/dev/null 2>&1
  fi
  # stack rm returns at once; containers and the network go away shortly after
  for _ in $(seq 60); do
    [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$stack")" ] &&
      [ -z "$(docker network ls -q --filter "label=com.docker.stack.namespace=$stack")" ] && break
    sleep 1
  done
  docker image rm -f "${images[@]}" >/dev/null 2>&1
  if [ "$created_swarm" = true ]; then docker swarm leave --force >/dev/null 2>&1; fi
  rm -rf "$work"
  if [ $rc -eq 0 ]; then log "PASSED in $((SECONDS - started)) s"; else log "FAILED (exit $rc)"; fi
}
trap cleanup EXIT

# ------------------------------------------------------------------------------------------------ swarm
case "$(docker info -f '{{.Swarm.LocalNodeState}}')" in
  inactive)
    docker swarm init --advertise-addr 127.0.0.1 >/dev/null || fail "docker swarm init"
    created_swarm=true
    log "initialised a single-node swarm (left again at the end)"
    ;;
  active)
    [ "$(docker info -f '{{.Swarm.ControlAvailable}}')" = true ] ||
      fail "this engine is a swarm worker; run this on a manager node"
    log "using the active swarm (left as it is)"
    ;;
  *) fail "swarm state '$(docker info -f '{{.Swarm.LocalNodeState}}')': neither inactive nor active" ;;
esac

# ----------------------------------------------------------------------------------------------- images
t=$(now_ms)
if [ -n "${SWARM_IMAGE_TAG:-}" ]; then
  for module in frontend backend-stub; do
    docker tag "whoknows/$module:$SWARM_IMAGE_TAG" "whoknows/$module:$tag" ||
      fail "whoknows/$module:$SWARM_IMAGE_TAG not found (SWARM_IMAGE_TAG)"
  done
  log "reusing whoknows/{frontend,backend-stub}:$SWARM_IMAGE_TAG as :$tag"
else
  log "building whoknows/{frontend,backend-stub}:$tag from docker/Dockerfile"
  TAG=$tag BUILD_VERSION=$tag compose "$stack-build" build --quiet >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log"; fail "docker compose build"; }
fi
# the update's target: the same application, a new tag and a version /api/health reports
mkdir -p "$work/v2" "$work/broken"
printf 'FROM whoknows/frontend:%s\nENV BUILD_VERSION=%s-v2\n' "$tag" "$tag" >"$work/v2/Dockerfile"
docker build -q -t "whoknows/frontend:$tag-v2" "$work/v2" >/dev/null || fail "building whoknows/frontend:$tag-v2"
# a release whose health check never passes (the app itself would start)
printf '#!/bin/sh\necho "unhealthy: deliberately broken image (deploy/swarm/smoke.sh)"\nexit 1\n' >"$work/broken/healthcheck.sh"
chmod 755 "$work/broken/healthcheck.sh"
printf 'FROM whoknows/frontend:%s\nCOPY healthcheck.sh /app/healthcheck.sh\n' "$tag" >"$work/broken/Dockerfile"
docker build -q -t "whoknows/frontend:$tag-broken" "$work/broken" >/dev/null ||
  fail "building whoknows/frontend:$tag-broken"
log "images ready in $(($(now_ms) - t)) ms"
docker image inspect "$client_image" >/dev/null 2>&1 || docker pull -q "$client_image" >/dev/null ||
  fail "load client image $client_image is not available (SWARM_CLIENT_IMAGE)"
docker run --rm --entrypoint bash "$client_image" -c 'command -v curl' >/dev/null 2>&1 ||
  fail "load client image $client_image has no bash or no curl (SWARM_CLIENT_IMAGE)"

# -------------------------------------------------------------------------------------------- deploy
# healthy_tasks SERVICE: how many of its containers Docker reports healthy
healthy_tasks() {
  docker ps -q --filter "label=com.docker.swarm.service.name=$1" --filter health=healthy | wc -l
}
# wait_service SERVICE REPLICAS SECONDS: every desired task running and healthy
wait_service() {
  local service=$1 want=$2 deadline=$((SECONDS + $3)) running
  while ((SECONDS < deadline)); do
    running=$(docker service ps -q --filter desired-state=running "$service" | wc -l)
    [ "$running" -eq "$want" ] && [ "$(healthy_tasks "$service")" -eq "$want" ] && return 0
    sleep 1
  done
  fail "$service: not $want healthy tasks within $3 s (healthy: $(healthy_tasks "$service"))"
}

t=$(now_ms)
# the stack file reads the same variables as docker-compose.yml; only the tag is ours
(cd "$ROOT" && TAG=$tag docker stack deploy --prune -c deploy/swarm/stack.yml "$stack" >"$work/deploy.log" 2>&1) ||
  { cat "$work/deploy.log"; fail "docker stack deploy"; }
wait_service "${stack}_backend" 1 120
wait_service "$frontend" 3 120
log "stack $stack deployed, 3 frontend tasks + 1 backend healthy in $(($(now_ms) - t)) ms"

# --------------------------------------------------------------------------------------------- load
# The client: WORKERS loops share REQUESTS requests over a page, a proxied search and /api/health.
# Each line it prints: FAIL/RETRY details, then "RESULT sent= failed= retried= start= end=" (ms).
# shellcheck disable=SC2016 # expanded by the client's bash, not here
client_script='
total=$1 workers=$2 interval=$((1000000 / $3))
paths=(/ "/api/search?q=docker" /api/health)
once() { curl -s -o /dev/null -w "%{http_code}" --max-time 5 "http://frontend:8080$1"; }
worker() {
  local w=$1 i p code rc sent=0 failed=0 retried=0 next now
  next=${EPOCHREALTIME/./}
  for ((i = w; i < total; i += workers)); do
    p=${paths[i % ${#paths[@]}]}
    code=$(once "$p") && rc=0 || rc=$?
    if [ "$code" = 000 ] && { [ $rc = 7 ] || [ $rc = 52 ] || [ $rc = 56 ]; }; then
      retried=$((retried + 1))
      echo "RETRY $(date +%T.%3N) $p curl-exit=$rc"
      code=$(once "$p") && rc=0 || rc=$?
    fi
    sent=$((sent + 1))
    if [ "$code" != 200 ]; then
      failed=$((failed + 1))
      echo "FAIL $(date +%T.%3N) $p http=$code curl-exit=$rc"
    fi
    # paced: the next request is due one interval after this one was (no catching up in bursts)
    next=$((next + interval)) now=${EPOCHREALTIME/./}
    if ((next > now)); then sleep "$(printf "%d.%06d" $(((next - now) / 1000000)) $(((next - now) % 1000000)))"; else next=$now; fi
  done
  echo "W $sent $failed $retried" >"/tmp/w$w"
}
command -v curl >/dev/null || { echo "RESULT error=no-curl-in-client-image"; exit 1; }
start=$(date +%s%3N)
for ((w = 0; w < workers; w++)); do worker $w & done
wait
cat /tmp/w* | awk -v s="$start" -v e="$(date +%s%3N)" \
  "{n+=\$2; f+=\$3; r+=\$4} END {printf \"RESULT sent=%d failed=%d retried=%d start=%s end=%s\\n\", n, f, r, s, e}"
'

# start_load NAME REQUESTS: starts the client service; returns once it sends requests
start_load() {
  local name=$stack-$1
  clients+=("$name")
  docker service create -q --detach --name "$name" --network "${stack}_whoknows" \
    --restart-condition none \
    "$client_image" bash -c "$client_script" client "$2" "$workers" "$rate" >/dev/null 2>&1 ||
    fail "could not start the load client $name"
  local deadline=$((SECONDS + 60))
  until docker service ps --format '{{.CurrentState}}' "$name" | grep -q '^Running'; do
    ((SECONDS < deadline)) || fail "load client $name did not start within 60 s"
    sleep 0.5
  done
  sleep 2 # the first requests are on their way
}

# finish_load NAME: waits for the client to end; sets sent failed retried load_start load_end
finish_load() {
  local name=$stack-$1 deadline=$((SECONDS + 600)) state result
  while :; do
    state=$(docker service ps --format '{{.CurrentState}}' "$name" | head -n1)
    case "$state" in Complete* | Failed* | Rejected* | Shutdown*) break ;; esac
    ((SECONDS < deadline)) || fail "load client $name still running after 600 s"
    sleep 1
  done
  docker service logs --raw "$name" >"$work/$1.log" 2>&1
  grep -E '^(FAIL|RETRY)' "$work/$1.log" | head -n 20 | sed "s/^/  [$1] /" || true
  result=$(grep '^RESULT' "$work/$1.log" | tail -n1)
  [[ "$result" == *sent=* ]] || { cat "$work/$1.log"; fail "load client $name ($state) reported no result"; }
  sent=$(sed -E 's/.*sent=([0-9]+).*/\1/' <<<"$result")
  failed=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$result")
  retried=$(sed -E 's/.*retried=([0-9]+).*/\1/' <<<"$result")
  load_start=$(sed -E 's/.*start=([0-9]+).*/\1/' <<<"$result")
  load_end=$(sed -E 's/.*end=([0-9]+).*/\1/' <<<"$result")
  docker service rm "$name" >/dev/null 2>&1 || true
}

# covered PHASE FROM_MS TO_MS: the load ran over the whole event
covered() {
  ((load_start <= $2 && load_end >= $3)) ||
    fail "$1: the load (${load_start}..${load_end} ms) did not span the event (${2}..${3} ms); raise the request count"
}

update_state() { docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$frontend"; }
update_started() { docker service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.StartedAt}}{{end}}' "$frontend"; }
running_images() {
  docker service ps --filter desired-state=running --format '{{.Image}}' "$frontend" | sort | uniq -c | xargs
}

# update_frontend IMAGE: asks for the update and returns at once
update_frontend() {
  previous_update=$(update_started)
  docker service update -q --detach --image "$1" "$frontend" >/dev/null 2>&1 ||
    fail "docker service update --image $1"
}

# await_update STATE SECONDS: until this update (not the one before) is in STATE; another final state fails
await_update() {
  local want=$1 deadline=$((SECONDS + $2)) state
  while :; do
    state=$(update_state)
    if [ "$(update_started)" != "$previous_update" ]; then
      [ "$state" = "$want" ] && return 0
      case "$state" in completed | paused | rollback_completed | rollback_paused)
        fail "frontend update: $state, expected $want" ;;
      esac
    fi
    ((SECONDS < deadline)) || fail "frontend update not $want within $2 s (state: ${state:-none})"
    sleep 0.5
  done
}

summary=()
# report PHASE TEXT STRICT: logs and keeps the phase's figures; fails on a failed request and, when
# STRICT is true, on a broken connection
report() {
  log "$2: sent $sent, failed $failed, retried $retried"
  summary+=("$1: sent $sent, failed $failed, retried $retried; $2")
  [ "$failed" -eq 0 ] || fail "$1: $failed of $sent requests failed"
  [ "$3" = false ] || [ "$retried" -eq 0 ] ||
    fail "$1: $retried connections broke (a task stopped before it drained)"
}

# ---------------------------------------------------------------------------- (a) rolling update
start_load update "${SWARM_UPDATE_REQUESTS:-1500}"
t=$(now_ms)
update_frontend "whoknows/frontend:$tag-v2"
await_update completed 300
t_done=$(now_ms)
wait_service "$frontend" 3 60
[ "$(running_images)" = "3 whoknows/frontend:$tag-v2" ] || fail "after the update: $(running_images)"
finish_load update
covered "rolling update" "$t" "$t_done"
report update "(a) rolling update of 3 tasks (start-first) to :$tag-v2 done in $((t_done - t)) ms" true

# ---------------------------------------------------------------------------- (b) kill one task
start_load kill "${SWARM_KILL_REQUESTS:-600}"
victim=$(docker ps -q --filter "label=com.docker.swarm.service.name=$frontend" --filter health=healthy | head -n1)
[ -n "$victim" ] || fail "no healthy frontend task to kill"
t=$(now_ms)
docker kill "$victim" >/dev/null || fail "docker kill $victim"
# swarm notices, starts a replacement and waits for it to turn healthy
sleep 1
wait_service "$frontend" 3 90
t_done=$(now_ms)
finish_load kill
covered "kill" "$t" "$t_done"
report kill "(b) SIGKILL of one frontend task, replaced and healthy after $((t_done - t)) ms" false

# ---------------------------------------------------------------------------- (c) broken image rolls back
start_load rollback "${SWARM_ROLLBACK_REQUESTS:-1500}"
t=$(now_ms)
update_frontend "whoknows/frontend:$tag-broken"
await_update rollback_completed "$rollback_bound"
t_done=$(now_ms)
wait_service "$frontend" 3 60
[ "$(running_images)" = "3 whoknows/frontend:$tag-v2" ] || fail "after the rollback: $(running_images)"
finish_load rollback
covered "rollback" "$t" "$t_done"
report rollback "(c) broken image :$tag-broken rolled back by itself in $((t_done - t)) ms (bound ${rollback_bound} s)" true

log "summary (load: $workers workers of at most $rate requests/s, through the overlay network, DNS round robin):"
for line in "${summary[@]}"; do log "  $line"; done
