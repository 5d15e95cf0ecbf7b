#!/usr/bin/env bash
# Grafana runtime check (the GitHub workflow runs it; no Grafana image can be had on every machine):
# starts Prometheus and Grafana of the monitoring profile and checks, through Grafana's HTTP API, that the
# provisioned Prometheus datasource answers and the WhoKnows dashboard is provisioned with every panel.
# Removes everything it started. Without the Grafana image (and no registry to pull it from) it says so
# and exits 0, unless REQUIRE_GRAFANA=true. env: GRAFANA_CHECK_PORT (8710; +1 for Prometheus).
set -euo pipefail
source "$(dirname "$0")/../docker/lib.sh"
require_docker
command -v python3 >/dev/null || fail "python3 is needed to read Grafana's API"

port=${GRAFANA_CHECK_PORT:-8710}
project=wkgrafana-$$
image=$(docker compose -f "$ROOT/docker-compose.yml" --profile monitoring config --images 2>/dev/null | grep '^grafana/' | head -n1)
[ -n "$image" ] || fail "docker-compose.yml has no grafana image in the monitoring profile"
if ! docker image inspect "$image" >/dev/null 2>&1 && ! docker pull -q "$image" >/dev/null 2>&1; then
  rm -f "$BODY_FILE" "$HEAD_FILE"
  [ "${REQUIRE_GRAFANA:-false}" != true ] || fail "image $image is not available"
  log "SKIPPED: image $image is not available here (no registry); the GitHub workflow runs this check"
  exit 0
fi

g() {
  HOST_PORT_GRAFANA=$port HOST_PORT_PROMETHEUS=$((port + 1)) GRAFANA_ADMIN_PASSWORD=check-$$ \
    docker compose -p "$project" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" --profile monitoring "$@"
}
cleanup() {
  local rc=$?
  set +e
  if [ $rc -ne 0 ]; then export SHOW_LOGS=true; fi
  down_all "$project"
  rm -f "$BODY_FILE" "$HEAD_FILE"
  if [ $rc -eq 0 ]; then log "PASSED"; else log "FAILED (exit $rc)"; fi
}
trap cleanup EXIT

g up -d prometheus grafana >/dev/null 2>&1 || fail "docker compose up prometheus grafana"
api() { curl -sf --max-time 5 -u "admin:check-$$" "http://127.0.0.1:$port$1"; }
deadline=$((SECONDS + 120))
until api /api/health >/dev/null 2>&1; do
  ((SECONDS < deadline)) || fail "Grafana did not answer /api/health within 120 s"
  sleep 2
done
log "ok: Grafana answers /api/health"

uid=$(grep -m1 -E '^\s+uid:' "$ROOT/monitoring/grafana/provisioning/datasources/prometheus.yml" | awk '{print $2}')
deadline=$((SECONDS + 60))
until api "/api/datasources/uid/$uid/health" | grep -q '"status":"OK"'; do
  ((SECONDS < deadline)) || fail "datasource $uid is not healthy: $(api "/api/datasources/uid/$uid/health" || true)"
  sleep 2
done
log "ok: the provisioned datasource '$uid' reaches Prometheus"

for file in "$ROOT"/monitoring/grafana/dashboards/*.json; do
  duid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["uid"])' "$file")
  want=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["panels"]))' "$file")
  got=$(api "/api/dashboards/uid/$duid" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["dashboard"]["panels"]))') ||
    fail "dashboard $duid ($(basename "$file")) is not provisioned"
  [ "$got" = "$want" ] || fail "dashboard $duid has $got panels in Grafana, $want in $(basename "$file")"
  log "ok: dashboard $duid provisioned with its $got panels"
done
