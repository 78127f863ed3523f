#!/usr/bin/env bash
# Installs Neo4j's own Cypher parser (@neo4j-cypher/language-support, from npm)
# into tests/neo4j/cypher_parser/node_modules (git-ignored): the tests parse
# every query of the Neo4j Browser kit with it. Idempotent; without npm or node
# those tests are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/../../tests/neo4j/cypher_parser"
if [ -f node_modules/@neo4j-cypher/language-support/package.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "cypher parser: npm not found; the kit's parse test will be skipped" >&2
  exit 0
fi
npm install --silent --no-audit --no-fund >/dev/null
echo "cypher parser: installed into tests/neo4j/cypher_parser/node_modules"
