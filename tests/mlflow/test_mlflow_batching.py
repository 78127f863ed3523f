"""How a sync groups its writes, and what a full read catches: same graph whatever the grouping."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path
from typing import Any

import pytest
from mlflow.entities import Dataset, DatasetInput
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from mlflow_world import MlflowWorld

from opencase.graph import GraphStore, ObjectRecord, open_store
from opencase.loaders.mlflow import MlflowSyncConfig, sync_mlflow
from opencase.loaders.mlflow.map_runs import RunRecords
from opencase.loaders.mlflow.write_runs import join_pages
from opencase.ontology import ONTOLOGY


def _records(objects: int) -> RunRecords:
    rec = RunRecords("mlflow:r")
    rec.objects = [ObjectRecord("Metric", {"metric_id": f"m{i}"}) for i in range(objects)]
    return rec


def test_join_pages_keeps_pages_whole_up_to_the_limit() -> None:
    pages: list[list[Any]] = [[(None, _records(3))], [(None, _records(3))], [(None, _records(5))]]
    sizes = [[len(r.objects) for _, r in batch] for batch in join_pages(pages, 6)]
    assert sizes == [[3, 3], [5]]  # a page is never split; the last batch may be smaller
    assert [len(b) for b in join_pages(pages, 1)] == [1, 1, 1]
    assert list(join_pages([], 10)) == []


@pytest.mark.parametrize(
    "grouping",
    [{}, {"page_size": 1}, {"page_size": 1, "write_batch": 1}],
    ids=["one-batch", "pages-joined", "one-write-per-page"],
)
def test_grouping_of_writes_changes_nothing_in_the_graph(
    world: MlflowWorld,
    tmp_path: Path,
    schema_template: Path,
    grouping: dict[str, Any],
) -> None:
    """Whatever the pages and batches, the same graph; a bad run is still rejected alone."""
    bad = world.run("bad-dataset")
    nameless = Dataset(name=" ", digest="x1", source_type="local", source="{}")
    world.client.log_inputs(bad, [DatasetInput(nameless, [])])
    graphs = []
    for name, config in (("reference", {"page_size": 1, "write_batch": 1}), ("other", grouping)):
        path = tmp_path / name
        shutil.copyfile(schema_template, path)
        cfg = MlflowSyncConfig(
            tracking_uri=world.uri, state_path=str(tmp_path / f"{name}.json"), **config
        )
        with open_store(str(path)) as store:
            report = sync_mlflow(store, cfg)
            assert report.rejected == 1 and report.rows_read == 3
            assert any(bad in p.message for p in report.problems)
            graphs.append((store.stats(), report.created))
            assert sync_mlflow(store, cfg).nothing_changed
    assert graphs[0] == graphs[1]


def _purge(world: MlflowWorld, run_id: str) -> None:
    """What `mlflow gc` does to a run: its rows are gone, not marked deleted."""
    SqlAlchemyStore(world.uri, str(world.root / "artifacts"))._hard_delete_run(run_id)


@pytest.mark.parametrize("how", ["--full", "state file lost"])
def test_full_read_soft_deletes_runs_purged_from_mlflow(
    world: MlflowWorld, store: GraphStore, sync: Any, tmp_path: Path, how: str
) -> None:
    sync(world)
    fold = world.runs["fold-1"]
    gid = ONTOLOGY.object_id("Experiment", f"mlflow:{fold}")
    metric = ONTOLOGY.object_id("Metric", f"mlflow:{fold}|auc")
    _purge(world, fold)
    if how == "--full":
        report = sync(world, full=True)
    else:
        (tmp_path / "sync-state.json").unlink()
        report = sync(world)
    assert report.mode == "full" and report.rows_read == 1
    assert store.get_one(gid) is None and store.get_one(metric) is None
    gone = store.get_one(gid, include_deleted=True)
    assert gone is not None and gone.deleted_by == "mlflow-sync"
    assert store.get_one(ONTOLOGY.object_id("Experiment", f"mlflow:{world.runs['train']}"))


def test_sync_leaves_the_garbage_collector_as_it_found_it(world: MlflowWorld, sync: Any) -> None:
    """The sync pauses the cyclic collector; a caller's own setting survives it."""
    assert gc.isenabled()
    sync(world)
    assert gc.isenabled()
    gc.disable()
    try:
        sync(world)
        assert not gc.isenabled()
    finally:
        gc.enable()
