#!/usr/bin/env bash
# A separate environment for `mlflow server` (used by the MLflow sync's HTTP test
# and handy for local demos). Why separate: the full `mlflow` package needs
# graphene 3 -> graphql-core<3.3, while our Strawberry needs graphql-core>=3.3;
# in one environment pip silently falls back to graphene 2 and `mlflow.server`
# breaks at import. OpenCase itself only needs mlflow-skinny (the client).
# Idempotent: does nothing when the right version is already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=3.17.2
VENV=${MLFLOW_SERVER_VENV:-.mlflow-server-venv}
PY=${PYTHON:-python3}
if [ -x "$VENV/bin/mlflow" ] && "$VENV/bin/python" -c "import mlflow, sys; sys.exit(mlflow.__version__ != '$VERSION')" 2>/dev/null; then
  echo "mlflow server $VERSION already in $VENV"
  exit 0
fi
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "mlflow==$VERSION"
"$VENV/bin/python" -c "import mlflow.server" # fails loudly if the server cannot import
echo "mlflow server $VERSION installed in $VENV"
