#!/usr/bin/env bash
# Monitoring smoke test (needs Docker with compose v2; run by .ci/run after docker/smoke-test.sh):
#  1. promtool of the pinned Prometheus image checks prometheus.yml and kubernetes.yml,
#  2. starts the production stack with Prometheus and Alertmanager (the monitoring profile, without
#     Grafana) and waits until both app targets are up in Prometheus and every rule evaluates cleanly,
#  3. sends every dashboard query to the live Prometheus: each must be accepted,
#  4. stops the backend (with some traffic on the frontend) and waits for WhoKnowsServiceDown{job="backend"}
#     and WhoKnowsBackendUnreachable to reach Alertmanager, starts it again and waits for them to resolve.
# The rules are the real ones; only the timing is shortened (scrapes and evaluations every 2 s, every
# `for:` 5 s) by a copy in a temporary folder mounted over them. Everything it creates is removed.
# Without Docker it says so and exits 0, unless CI is set or REQUIRE_DOCKER=true (then it fails).
# env: MONITORING_SMOKE_PORT (8700; frontend, +1 Prometheus, +2 Alertmanager), KEEP_IMAGES=true keeps
#      the app images it builds (tag monsmoke-<pid>).
set -euo pipefail
source "$(dirname "$0")/../docker/lib.sh"
require_docker
export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1
command -v python3 >/dev/null || fail "python3 is needed to read the Prometheus and Alertmanager APIs"

port=${MONITORING_SMOKE_PORT:-8700}
prom_port=$((port + 1)) am_port=$((port + 2))
project=wkmon-$$
tag=monsmoke-$$
work=$(mktemp -d /tmp/whoknows-monitoring-smoke.XXXXXX)
load_pid=
started=$SECONDS

mon() {
  TAG=$tag HOST_PORT_FRONTEND=$port HOST_PORT_PROMETHEUS=$prom_port HOST_PORT_ALERTMANAGER=$am_port \
    docker compose -p "$project" --project-directory "$ROOT" -f "$ROOT/docker-compose.yml" \
    -f "$work/override.yml" --profile monitoring "$@"
}

cleanup() {
  local rc=$?
  set +e
  if [ -n "$load_pid" ]; then kill "$load_pid" 2>/dev/null; fi
  if [ $rc -ne 0 ]; then export SHOW_LOGS=true; fi
  down_all "$project"
  if [ "${KEEP_IMAGES:-false}" != true ]; then
    docker image rm -f "whoknows/frontend:$tag" "whoknows/backend-stub:$tag" >/dev/null 2>&1 || true
  fi
  rm -rf "$work" "$BODY_FILE" "$HEAD_FILE"
  if [ $rc -eq 0 ]; then log "PASSED in $((SECONDS - started)) s"; else log "FAILED (exit $rc) after $((SECONDS - started)) s"; fi
}
trap cleanup EXIT

# json PYTHON_EXPR: evaluates the expression with `d` = the JSON document on stdin, prints the result
json() { python3 -c "import json,sys; d=json.load(sys.stdin); r=($1); print(r if not isinstance(r, (list, dict)) else json.dumps(r))"; }
prom() { curl -sf --max-time 10 "http://127.0.0.1:$prom_port$1" "${@:2}"; }
# until SECONDS WHAT COMMAND...: retries COMMAND every second until it succeeds
until_ok() {
  local bound=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what: not within ${bound}s"
    sleep 1
  done
  log "ok: $what (after $((SECONDS - phase)) s)"
}

# ------------------------------------------------------------------------------- configuration checks
image=$(docker compose -f "$ROOT/docker-compose.yml" --profile monitoring config --images 2>/dev/null | grep '^prom/prometheus:' | head -n1)
[ -n "$image" ] || fail "docker-compose.yml has no prom/prometheus image in the monitoring profile"
for file in prometheus.yml kubernetes.yml; do
  docker run --rm --network none --entrypoint promtool -v "$ROOT/monitoring/prometheus:/p:ro" "$image" \
    check config "/p/$file" >"$work/check.log" 2>&1 || { cat "$work/check.log"; fail "promtool check config $file"; }
done
log "ok: promtool of $image accepts prometheus.yml and kubernetes.yml (with their rules)"

# the real rules and scrape config, with short timings
mkdir -p "$work/rules"
sed -E 's/^(\s*)(scrape_interval|evaluation_interval): .*/\1\2: 2s/; s/^(\s*)scrape_timeout: .*/\1scrape_timeout: 2s/' \
  "$ROOT/monitoring/prometheus/prometheus.yml" >"$work/prometheus.yml"
for f in "$ROOT"/monitoring/prometheus/rules/*.yml; do
  sed -E 's/^(\s*)for: .*/\1for: 5s/' "$f" >"$work/rules/$(basename "$f")"
done
chmod -R a+rX "$work"
cat >"$work/override.yml" <<YAML
services:
  prometheus:
    volumes:
      - $work/prometheus.yml:/etc/prometheus/prometheus.yml:ro
      - $work/rules:/etc/prometheus/rules:ro
YAML

# ------------------------------------------------------------------------------------------ the stack
phase=$SECONDS
log "building whoknows/{frontend,backend-stub}:$tag"
mon build --quiet backend frontend >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "docker compose build"; }
mon up -d --no-build backend frontend prometheus alertmanager >"$work/up.log" 2>&1 || { cat "$work/up.log"; fail "docker compose up"; }
for service in backend frontend prometheus alertmanager; do wait_healthy "$project" "$service" 120; done
log "ok: backend, frontend, Prometheus and Alertmanager healthy (after $((SECONDS - phase)) s)"

phase=$SECONDS
targets_up() {
  prom /api/v1/query --data-urlencode 'query=up{job=~"frontend|backend"} == 1' | json 'len(d["data"]["result"])' | grep -qx 2
}
until_ok 60 "both app targets are up in Prometheus" targets_up

for _ in 1 2 3 4 5; do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && curl -s -o /dev/null "http://127.0.0.1:$port/api/search?q=python"
done
rules_ok() {
  prom /api/v1/rules >"$work/rules.json" &&
    json 'sum(1 for g in d["data"]["groups"] for r in g["rules"]) >= 30 and all(r["health"] == "ok" and r.get("lastEvaluation", "0001").startswith("20") for g in d["data"]["groups"] for r in g["rules"])' \
      <"$work/rules.json" | grep -qx True
}
until_ok 30 "every recording and alert rule is loaded and evaluates without error" rules_ok

# ------------------------------------------------------------------------------ dashboard queries
python3 - "$ROOT/monitoring/grafana/dashboards" "http://127.0.0.1:$prom_port" <<'PY' || fail "a dashboard query was refused"
import json, pathlib, sys, urllib.parse, urllib.request
folder, base = pathlib.Path(sys.argv[1]), sys.argv[2]
n = bad = 0
for f in sorted(folder.glob("*.json")):
    for panel in json.loads(f.read_text())["panels"]:
        for t in panel.get("targets", []):
            n += 1
            url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": t["expr"]})
            try:
                answer = json.load(urllib.request.urlopen(url, timeout=10))
                ok = answer.get("status") == "success"
            except Exception as e:  # HTTP 400: the query does not parse or evaluate
                ok, answer = False, getattr(e, "read", lambda: str(e).encode())().decode()
            if not ok:
                bad += 1
                print(f"  refused: {f.name} / {panel['title']}: {t['expr']}: {answer}")
print(f"  {n} dashboard queries, {bad} refused")
sys.exit(1 if bad or not n else 0)
PY
log "ok: the live Prometheus accepts every dashboard query"

# ------------------------------------------------------------------------- backend down -> alert
am_alerts() { curl -sf --max-time 5 "http://127.0.0.1:$am_port/api/v2/alerts?active=true"; }
alert_in_am() { # NAME [JOB]
  am_alerts | json "any(a['labels']['alertname'] == '$1' and a['labels'].get('job', '$2') == '$2' for a in d)" | grep -qx True
}
firing_in_prom() { # NAME: is it firing in Prometheus?
  prom /api/v1/query --data-urlencode "query=ALERTS{alertname=\"$1\",alertstate=\"firing\"}" | json 'len(d["data"]["result"])' | grep -qvx 0
}
! alert_in_am WhoKnowsServiceDown backend || fail "WhoKnowsServiceDown is active before the backend stopped"

phase=$SECONDS
mon stop backend >/dev/null 2>&1 || fail "docker compose stop backend"
log "backend stopped; requests keep coming to the frontend"
(while :; do curl -s -o /dev/null --max-time 3 "http://127.0.0.1:$port/api/search?q=python" || true; sleep 0.2; done) &
load_pid=$!
until_ok 120 "WhoKnowsServiceDown{job=\"backend\"} reached Alertmanager" alert_in_am WhoKnowsServiceDown backend
until_ok 60 "WhoKnowsBackendUnreachable reached Alertmanager" alert_in_am WhoKnowsBackendUnreachable frontend
am_alerts | json '[a["labels"]["alertname"] + " " + a["labels"].get("job", "") + " " + a["labels"].get("severity", "") for a in d]' |
  sed 's/^/  active in Alertmanager: /'
receivers=$(am_alerts | json "sorted({r['name'] for a in d if a['labels']['alertname'] == 'WhoKnowsServiceDown' for r in a['receivers']})")
[ "$receivers" = '["team"]' ] || fail "WhoKnowsServiceDown is routed to $receivers, not to the team webhook receiver"
log "ok: routed to the 'team' webhook receiver of alertmanager.yml"

phase=$SECONDS
mon start backend >/dev/null 2>&1 || fail "docker compose start backend"
wait_healthy "$project" backend 90
resolved() { ! firing_in_prom WhoKnowsServiceDown; }
until_ok 90 "WhoKnowsServiceDown stopped firing in Prometheus once the backend was back" resolved
kill "$load_pid" 2>/dev/null || true
wait "$load_pid" 2>/dev/null || true
load_pid=
status=$(http GET "http://127.0.0.1:$port/api/search?q=python")
[ "$status" = 200 ] || fail "proxied search after the backend came back answered $status"
log "ok: proxied search answers 200 again"
