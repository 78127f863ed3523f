"""Stored links are found the same way whether the store scans a table or looks up anchors.

A re-load asks for most stored links and scans the typed relationship table; a
small write into a big store looks its anchors up by index. Both must give the
same merge: unchanged links counted, changed link properties updated, the old
link on a single-valued side replaced.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opencase.graph import LinkRecord, ObjectRecord, ladybug_links, open_store

MODELS = 30


def _objects() -> list[ObjectRecord]:
    out = [ObjectRecord("Person", {"person_id": f"p{i}", "name": f"P{i}"}) for i in range(3)]
    for i in range(MODELS):
        out.append(ObjectRecord("ModelWork", {"model_key": f"A330:72:m{i}", "name": f"M{i}"}))
        out.append(ObjectRecord("Dataset", {"dataset_id": f"d{i}", "name": f"D{i}"}))
        out.append(
            ObjectRecord(
                "DatasetVersion",
                {"dataset_version_id": f"d{i}@1", "dataset_id": f"d{i}", "version_id": "1"},
            )
        )
        out.append(
            ObjectRecord(
                "Experiment",
                {"run_key": f"mlflow:r{i}", "tracking_system": "mlflow", "run_id": f"r{i}"},
            )
        )
    return out


def _links(owner: int, context: str) -> list[LinkRecord]:
    out = []
    for i in range(MODELS):
        out.append(
            LinkRecord("daia-model-owned-by", f"model-work:A330:72:m{i}", f"person:p{owner}")
        )
        out.append(
            LinkRecord(
                "experiment-used-dataset",
                f"experiment:mlflow:r{i}",
                f"dataset-version:d{i}@1",
                {"context": context},
            )
        )
    return out


@pytest.mark.parametrize("mode", ["scan", "lookup"])
def test_merge_counts_updates_and_replacements_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    # rows per anchor past which lookups win: 0 forces lookups, a huge number scans
    monkeypatch.setattr(ladybug_links, "_SCAN_ROWS_PER_ANCHOR", 10**9 if mode == "scan" else 0)
    with open_store(str(tmp_path / "g")) as store:
        store.install_schema()
        list(store.upsert(_objects(), _links(0, "training")))
        again = list(store.upsert(_objects(), _links(0, "training")))
        assert sum(r.links_unchanged for r in again) == 2 * MODELS
        assert sum(r.links_created for r in again) == 0
        changed = list(store.upsert((), _links(1, "evaluation")))
        assert sum(r.links_created for r in changed) == 2 * MODELS  # new owner + new context
        assert sum(r.unlinked for r in changed) == MODELS  # the old owner link replaced
        model = "model-work:A330:72:m3"
        owners = store.neighbours([model], link_type="daia-model-owned-by")[model]
        assert [n.object.id for n in owners] == ["person:p1"]
        used = store.neighbours(["experiment:mlflow:r3"], link_type="experiment-used-dataset")
        assert [n.link_properties for n in used["experiment:mlflow:r3"]] == [
            {"context": "evaluation"}
        ]
        stats = store.stats()
        assert stats["daia-model-owned-by"] == stats["experiment-used-dataset"] == MODELS
