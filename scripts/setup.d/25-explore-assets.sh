#!/usr/bin/env bash
# Fetches the explorer's browser libraries from the npm registry into
# api/explore/vendor/ (git-ignored), so /explore works without internet access:
# dagre lays out the lineage graph; axe-core is the accessibility engine the
# browser test runs on the page. Idempotent: skips when the versions are there.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENDOR=api/explore/vendor
DAGRE=3.1.3
AXE=4.14.1
STAMP="$VENDOR/.versions"
WANT="@dagrejs/dagre@$DAGRE axe-core@$AXE"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "explorer assets: npm not found; /explore will explain what is missing" >&2
  exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(
  cd "$TMP"
  npm pack --silent "@dagrejs/dagre@$DAGRE" "axe-core@$AXE" >/dev/null
  mkdir dagre axe
  tar -xzf dagrejs-dagre-$DAGRE.tgz -C dagre --strip-components=1
  tar -xzf axe-core-$AXE.tgz -C axe --strip-components=1
)
mkdir -p "$VENDOR"
cp "$TMP/dagre/dist/dagre.min.js" "$VENDOR/dagre.min.js"
cp "$TMP/axe/axe.min.js" "$VENDOR/axe.min.js"
echo "$WANT" >"$STAMP"
echo "explorer assets: $WANT -> $VENDOR"
