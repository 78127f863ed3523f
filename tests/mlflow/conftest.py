"""Fixtures of the MLflow sync tests: a real SQLite tracking store per test, and a sync helper.

The helpers live in ``mlflow_world.py`` (a unique module name: every test folder
has a ``conftest``, so importing from one by name is ambiguous in a full run).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mlflow_world import MlflowWorld, build_world, empty_store

from opencase.graph import GraphStore
from opencase.loaders.mlflow import MlflowSyncConfig, MlflowSyncReport, sync_mlflow


@pytest.fixture(scope="session")
def mlflow_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty store per session; each test copies it instead of migrating again."""
    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    empty_store(path)
    return path


@pytest.fixture
def world(tmp_path: Path, mlflow_template: Path) -> MlflowWorld:
    return build_world(tmp_path / "mlflow", mlflow_template)


@pytest.fixture
def sync(tmp_path: Path, store: GraphStore) -> Iterator[Any]:
    """``sync(world, **config)``: one sync of ``world`` into ``store``, state in tmp_path."""

    def run(world: MlflowWorld, **config: Any) -> MlflowSyncReport:
        cfg = MlflowSyncConfig(
            tracking_uri=world.uri, state_path=str(tmp_path / "sync-state.json"), **config
        )
        return sync_mlflow(store, cfg)

    yield run
