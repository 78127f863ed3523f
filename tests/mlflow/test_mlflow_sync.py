"""Sync of a real MLflow SQLite store: mapping, idempotence and incremental updates."""

from __future__ import annotations

from typing import Any

from mlflow_world import COMMIT, MODEL_KEY, MlflowWorld

from opencase.graph import Direction, GraphStore, ObjectRecord, WriteBatch
from opencase.ontology import ONTOLOGY


def gid(type_name: str, key: str) -> str:
    return ONTOLOGY.object_id(type_name, key)


def run_id(world: MlflowWorld, name: str) -> str:
    return gid("Experiment", f"mlflow:{world.runs[name]}")


def linked(store: GraphStore, source: str, link_type: str) -> dict[str, Any]:
    found = store.neighbours([source], link_type=link_type, direction=Direction.OUT)
    return {n.object.id: n for n in found.get(source, [])}


def test_full_sync_maps_runs_metrics_datasets_artifacts(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    report = sync(world)
    assert report.ok, report.problems
    assert report.mode == "full" and report.rows_read == 2
    train = store.get_one(run_id(world, "train"))
    assert train is not None
    props = train.properties
    assert props["run_name"] == "train" and props["experiment_name"] == "hpc-cruise"
    assert props["parameters"] == {"lr": "0.01", "seed": "42"} and props["seed"] == 42
    assert props["tags"]["team"] == "hpc" and props["code_ref"] == COMMIT
    assert props["status"] == "completed" and props["start_time"] <= props["end_time"]

    metrics = {
        n.object.properties["name"]: n.object
        for n in linked(store, train.id, "experiment-produced-metric").values()
    }
    assert set(metrics) == {"auc", "loss"}
    assert metrics["auc"].properties["value"] == 0.91 and metrics["auc"].properties["step"] == 2
    assert metrics["auc"].id == gid("Metric", f"mlflow:{world.runs['train']}|auc")

    files = {
        n.object.properties["name"]: n.object
        for n in linked(store, train.id, "experiment-produced-artifact").values()
    }
    assert files["report.html"].properties["size_bytes"] == len("<h1>ok</h1>")
    assert files["report.html"].properties["type"] == "report"
    assert files["report.html"].properties["uri"].endswith("/artifacts/reports/report.html")

    used = linked(store, train.id, "experiment-used-dataset")
    history = gid("DatasetVersion", "egt-history@d1g35t01")
    assert set(used) == {history, gid("DatasetVersion", "egt-holdout@d1g35t02")}
    assert used[history].link_properties["context"] == "training"
    version = used[history].object.properties
    assert version["storage_uri"] == "s3://bucket/egt-history.parquet"
    assert version["schema"] == {"mlflow_colspec": [{"type": "double", "name": "egt"}]}
    dataset = gid("Dataset", "egt-history")
    assert history in linked(store, dataset, "dataset-has-version")

    children = linked(store, train.id, "experiment-has-child-run")
    assert set(children) == {run_id(world, "fold-1")}


def test_registry_maps_models_versions_and_statuses(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    sync(world)
    baseline = store.get_one(gid("ModelWork", "mlflow:egt-baseline"))
    assert baseline is not None and baseline.properties["description"] == "A baseline"
    staged = store.get_one(gid("ModelVersion", "mlflow:egt-baseline@1"))
    assert staged is not None and staged.properties["status"] == "Validating"
    champion = store.get_one(gid("ModelVersion", f"{MODEL_KEY}@1"))
    assert champion is not None
    assert champion.properties["status"] == "Approved"
    assert champion.properties["aliases"] == ["champion"]
    assert champion.id in linked(store, gid("ModelWork", MODEL_KEY), "model-work-has-version")
    assert run_id(world, "train") in linked(store, champion.id, "model-version-has-experiment")
    model_dir = gid("Artifact", f"mlflow:{world.runs['train']}/model")
    assert model_dir in linked(store, champion.id, "model-version-has-artifact")
    assert model_dir in linked(store, run_id(world, "train"), "experiment-produced-artifact")


def test_tagged_model_meets_the_trackers_model_work(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    tracker = {
        "model_key": MODEL_KEY,
        "name": "HPC cruise",
        "ac_family": "A330",
        "ata_chapter": "72",
    }
    store.write(WriteBatch(objects=[ObjectRecord("ModelWork", tracker)]))
    sync(world)
    work = store.get_one(gid("ModelWork", MODEL_KEY))
    assert work is not None
    assert work.properties["name"] == "HPC cruise"  # the owner's name is kept
    assert work.properties["ac_family"] == "A330"
    assert work.properties["registry_name"] == "hpc-cruise"
    assert store.count("ModelWork") == 2  # the tagged one and egt-baseline, no third node


def test_second_sync_writes_nothing(world: MlflowWorld, store: GraphStore, sync: Any) -> None:
    sync(world)
    before = store.stats()
    again = sync(world)
    assert again.mode == "incremental"
    assert again.nothing_changed and again.rows_read == 0
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert store.stats() == before


def test_full_resync_creates_no_duplicates(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    sync(world)
    before = store.stats()
    full = sync(world, full=True)
    assert full.mode == "full" and full.rows_read == 2
    assert (full.created, full.updated) == (0, 0) and full.nothing_changed
    assert store.stats() == before


def test_new_runs_metrics_versions_and_alias_moves_arrive(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    live = world.run("live", metrics={"auc": [0.5]}, finish=False)
    sync(world)
    world.client.log_batch(live, metrics=[_metric("auc", 0.6, 1)])
    world.client.set_terminated(live)
    world.run("retrain", metrics={"auc": [0.95]})
    v2 = world.version("hpc-cruise", "retrain")
    world.client.set_registered_model_alias("hpc-cruise", "champion", v2)
    report = sync(world)
    assert report.mode == "incremental" and report.rows_read == 2  # the open run and the new one
    assert store.get_one(run_id(world, "retrain")) is not None
    live_run = store.get_one(run_id(world, "live"))
    assert live_run is not None and live_run.properties["status"] == "completed"
    auc = store.get_one(gid("Metric", f"mlflow:{live}|auc"))
    assert auc is not None and (auc.properties["value"], auc.properties["step"]) == (0.6, 1)
    new = store.get_one(gid("ModelVersion", f"{MODEL_KEY}@{v2}"))
    old = store.get_one(gid("ModelVersion", f"{MODEL_KEY}@1"))
    assert new is not None and new.properties["status"] == "Approved"
    # MLflow took the alias away (stage None: Draft), but an Approved version only
    # moves on to Deprecated: the move is reported, the lifecycle's state kept
    assert old is not None and old.properties["status"] == "Approved"
    assert not old.properties["aliases"]
    assert any("from Approved to Draft" in w.message for w in report.warnings)
    assert sync(world).nothing_changed


def test_deleted_runs_are_soft_deleted_and_restored(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    sync(world)
    fold = run_id(world, "fold-1")
    metric = gid("Metric", f"mlflow:{world.runs['fold-1']}|auc")
    world.client.delete_run(world.runs["fold-1"])
    report = sync(world)
    assert report.deleted == 2  # the run and its metric
    assert store.get_one(fold) is None and store.get_one(metric) is None
    gone = store.get_one(fold, include_deleted=True)
    assert gone is not None and gone.deleted_by == "mlflow-sync"
    assert sync(world).nothing_changed
    world.client.restore_run(world.runs["fold-1"])
    back = sync(world)
    assert back.restored == 2
    assert store.get_one(fold) is not None and store.get_one(metric) is not None


def test_deleted_model_version_is_soft_deleted(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    sync(world)
    world.client.delete_model_version("egt-baseline", "1")
    report = sync(world)
    assert report.deleted == 1
    assert store.get_one(gid("ModelVersion", "mlflow:egt-baseline@1")) is None


def test_metric_history_keeps_every_step(world: MlflowWorld, store: GraphStore, sync: Any) -> None:
    sync(world, metric_history=True)
    key = f"mlflow:{world.runs['train']}|auc"
    steps = [store.get_one(gid("Metric", f"{key}|{s}")) for s in range(3)]
    assert [m.properties["value"] for m in steps if m] == [0.7, 0.8, 0.91]
    assert store.get_one(gid("Metric", key)) is not None  # the latest value stays


def test_experiment_filter_syncs_only_that_experiment(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    other = world.client.create_experiment("other", artifact_location=str(world.root / "o"))
    world.run("elsewhere", experiment_id=other)
    report = sync(world, experiments=("other",))
    assert report.rows_read == 1
    assert store.get_one(run_id(world, "elsewhere")) is not None
    assert store.get_one(run_id(world, "train")) is None
    later = sync(world)  # the first unfiltered sync reads the experiment it never saw
    assert later.rows_read == 2 and store.get_one(run_id(world, "train")) is not None


def test_graph_wiped_behind_the_state_file_triggers_a_full_read(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    sync(world)
    train = run_id(world, "train")
    store.write(WriteBatch(hard_deletes=[train]))
    report = sync(world)
    assert report.mode == "full" and report.warnings
    assert store.get_one(train) is not None


def _metric(key: str, value: float, step: int) -> Any:
    import time

    from mlflow.entities import Metric

    return Metric(key, value, int(time.time() * 1000), step)
