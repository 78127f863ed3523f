"""OpenLineage events built with the official Python client's classes, as pipelines send them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    dataset_version_dataset,
    error_message_run,
    parent_run,
    schema_dataset,
)
from openlineage.client.serde import Serde

PRODUCER = "https://example.org/opencase-tests"
T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def dataset(namespace: str, name: str, *, version: str | None = None, columns: tuple = ()) -> dict:
    facets: dict[str, Any] = {}
    if columns:
        facets["schema"] = schema_dataset.SchemaDatasetFacet(
            fields=[schema_dataset.SchemaDatasetFacetFields(name=c, type="STRING") for c in columns]
        )
    if version:
        facets["version"] = dataset_version_dataset.DatasetVersionDatasetFacet(
            datasetVersion=version
        )
    return {"namespace": namespace, "name": name, "facets": facets}


def run_event(
    state: str,
    run_id: str,
    job: tuple[str, str],
    *,
    minutes: int = 0,
    inputs: tuple[dict, ...] = (),
    outputs: tuple[dict, ...] = (),
    parent: tuple[str, tuple[str, str]] | None = None,
    error: str | None = None,
) -> RunEvent:
    facets: dict[str, Any] = {}
    if parent:
        parent_id, (pns, pname) = parent
        facets["parent"] = parent_run.ParentRunFacet(
            run=parent_run.Run(runId=parent_id), job=parent_run.Job(namespace=pns, name=pname)
        )
    if error:
        facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
            message=error, programmingLanguage="python"
        )
    return RunEvent(
        eventType=RunState[state],
        eventTime=(T0 + dt.timedelta(minutes=minutes)).isoformat(),
        run=Run(runId=run_id, facets=facets),
        job=Job(namespace=job[0], name=job[1]),
        inputs=[InputDataset(**d) for d in inputs],
        outputs=[OutputDataset(**d) for d in outputs],
        producer=PRODUCER,
    )


def as_dict(event: RunEvent) -> dict[str, Any]:
    """The event as it travels: the client's own JSON serialisation."""
    out: dict[str, Any] = Serde.to_dict(event)
    return out


def new_run_id() -> str:
    return str(uuid.uuid4())
