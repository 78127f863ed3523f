"""Bad sources fail once, clearly, before anything is written; one bad run does not sink a sync."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mlflow.entities import Dataset, DatasetInput
from mlflow_world import MlflowWorld, build_world, free_port

from opencase.errors import LoaderError
from opencase.graph import GraphStore
from opencase.loaders.mlflow import MlflowSyncConfig, sync_mlflow


def sync_uri(store: GraphStore, tmp_path: Path, uri: str, **config: Any) -> Any:
    cfg = MlflowSyncConfig(tracking_uri=uri, state_path=str(tmp_path / "state.json"), **config)
    return sync_mlflow(store, cfg)


def test_unreachable_server_is_one_clear_error_and_writes_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    with pytest.raises(LoaderError) as caught:
        sync_uri(store, tmp_path, f"http://127.0.0.1:{free_port()}")
    assert "cannot reach the MLflow tracking server" in caught.value.message
    assert caught.value.suggestion
    assert store.stats() == {} and not (tmp_path / "state.json").exists()


def test_missing_sqlite_store_is_refused_not_created(store: GraphStore, tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    with pytest.raises(LoaderError, match="no MLflow SQLite store"):
        sync_uri(store, tmp_path, f"sqlite:///{missing}")
    assert not missing.exists() and store.stats() == {}


def test_unknown_experiment_names_the_known_ones(
    world: MlflowWorld, store: GraphStore, tmp_path: Path
) -> None:
    with pytest.raises(LoaderError) as caught:
        sync_uri(store, tmp_path, world.uri, experiments=("nope",))
    assert "'nope'" in caught.value.message and "hpc-cruise" in (caught.value.suggestion or "")
    assert store.stats() == {}


def test_a_run_that_cannot_be_mapped_is_reported_and_the_rest_sync(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    bad = world.run("bad-dataset")
    nameless = Dataset(name=" ", digest="x1", source_type="local", source="{}")
    world.client.log_inputs(bad, [DatasetInput(nameless, [])])
    report = sync(world)
    assert report.rejected == 1 and not report.ok
    assert any(bad in p.message and "Dataset" in p.message for p in report.problems)
    assert report.rows_read == 3 and store.count("Experiment") == 2


def test_file_store_needs_the_mlflow_switch(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # MLflow drops a default ./mlflow.db when building file stores
    monkeypatch.delenv("MLFLOW_ALLOW_FILE_STORE", raising=False)
    refused = tmp_path / "refused"
    refused.mkdir()  # MLflow caches stores per URI, so the refusal gets a folder of its own
    with pytest.raises(LoaderError) as caught:
        sync_uri(store, tmp_path, str(refused))
    assert "MLFLOW_ALLOW_FILE_STORE" in (caught.value.suggestion or "")
    assert store.stats() == {}
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    folder = tmp_path / "mlruns"
    folder.mkdir()
    world = build_world(tmp_path / "fs-world", uri=str(folder))
    report = sync_uri(store, tmp_path, world.uri)
    assert report.ok and report.rows_read == 2
    assert sync_uri(store, tmp_path, world.uri).nothing_changed
