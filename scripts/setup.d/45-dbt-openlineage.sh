#!/usr/bin/env bash
# A separate environment with dbt (on DuckDB) and OpenLineage's dbt integration
# (`dbt-ol`), for the test in which a real dbt project sends its lineage to a
# running OpenCase. Separate because dbt pins its own versions of libraries
# OpenCase also uses. dbt-core 2 downloads a parser binary from outside the
# package registries at install time, so dbt-core stays below 2.
# Idempotent: does nothing when the right versions are already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${DBT_VENV:-.dbt-venv}
PY=${PYTHON:-python3}
WANT="dbt-core>=1.9,<1.11 dbt-duckdb>=1.9,<1.10 openlineage-dbt==1.54.0"
STAMP="$VENV/.opencase-wants"
if [ -x "$VENV/bin/dbt-ol" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  echo "dbt + openlineage-dbt already in $VENV"
  exit 0
fi
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# shellcheck disable=SC2086 # WANT is a list of requirement specifiers
"$VENV/bin/python" -m pip install --quiet $WANT
"$VENV/bin/dbt-ol" --version >/dev/null 2>&1 || "$VENV/bin/dbt" --version >/dev/null
echo "$WANT" >"$STAMP"
echo "dbt + openlineage-dbt installed in $VENV"
