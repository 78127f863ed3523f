"""Small writes (row by row) and bulk writes (Arrow) store exactly the same thing.

The embedded store sends a statement over a few rows through plain parameters
and a larger one through COPY / LOAD FROM (see ``opencase.graph.ladybug_small``).
The same writes are made both ways, every property kind and null included, and
must read back identically.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from opencase.graph import GraphStore, open_store, small
from opencase.graph.store import LinkRecord, ObjectRecord, WriteBatch

UTC = dt.UTC

OBJECTS = [
    ObjectRecord(
        "IntegrationTask",
        {
            "task_id": "t1",
            "title": "Every kind",
            "start_date": dt.date(2025, 1, 2),
            "priority": "High",
            "status": "InProgress",
            "labels": ["a", "b"],
            "percent_complete": 40,
            "expected_hours": 2.5,
        },
    ),
    ObjectRecord("IntegrationTask", {"task_id": "t2", "title": "Nulls", "status": "NotStarted"}),
    ObjectRecord(
        "IntegrationTask", {"task_id": "t3", "title": "Empty", "status": "NotStarted", "labels": []}
    ),
    ObjectRecord(
        "DriftReport",
        {
            "report_id": "r1",
            "window_start": dt.datetime(2025, 3, 4, 5, 6, 7, 890000, tzinfo=UTC),
            "drift_score": 0.25,
            "feature_scores": {"x": 0.1, "nested": {"y": [1, 2]}},
        },
    ),
    ObjectRecord("Experiment", {"run_key": "e1", "tracking_system": "mlflow", "run_id": "1"}),
    ObjectRecord("DatasetVersion", {"dataset_version_id": "d1", "version_id": "1"}),
    ObjectRecord("DatasetVersion", {"dataset_version_id": "d2", "version_id": "2"}),
]
LINKS = [
    LinkRecord("experiment-used-dataset", "experiment:e1", "dataset-version:d1"),
    LinkRecord(
        "experiment-used-dataset", "experiment:e1", "dataset-version:d2", {"context": "eval"}
    ),
]
CHANGES = WriteBatch(
    objects=[
        ObjectRecord("IntegrationTask", {"task_id": "t1", "labels": [], "expected_hours": None}),
        ObjectRecord(
            "IntegrationTask", {"task_id": "t2", "labels": ["new"], "percent_complete": 5}
        ),
    ],
    links=[
        LinkRecord(
            "experiment-used-dataset", "experiment:e1", "dataset-version:d1", {"context": "train"}
        )
    ],
)


def _contents(store: GraphStore) -> tuple[dict, list]:  # type: ignore[type-arg]
    ids = [f"integration-task:t{i}" for i in (1, 2, 3)] + ["drift-report:r1"]
    found = store.get(ids)
    objects = {i: (found[i].title, dict(found[i].properties)) for i in ids}
    links = sorted(
        (lk.source_id, lk.target_id, dict(lk.properties))
        for batch in store.scan_links("experiment-used-dataset")
        for lk in batch
    )
    return objects, links


def _write_all(path: str) -> tuple[dict, list]:  # type: ignore[type-arg]
    with open_store(path) as store:
        store.write(WriteBatch(objects=list(OBJECTS), links=list(LINKS)))
        first = _contents(store)
        store.write(CHANGES)
        return first, _contents(store)


def test_small_and_bulk_statements_store_the_same(
    store_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_path = str(tmp_path / "bulk")
    shutil.copyfile(store_path, bulk_path)
    few = _write_all(store_path)
    monkeypatch.setattr(small, "SMALL_ROWS", -1)  # every statement through Arrow
    bulk = _write_all(bulk_path)
    assert few == bulk
    (objects, links), (changed, changed_links) = few
    assert objects["integration-task:t1"][1]["labels"] == ["a", "b"]
    assert objects["integration-task:t3"][1]["labels"] == []
    assert objects["drift-report:r1"][1]["feature_scores"] == {"x": 0.1, "nested": {"y": [1, 2]}}
    assert changed["integration-task:t1"][1]["labels"] == []
    assert changed["integration-task:t1"][1].get("expected_hours") is None
    assert changed["integration-task:t2"][1]["percent_complete"] == 5
    assert links[0][2] == {"context": None} and links[1][2] == {"context": "eval"}
    assert changed_links[0][2] == {"context": "train"}


def test_the_threshold_is_one_switch() -> None:
    assert small.is_small(small.SMALL_ROWS)
    assert not small.is_small(small.SMALL_ROWS + 1)
