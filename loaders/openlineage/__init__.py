"""OpenLineage in: pipelines (Airflow, Spark, dbt, ...) report their runs, jobs and datasets.

:func:`ingest_events` takes one request's events (the HTTP endpoint),
:func:`load_openlineage` an events file (``opencase load openlineage``).
"""

from __future__ import annotations

from .ingest import EventsRejected, ingest_events, load_openlineage
from .mapping import dataset_uri, job_key

__all__ = ["EventsRejected", "dataset_uri", "ingest_events", "job_key", "load_openlineage"]
