"""A loader mirroring a source keeps the lifecycle: a forbidden move is reported, not applied."""

from __future__ import annotations

import json
from pathlib import Path

from opencase.graph import GraphStore
from opencase.loaders.jsonl import load_jsonl


def _write(path: Path, status: str, title: str) -> Path:
    record = {
        "objectType": "Action",
        "properties": {
            "action_id": "a-1",
            "title": title,
            "status": status,
            "source_system": "DAIA",
            "source_id": "1",
            "completed_on": "2025-02-01",
        },
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_a_forbidden_move_from_the_source_is_held_and_reported(
    store: GraphStore, tmp_path: Path
) -> None:
    first = load_jsonl(store, _write(tmp_path / "a.jsonl", "Completed", "Extract params"))
    assert first.ok and first.created == 1
    done = store.get_one("action:a-1")
    assert done is not None and done.properties["completed"] is True  # derived from the status
    again = load_jsonl(store, _write(tmp_path / "b.jsonl", "Proposed", "Extract parameters"))
    (warning,) = [w for w in again.warnings if "cannot move" in w.message]
    assert "from Completed to Proposed" in warning.message and warning.field == "status"
    kept = store.get_one("action:a-1")
    assert kept is not None
    assert kept.properties["status"] == "Completed"  # held
    assert kept.properties["title"] == "Extract parameters"  # the rest of the record is written
    assert str(kept.properties["completed_on"]) == "2025-02-01"


def test_a_new_object_gets_flags_from_its_state_and_no_stamp_outside_it(
    store: GraphStore, tmp_path: Path
) -> None:
    load_jsonl(store, _write(tmp_path / "a.jsonl", "Planned", "Plan"))
    planned = store.get_one("action:a-1")
    assert planned is not None
    assert (planned.properties["completed"], planned.properties["completed_on"]) == (False, None)
