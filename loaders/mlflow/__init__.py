"""MLflow sync: runs, metrics, artifacts, datasets and the model registry into the graph.

``sync_mlflow(store, MlflowSyncConfig(tracking_uri=...))`` is the whole API; the
``opencase sync mlflow`` command is a thin shell around it.
"""

from __future__ import annotations

from .config import MlflowSyncConfig
from .report import MlflowSyncReport
from .sync import sync_mlflow

__all__ = ["MlflowSyncConfig", "MlflowSyncReport", "sync_mlflow"]
