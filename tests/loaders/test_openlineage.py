"""OpenLineage events into the graph, on a real embedded store: mapping, order, identity, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from olkit import T0, as_dict, dataset, new_run_id, run_event

from opencase.graph import GraphStore
from opencase.graph.store import Direction, LinkRecord, ObjectRecord
from opencase.loaders.openlineage import EventsRejected, ingest_events, load_openlineage
from opencase.loaders.openlineage.spec import check_event
from opencase.queries.filters import And, Cmp

ETL = ("airflow-prod", "etl.build_features")
RAW_A = dataset("postgres://db:5432", "raw.flights", columns=("tail", "ts"))
RAW_B = dataset("s3://lake", "raw/weather.parquet")
FEATURES = dataset("s3://lake", "features/engine.parquet", version="v7")


def _run(store: GraphStore, run_id: str) -> dict:
    found = store.get_one(f"job-run:{run_id}")
    assert found is not None
    return dict(found.properties)


def test_a_job_reading_two_datasets_and_writing_one(store: GraphStore) -> None:
    run_id = new_run_id()
    events = [
        as_dict(run_event("START", run_id, ETL, inputs=(RAW_A, RAW_B))),
        as_dict(run_event("COMPLETE", run_id, ETL, minutes=5, outputs=(FEATURES,))),
    ]
    report = ingest_events(store, events)
    assert report.ok and report.created > 0
    run = _run(store, run_id)
    assert run["state"] == "COMPLETE"
    assert run["started_at"] == T0 and run["ended_at"].minute == 5
    job = store.get_one("job:airflow-prod/etl.build_features")
    assert job is not None and job.properties["namespace"] == "airflow-prod"
    inputs = store.neighbours([f"job-run:{run_id}"], link_type="job-run-read-dataset")
    assert {n.object.properties["source_uri"] for n in inputs[f"job-run:{run_id}"]} == {
        "postgres://db:5432/raw.flights",
        "s3://lake/raw/weather.parquet",
    }
    (written,) = store.neighbours([f"job-run:{run_id}"], link_type="job-run-wrote-dataset")[
        f"job-run:{run_id}"
    ]
    assert written.object.object_type == "DatasetVersion"
    assert written.object.properties["version_id"] == "v7"
    flights = store.list(
        "Dataset",
        where=And((Cmp("namespace", "eq", "postgres://db:5432"), Cmp("name", "eq", "raw.flights"))),
    ).items
    assert [d.properties["schema"]["fields"][0]["name"] for d in flights] == ["tail"]


def test_the_same_events_again_write_nothing(store: GraphStore) -> None:
    run_id = new_run_id()
    events = [
        as_dict(run_event("START", run_id, ETL, inputs=(RAW_A,))),
        as_dict(run_event("COMPLETE", run_id, ETL, minutes=3, outputs=(FEATURES,))),
    ]
    ingest_events(store, events)
    again = ingest_events(store, events)
    assert again.created == again.updated == again.links_created == 0
    assert again.unchanged > 0


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0), (2, 0, 1)])
def test_events_of_one_run_in_any_order_give_the_same_run(
    store: GraphStore, order: tuple[int, ...]
) -> None:
    run_id = "0c9e3b1c-6a0f-4e57-9c3e-5d2f3f5f4a10"
    events = [
        as_dict(run_event("START", run_id, ETL, inputs=(RAW_A,))),
        as_dict(run_event("RUNNING", run_id, ETL, minutes=1)),
        as_dict(run_event("COMPLETE", run_id, ETL, minutes=9, outputs=(FEATURES,))),
    ]
    for index in order:  # one request each: the store holds the state in between
        ingest_events(store, events[index])
    run = _run(store, run_id)
    assert run["state"] == "COMPLETE"
    assert run["started_at"] == T0
    assert run["ended_at"].minute == 9 and run["last_event_time"].minute == 9


def test_a_failed_run_keeps_its_error_message(store: GraphStore) -> None:
    run_id = new_run_id()
    ingest_events(store, as_dict(run_event("START", run_id, ETL)))
    ingest_events(
        store, as_dict(run_event("FAIL", run_id, ETL, minutes=2, error="division by zero"))
    )
    run = _run(store, run_id)
    assert run["state"] == "FAIL" and run["error_message"] == "division by zero"
    late = ingest_events(store, as_dict(run_event("RUNNING", run_id, ETL, minutes=1)))
    assert late.ok and _run(store, run_id)["state"] == "FAIL"  # a late RUNNING does not undo it


def test_a_parent_run_makes_a_run_hierarchy(store: GraphStore) -> None:
    dag_run, task_run = new_run_id(), new_run_id()
    dag = ("airflow-prod", "etl")
    ingest_events(store, as_dict(run_event("START", task_run, ETL, parent=(dag_run, dag))))
    children = store.neighbours(
        [f"job-run:{dag_run}"], link_type="job-run-has-parent", direction=Direction.IN
    )
    assert [n.object.id for n in children[f"job-run:{dag_run}"]] == [f"job-run:{task_run}"]
    parent_job = store.neighbours([f"job-run:{dag_run}"], link_type="job-run-of-job")
    assert parent_job[f"job-run:{dag_run}"][0].object.id == "job:airflow-prod/etl"


def test_unknown_facets_are_kept_and_never_fail(store: GraphStore) -> None:
    run_id = new_run_id()
    event = as_dict(run_event("START", run_id, ETL, inputs=(RAW_A,)))
    event["run"]["facets"]["acme_cost"] = {"_producer": "x", "_schemaURL": "y", "dollars": 3}
    event["inputs"][0]["facets"]["acme_owner"] = {"team": "flight-ops"}
    assert check_event(event) == []
    ingest_events(store, event)
    assert _run(store, run_id)["facets"]["acme_cost"]["dollars"] == 3
    raw = store.list("Dataset", where=Cmp("source_uri", "eq", "postgres://db:5432/raw.flights"))
    assert raw.items[0].properties["facets"]["acme_owner"] == {"team": "flight-ops"}


def test_a_bad_event_is_refused_with_json_paths_and_nothing_is_written(store: GraphStore) -> None:
    good = as_dict(run_event("START", new_run_id(), ETL, inputs=(RAW_A,)))
    bad = as_dict(run_event("START", new_run_id(), ETL))
    bad["run"]["runId"] = "not-a-uuid"
    del bad["job"]["name"]
    bad["eventType"] = "FINISHED"
    with pytest.raises(EventsRejected) as caught:
        ingest_events(store, [good, bad])
    paths = {p.path for p in caught.value.spec_problems}
    assert {"$[1].run.runId", "$[1].job.name", "$[1].eventType"} <= paths
    assert store.stats().get("JobRun", 0) == 0  # the good one was not written either


def test_a_dataset_mlflow_knows_is_the_same_object_and_lineage_flows_to_the_deployment(
    store: GraphStore,
) -> None:
    """Raw table -> pipeline -> features -> MLflow run -> model version -> deployment."""
    uri = "s3://lake/features/engine.parquet"
    list(
        store.upsert(
            [
                ObjectRecord(
                    "Dataset", {"dataset_id": "engine-features", "name": "engine-features"}
                ),
                ObjectRecord(
                    "DatasetVersion",
                    {
                        "dataset_version_id": "engine-features@abc",
                        "version_id": "abc",
                        "source": uri,
                    },
                ),
                ObjectRecord(
                    "Experiment",
                    {
                        "run_key": "mlflow:r1",
                        "run_name": "train-1",
                        "tracking_system": "mlflow",
                        "run_id": "r1",
                    },
                ),
                ObjectRecord("ModelVersion", {"model_version_id": "m@1", "version": "1"}),
                ObjectRecord(
                    "Deployment",
                    {"deployment_id": "m-prod", "environment": "PROD", "status": "success"},
                ),
            ],
            [
                LinkRecord(
                    "dataset-has-version",
                    "dataset:engine-features",
                    "dataset-version:engine-features@abc",
                ),
                LinkRecord(
                    "experiment-used-dataset",
                    "experiment:mlflow:r1",
                    "dataset-version:engine-features@abc",
                    {"context": "training"},
                ),
                LinkRecord(
                    "model-version-has-experiment", "model-version:m@1", "experiment:mlflow:r1"
                ),
                LinkRecord("deployment-deploys-version", "deployment:m-prod", "model-version:m@1"),
            ],
        )
    )
    run_id = new_run_id()
    output = dataset("s3://lake", "features/engine.parquet")
    ingest_events(
        store,
        [
            as_dict(run_event("START", run_id, ETL, inputs=(RAW_A,))),
            as_dict(run_event("COMPLETE", run_id, ETL, minutes=4, outputs=(output,))),
        ],
    )
    written = store.neighbours([f"job-run:{run_id}"], link_type="job-run-wrote-dataset")
    assert [n.object.id for n in written[f"job-run:{run_id}"]] == ["dataset:engine-features"]
    raw = store.list("Dataset", where=Cmp("source_uri", "eq", "postgres://db:5432/raw.flights"))
    down = store.lineage(raw.items[0].id, direction=Direction.DOWNSTREAM, depth=10)
    reached = {n.id for n in down.nodes}
    assert {
        f"job-run:{run_id}",
        "dataset:engine-features",
        "experiment:mlflow:r1",
        "model-version:m@1",
        "deployment:m-prod",
    } <= reached
    up = store.lineage("deployment:m-prod", direction=Direction.UPSTREAM, depth=10)
    assert raw.items[0].id in {n.id for n in up.nodes}


def test_an_events_file_reports_each_bad_line_and_loads_the_rest(
    store: GraphStore, tmp_path: Path
) -> None:
    run_id = new_run_id()
    good = as_dict(run_event("START", run_id, ETL, inputs=(RAW_A,)))
    bad = as_dict(run_event("START", new_run_id(), ETL))
    bad["eventTime"] = "yesterday"
    lines = [json.dumps(good), "{not json", json.dumps(bad), "", json.dumps({"hello": 1})]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    report = load_openlineage(store, path)
    assert report.rejected == 3 and report.exit_code == 1
    assert sorted(p.line for p in report.problems) == [2, 3, 5]
    assert any(p.field == "$.eventTime" for p in report.problems)
    assert _run(store, run_id)["state"] == "START"
    strict = load_openlineage(store, path, strict=True)
    assert not strict.written
