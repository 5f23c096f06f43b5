#!/usr/bin/env bash
# Operations checks: the Helm chart lints and renders, the alert rules check and pass their unit tests,
# the chart's copies (crds/, files/reconciler-alerts.yaml) equal their sources, and the Grafana dashboard
# is well-formed with the expected panels. Quiet on success (one summary line); prints the failing
# tool's output and exits non-zero otherwise.
# Usage: bash .ci/ops-checks.sh
set -uo pipefail
cd "$(dirname "$0")/.."

chart=charts/reconciler

# PyYAML reads the rendered chart; a machine whose python3 lacks it gets Debian's.
PY=python3
if ! python3 -c 'import yaml' 2>/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-yaml) >/dev/null 2>&1
  PY=/usr/bin/python3
fi
failures=0
passed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs a named check with its output captured; shows the output only when it fails.
check() {
  local name=$1; shift
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
  else
    failures=$((failures + 1))
    echo "ops-checks: FAILED: $name" >&2
    sed 's/^/  /' "$log" >&2
  fi
}

# Same *.yaml files, byte for byte, in both directories (other files such as .gitattributes are ignored).
same_yaml_files() {
  diff <(cd "$1" && ls -1 ./*.yaml) <(cd "$2" && ls -1 ./*.yaml) || return 1
  local f
  for f in "$1"/*.yaml; do cmp "$f" "$2/$(basename "$f")" || return 1; done
}

# --- tools ---
if ! HELM=$(bash .ci/helm.sh 2>"$log"); then
  echo "ops-checks: FAILED: cannot obtain helm" >&2; sed 's/^/  /' "$log" >&2; exit 1
fi
if ! command -v promtool >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus; } >"$log" 2>&1 \
      || { echo "ops-checks: FAILED: apt-get install prometheus (for promtool)" >&2; sed 's/^/  /' "$log" >&2; exit 1; }
  fi
  command -v promtool >/dev/null 2>&1 || { echo "ops-checks: FAILED: promtool not found (apt-get install prometheus)" >&2; exit 1; }
fi

# --- single-source copies ---
check "chart crds/ equal ../../crds (cp crds/*.yaml $chart/crds/)" same_yaml_files crds "$chart/crds"
check "chart files/reconciler-alerts.yaml equals deploy/prometheus/reconciler-alerts.yaml (cp it)" \
  cmp deploy/prometheus/reconciler-alerts.yaml "$chart/files/reconciler-alerts.yaml"

# --- helm ---
check "helm lint" "$HELM" lint --strict "$chart"
check "helm lint (monitoring on)" "$HELM" lint --strict "$chart" --set serviceMonitor.enabled=true,prometheusRule.enabled=true
render_all() {
  "$HELM" template rec "$chart" --namespace ops --include-crds \
    --set serviceMonitor.enabled=true,prometheusRule.enabled=true --set 'watchNamespaces={team-a,team-b}'
}
check "helm template" render_all
check "helm template (defaults)" "$HELM" template rec "$chart"
check "helm template (watchNamespaces)" "$HELM" template rec "$chart" --namespace ops --set 'watchNamespaces={team-a,team-b}'
check "helm template (single replica, no leader election)" "$HELM" template rec "$chart" --set replicas=1,leaderElection.enabled=false
# The rendered PrometheusRule carries exactly the rule file's groups.
rules_match() {
  render_all | "$PY" -c '
import sys, yaml
docs = [d for d in yaml.safe_load_all(sys.stdin) if d]
rule = next(d for d in docs if d["kind"] == "PrometheusRule")
source = yaml.safe_load(open("deploy/prometheus/reconciler-alerts.yaml"))
assert rule["spec"]["groups"] == source["groups"], "PrometheusRule groups differ from deploy/prometheus/reconciler-alerts.yaml"
kinds = {d["kind"] for d in docs}
need = {"ServiceAccount", "Role", "RoleBinding", "Deployment", "Service",
        "ServiceMonitor", "PrometheusRule", "PodDisruptionBudget", "CustomResourceDefinition"}
assert need <= kinds, f"missing kinds: {need - kinds}"
assert not {"ClusterRole", "ClusterRoleBinding"} & kinds, "watchNamespaces is set, yet cluster-wide RBAC was rendered"
import pathlib
crds = len(list(pathlib.Path("crds").glob("*.yaml")))
assert sum(d["kind"] == "CustomResourceDefinition" for d in docs) == crds, f"expected the {crds} CRDs of crds/"
dep = next(d for d in docs if d["kind"] == "Deployment")
args = dep["spec"]["template"]["spec"]["containers"][0]["args"]
assert args.count("--namespace") == 2 and "--identity" in args and "--leader-election" in args, args
'
}
check "rendered PrometheusRule equals the rule file; expected objects rendered" rules_match

# RBAC: Roles in the watched namespaces only (the Lease Role in the release namespace), a ClusterRole
# only when watching every namespace, and rules for exactly the kinds of the chart's CRDs.
rbac_scoped() {
  "$PY" - "$chart/crds" <(render_all) <("$HELM" template rec "$chart" --namespace ops) <<'PY'
import sys, pathlib, yaml
plurals = sorted(yaml.safe_load(p.read_text())["spec"]["names"]["plural"] for p in pathlib.Path(sys.argv[1]).glob("*.yaml"))
def load(path): return [d for d in yaml.safe_load_all(open(path)) if d]
def custom_resources(rules):
    return sorted(r for rule in rules if "support.reconciler.dev" in rule["apiGroups"] for r in rule["resources"] if "/" not in r)
scoped, cluster = load(sys.argv[2]), load(sys.argv[3])
roles = {(d["metadata"]["namespace"], d["metadata"]["name"]): d for d in scoped if d["kind"] == "Role"}
assert set(roles) == {("team-a", "rec-reconciler"), ("team-b", "rec-reconciler"), ("ops", "rec-reconciler-leader-election")}, sorted(roles)
for ns in ["team-a", "team-b"]:
    assert custom_resources(roles[(ns, "rec-reconciler")]["rules"]) == plurals, ns
secrets = [r for d in scoped if d["kind"] == "Role" for r in d["rules"] if "secrets" in r["resources"]]
assert len(secrets) == 2 and all(set(r["verbs"]) == {"list", "watch"} for r in secrets), secrets
lease = roles[("ops", "rec-reconciler-leader-election")]["rules"]
assert all(r["resources"] == ["leases"] for r in lease), lease
bindings = {(d["metadata"]["namespace"], d["metadata"]["name"]) for d in scoped if d["kind"] == "RoleBinding"}
assert bindings == set(roles), bindings
kinds = {d["kind"] for d in cluster}
assert {"ClusterRole", "ClusterRoleBinding"} <= kinds, kinds
cluster_role = next(d for d in cluster if d["kind"] == "ClusterRole")
assert custom_resources(cluster_role["rules"]) == plurals
assert [d["metadata"]["name"] for d in cluster if d["kind"] == "Role"] == ["rec-reconciler-leader-election"]
PY
}
check "RBAC: namespaced Roles with watchNamespaces, ClusterRole without, rules cover every CRD" rbac_scoped

# Wrong values fail lint through values.schema.json (each of these must fail).
lint_rejects() {
  if "$HELM" lint --strict "$chart" "$@"; then echo "helm lint --strict accepted $*"; return 1; fi
}
check "helm lint rejects replicas=two" lint_rejects --set replicas=two
check "helm lint rejects an unknown value (replica=2)" lint_rejects --set replica=2
check "helm lint rejects a namespace that is not a DNS label" lint_rejects --set 'watchNamespaces={Team_A}'
check "helm lint rejects leaderElection.enabled=maybe" lint_rejects --set leaderElection.enabled=maybe

# --- prometheus rules ---
check "promtool check rules" promtool check rules deploy/prometheus/reconciler-alerts.yaml
check "promtool test rules" promtool test rules deploy/prometheus/reconciler-alerts.test.yaml

# --- grafana dashboard ---
dashboard_ok() {
  "$PY" - deploy/grafana/reconciler-dashboard.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
titles = {p["title"] for p in d["panels"]}
need = {"Reconciles by result", "Reconcile failures by controller and reason", "Reconcile duration p50 / p99 by controller",
        "Work queue depth by controller", "Drifted resources by kind", "Platform requests by code",
        "Platform 429 (rate limited) per second", "Platform 5xx ratio", "Kubernetes API requests by code",
        "Leader (lease holder) by instance", "Channels connected", "Reply templates by namespace", "Licence seats used / bought"}
assert need <= titles, f"missing panels: {need - titles}"
ids = [p["id"] for p in d["panels"]]
assert len(ids) == len(set(ids)), "duplicate panel ids"
for p in d["panels"]:
    assert p["targets"] and all(t["expr"].strip() for t in p["targets"]), p["title"]
exprs = " ".join(t["expr"] for p in d["panels"] for t in p["targets"])
for metric in ["controller_runtime_reconcile_total", "reconciler_reconcile_failures_total", "controller_runtime_reconcile_time_seconds_bucket",
               "workqueue_depth", "reconciler_resource_info", "reconciler_platform_requests_total", "rest_client_requests_total",
               "leader_election_master_status", "reconciler_channel_connected", "reconciler_licence_seats_used", "reconciler_licence_seats_bought"]:
    assert metric in exprs, f"no panel uses {metric}"
PY
}
check "grafana dashboard JSON and panels" dashboard_ok

total=$((passed + failures))
if ((failures > 0)); then
  echo "ops-checks: $failures of $total checks failed" >&2
  exit 1
fi
echo "ops-checks: $total checks passed (helm lint/template, RBAC scope, schema rejects bad values, promtool check/test, chart copies, dashboard)"
