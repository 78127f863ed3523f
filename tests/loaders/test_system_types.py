"""System types (the ActionLog) are written only by the action executor, never by a loader.

Each writer path is tried as an attacker would: a JSONL line forging or rewriting
an audit entry, a link attaching a real entry to an unrelated object, and the
store's own write and upsert (what the tracker, work-package and MLflow
loaders and any import reach in the end). Every attempt is refused with a clear
problem and the real log is left exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loaderkit import all_links

from opencase.api.actions import execute
from opencase.errors import ValidationError
from opencase.graph import GraphStore
from opencase.graph.store import LinkKey, LinkRecord, ObjectRecord, WriteBatch
from opencase.loaders.jsonl import load_jsonl
from opencase.ontology import ONTOLOGY
from opencase.ontology.system import is_system_link, is_system_object

ABOUT = "action-log-about"


@pytest.fixture
def logged(store: GraphStore) -> tuple[str, str]:
    """(log id, its key) of a real action's audit entry, and a partner it is not about."""
    store.write(WriteBatch(objects=[ObjectRecord("Partner", {"name": "Unrelated"})]))
    outcome = execute(store, "registerModel", {"name": "Real model"}, "alice")
    return outcome.log_id, outcome.log_id.split(":", 1)[1]


def _snapshot(store: GraphStore, log_id: str) -> tuple[dict, set[str]]:  # type: ignore[type-arg]
    log = store.get_one(log_id, include_deleted=True)
    assert log is not None
    about = {lk.target_id for lk in all_links(store, ABOUT) if lk.source_id == log_id}
    return dict(log.properties), about


def test_the_ontology_declares_the_system_types() -> None:
    assert ONTOLOGY.system_types == {"ActionLog"}
    assert is_system_object("action-log") and not is_system_object("Partner")
    assert is_system_link(ABOUT) and not is_system_link("work-package-for-partner")


def test_jsonl_cannot_rewrite_or_attach_a_log(
    store: GraphStore, logged: tuple[str, str], tmp_path: Path
) -> None:
    log_id, key = logged
    before = _snapshot(store, log_id)
    lines = [
        {"objectType": "partner", "properties": {"name": "Good line"}},
        {
            "objectType": "action-log",
            "properties": {
                "log_id": key,
                "action_type": "register-model",
                "actor": "mallory",
                "timestamp": "2020-01-01T00:00:00Z",
                "outcome": "Failed",
                "summary": "rewritten",
            },
        },
        {"linkType": ABOUT, "source": log_id, "target": "partner:Unrelated"},
    ]
    path = tmp_path / "attack.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = load_jsonl(store, path)
    assert [(p.line, p.field) for p in report.problems] == [(2, "objectType"), (3, "linkType")]
    assert all(" is a system " in p.message for p in report.problems), report.problems
    assert report.rejected == 2 and report.exit_code == 1
    assert store.get_one("partner:Good line") is not None  # the good line still loads
    assert _snapshot(store, log_id) == before


@pytest.mark.parametrize(
    "batch",
    [
        pytest.param(
            lambda log, key: WriteBatch(objects=[ObjectRecord("ActionLog", {"log_id": key})]),
            id="update",
        ),
        pytest.param(
            lambda log, key: WriteBatch(links=[LinkRecord(ABOUT, log, "partner:Unrelated")]),
            id="link",
        ),
        pytest.param(
            lambda log, key: WriteBatch(unlinks=[LinkKey(ABOUT, log, "model-work:real-model")]),
            id="unlink",
        ),
        pytest.param(lambda log, key: WriteBatch(soft_deletes=[log]), id="soft-delete"),
        pytest.param(lambda log, key: WriteBatch(hard_deletes=[log]), id="hard-delete"),
        pytest.param(lambda log, key: WriteBatch(restores=[log]), id="restore"),
    ],
)
def test_the_store_refuses_every_other_writer(
    store: GraphStore,
    logged: tuple[str, str],
    batch,  # type: ignore[no-untyped-def]
) -> None:
    """What the tracker, work-package and MLflow loaders and imports call in the end."""
    log_id, key = logged
    before = _snapshot(store, log_id)
    with pytest.raises(ValidationError, match=r"system (link )?type"):
        store.write(batch(log_id, key))
    assert _snapshot(store, log_id) == before


def test_bulk_upsert_refuses_a_forged_log(store: GraphStore, logged: tuple[str, str]) -> None:
    log_id, key = logged
    before = _snapshot(store, log_id)
    forged = ObjectRecord("action-log", {"log_id": key, "actor": "mallory"})
    with pytest.raises(ValidationError, match="ActionLog is a system type"):
        list(store.upsert([ObjectRecord("Partner", {"name": "Bulk"}), forged]))
    with pytest.raises(ValidationError, match="action-log-about is a system link type"):
        list(store.upsert(links=[LinkRecord(ABOUT, log_id, "partner:Unrelated")]))
    assert _snapshot(store, log_id) == before
    assert store.get_one("partner:Bulk") is None  # the whole upsert was refused
