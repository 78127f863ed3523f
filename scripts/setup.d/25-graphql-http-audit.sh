#!/usr/bin/env bash
# Installs the `graphql-http` npm package (its `serverAudits` check a server
# against the GraphQL-over-HTTP spec) into tests/api/http_audit/node_modules/,
# where tests/api/test_http_audit.py runs it with node. Git-ignored, idempotent:
# skips when the pinned version is already there, says so when npm is missing
# (the test is then skipped with the reason).
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=tests/api/http_audit
VERSION=1.23.1
if [ -f "$DIR/node_modules/graphql-http/package.json" ] &&
  grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/graphql-http/package.json"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "graphql-http audit: npm not found; tests/api/test_http_audit.py will be skipped" >&2
  exit 0
fi
# graphql-http imports `graphql` (a peer dependency) for its own checks
npm install --silent --no-save --no-package-lock --no-audit --no-fund \
  --prefix "$DIR" "graphql-http@$VERSION" "graphql@16" >/dev/null
echo "graphql-http audit: graphql-http@$VERSION -> $DIR/node_modules"
