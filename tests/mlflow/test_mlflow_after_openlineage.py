"""A dataset a pipeline reported before MLflow logged it is still one object.

A real OpenLineage event (the official client's classes and serialisation)
reports the pipeline that wrote ``s3://bucket/egt-history.parquet``; then a
real MLflow store, whose training run logged that file as the dataset
``egt-history``, is synced. The MLflow version joins the pipeline's Dataset,
so lineage runs from the pipeline's input to the model version.
"""

from __future__ import annotations

import uuid
from typing import Any

from mlflow_world import MODEL_KEY, MlflowWorld
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.serde import Serde

from opencase.graph import GraphStore
from opencase.graph.store import Direction
from opencase.loaders.openlineage import ingest_events

PRODUCER = "https://example.org/opencase-tests"
OUTPUT = "dataset:s3://bucket/egt-history.parquet"


def _pipeline_wrote_egt_history(store: GraphStore) -> str:
    run_id = str(uuid.uuid4())
    events = [
        RunEvent(
            eventType=state,
            eventTime=when,
            run=Run(runId=run_id),
            job=Job(namespace="airflow", name="curate_egt_history"),
            inputs=[InputDataset(namespace="postgres://ops:5432", name="raw.egt")],
            outputs=[OutputDataset(namespace="s3://bucket", name="egt-history.parquet")],
            producer=PRODUCER,
        )
        for state, when in (
            (RunState.START, "2026-03-01T08:00:00+00:00"),
            (RunState.COMPLETE, "2026-03-01T08:04:00+00:00"),
        )
    ]
    ingest_events(store, [Serde.to_dict(e) for e in events])
    return f"job-run:{run_id}"


def test_mlflow_data_a_pipeline_reported_first_is_the_pipeline_dataset(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    job_run = _pipeline_wrote_egt_history(store)
    report = sync(world)
    assert report.rejected == 0

    version = "dataset-version:egt-history@d1g35t01"
    owners = store.neighbours([version], link_type="dataset-has-version", direction=Direction.IN)
    assert [n.object.id for n in owners[version]] == [OUTPUT]
    assert store.get_one("dataset:egt-history") is None  # no second object for the same data
    # the holdout MLflow logged from a place no pipeline reported keeps MLflow's name
    assert store.get_one("dataset:egt-holdout") is not None

    down = store.lineage(job_run, direction=Direction.DOWNSTREAM, depth=6)
    reached = {n.id for n in down.nodes}
    assert {OUTPUT, version, f"experiment:mlflow:{world.runs['train']}"} <= reached
    assert f"model-version:{MODEL_KEY}@1" in reached

    # a full re-sync meets the same Dataset and changes nothing
    again = sync(world, full=True)
    assert again.rejected == 0 and again.created == 0 and again.links_created == 0
    assert store.get_one("dataset:egt-history") is None
