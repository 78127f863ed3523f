#!/usr/bin/env bash
# Fetches the GraphQL playground's browser assets (GraphiQL + React UMD builds)
# from the npm registry into api/playground/vendor/, so the playground works on
# a machine without internet access. Nothing third-party is committed: the
# vendor folder is git-ignored and rebuilt here. Idempotent: skips when present.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENDOR=api/playground/vendor
# Versions that work together: graphiql 3.x ships a UMD bundle that expects
# React 18 globals (window.React / window.ReactDOM).
GRAPHIQL=3.8.3
REACT=18.3.1
STAMP="$VENDOR/.versions"
WANT="graphiql@$GRAPHIQL react@$REACT react-dom@$REACT"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "playground assets: npm not found; the playground page will explain what is missing" >&2
  exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(
  cd "$TMP"
  npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null
  for tgz in *.tgz; do
    name=${tgz%.tgz}
    mkdir -p "$name"
    tar -xzf "$tgz" -C "$name" --strip-components=1
  done
)
mkdir -p "$VENDOR"
cp "$TMP/react-$REACT/umd/react.production.min.js" "$VENDOR/react.production.min.js"
cp "$TMP/react-dom-$REACT/umd/react-dom.production.min.js" "$VENDOR/react-dom.production.min.js"
cp "$TMP/graphiql-$GRAPHIQL/graphiql.min.js" "$VENDOR/graphiql.min.js"
cp "$TMP/graphiql-$GRAPHIQL/graphiql.min.css" "$VENDOR/graphiql.min.css"
echo "$WANT" >"$STAMP"
echo "playground assets: $WANT -> $VENDOR"
