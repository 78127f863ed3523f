#!/usr/bin/env bash
# Makes sure a Java runtime is there for HermiT, the OWL reasoner that ships
# inside owlready2 (tests/export/test_export_reasoner.py checks the exported
# ontology is consistent). Java 17 is enough; skips when `java` already runs;
# without root or apt the reasoner tests are skipped with a message instead.
set -euo pipefail
if command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "java: not installed and cannot apt-get here; the HermiT reasoner tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
  || apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
echo "java: $(java -version 2>&1 | head -1)"
