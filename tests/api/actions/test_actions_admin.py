"""Admin actions: upsert, (un)link, soft/hard delete, restore; the audit trail is untouchable."""

from __future__ import annotations

import datetime as dt

import pytest
from actionkit import ACTOR, about, assert_logged, obj, out, put, run

from opencase.errors import ActionError, NotFoundError, ValidationError
from opencase.graph import GraphStore


def test_upsert_creates_then_merges(store: GraphStore) -> None:
    created = run(
        store, "upsertObject", object_type="dataset", properties={"dataset_id": "d1", "name": "D"}
    )
    assert created.created_ids == ["dataset:d1"]
    updated = run(
        store, "upsertObject", object_type="Dataset", properties={"dataset_id": "d1", "pii": True}
    )
    assert updated.created_ids == []
    props = obj(store, "dataset:d1").properties
    assert (props["name"], props["pii"]) == ("D", True)
    assert_logged(store, updated)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"object_type": "Spaceship", "properties": {"x": 1}}, "object_type"),
        ({"object_type": "Dataset", "properties": {"name": "D"}}, "properties"),
        ({"object_type": "Dataset", "properties": "not json"}, "properties"),
        ({"object_type": "Dataset", "properties": {"dataset_id": "d", "pii": "maybe"}}, "pii"),
    ],
)
def test_upsert_names_what_is_wrong(store: GraphStore, params: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        run(store, "upsertObject", **params)
    assert field in {p.field for p in err.value.problems}


def test_upsert_respects_the_state_machines(store: GraphStore) -> None:
    gate = put(store, "Gate", gate_id="g", name="QG1")
    run(
        store, "upsertObject", object_type="Gate", properties={"gate_id": "g", "status": "InReview"}
    )
    assert obj(store, gate).properties["status"] == "InReview"
    run(store, "approveGate", gate_id=gate)
    with pytest.raises(ActionError, match="from Decided to Pending"):
        run(
            store,
            "upsertObject",
            object_type="Gate",
            properties={"gate_id": "g", "status": "Pending"},
        )


def test_link_and_unlink(store: GraphStore) -> None:
    tool = put(store, "Tool", tool_id="t", name="pytest")
    exp = put(store, "Experiment", run_key="mlflow:r", tracking_system="mlflow", run_id="r")
    linked = run(store, "linkObjects", link_type="tool-used-in", source_id=tool, target_id=exp)
    assert out(store, tool, "tool-used-in") == {exp}
    assert_logged(store, linked)
    unlinked = run(store, "unlinkObjects", link_type="tool-used-in", source_id=tool, target_id=exp)
    assert out(store, tool, "tool-used-in") == set()
    assert about(store, unlinked.log_id) == {tool, exp}
    with pytest.raises(ActionError, match="there is no tool-used-in link"):
        run(store, "unlinkObjects", link_type="tool-used-in", source_id=tool, target_id=exp)


def test_link_properties_are_validated(store: GraphStore) -> None:
    exp = put(store, "Experiment", run_key="mlflow:r", tracking_system="mlflow", run_id="r")
    data = put(store, "DatasetVersion", dataset_version_id="d@1", version_id="1")
    run(
        store,
        "linkObjects",
        link_type="experiment-used-dataset",
        source_id=exp,
        target_id=data,
        properties={"context": "training"},
    )
    with pytest.raises(ValidationError) as err:
        run(
            store,
            "linkObjects",
            link_type="experiment-used-dataset",
            source_id=exp,
            target_id=data,
            properties={"weight": 2},
        )
    assert err.value.problems[0].field == "weight"


def test_link_refuses_wrong_endpoint_types_and_unknown_links(store: GraphStore) -> None:
    tool = put(store, "Tool", tool_id="t", name="pytest")
    with pytest.raises(ActionError, match="target_id must be the id of a Experiment or"):
        run(store, "linkObjects", link_type="tool-used-in", source_id=tool, target_id=tool)
    with pytest.raises(ValidationError) as err:
        run(store, "linkObjects", link_type="tool-loves", source_id=tool, target_id=tool)
    assert err.value.problems[0].field == "link_type"


def test_soft_delete_hides_and_keeps_who_and_when(store: GraphStore) -> None:
    tool = put(store, "Tool", tool_id="t", name="pytest")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    outcome = run(store, "deleteObject", actor="admin", object_id=tool, reason="duplicate")
    assert store.get_one(tool) is None
    kept = obj(store, tool, include_deleted=True)
    assert kept.deleted_by == "admin"
    assert kept.deleted_at is not None and kept.deleted_at >= before
    assert about(store, outcome.log_id) == {tool}
    with pytest.raises(ActionError, match="already deleted"):
        run(store, "deleteObject", object_id=tool)
    restored = run(store, "restoreObject", object_id=tool)
    assert obj(store, tool).deleted_at is None
    assert_logged(store, restored)
    with pytest.raises(ActionError, match="is not deleted"):
        run(store, "restoreObject", object_id=tool)


def test_a_deleted_object_cannot_be_edited_or_recreated(store: GraphStore) -> None:
    run(store, "registerModel", name="m")
    run(store, "deleteObject", object_id="model-work:m")
    with pytest.raises(ActionError, match="was deleted"):
        run(store, "upsertObject", object_type="ModelWork", properties={"model_key": "m"})
    with pytest.raises(ActionError, match="deleted object"):
        run(store, "registerModel", name="m")


def test_hard_delete_removes_the_object_and_its_links(store: GraphStore) -> None:
    model = run(store, "registerModel", name="m", partner="GE").created_ids[0]
    outcome = run(
        store,
        "deleteObject",
        object_id=model,
        hard_delete_confirmed_at=dt.datetime.now(dt.UTC).isoformat(),
    )
    assert store.get_one(model, include_deleted=True) is None
    assert out(store, "partner:GE", "daia-model-by-partner") == set()
    log = obj(store, outcome.log_id)
    assert log.properties["target_ids"] == [model]
    assert about(store, outcome.log_id) == set()


def test_hard_delete_of_a_soft_deleted_object(store: GraphStore) -> None:
    tool = put(store, "Tool", tool_id="t", name="pytest")
    run(store, "deleteObject", object_id=tool)
    run(store, "deleteObject", object_id=tool, hard_delete_confirmed_at="2030-01-01T00:00:00Z")
    assert store.get_one(tool, include_deleted=True) is None


def test_deleting_a_missing_object_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        run(store, "deleteObject", object_id="tool:ghost")


def test_action_logs_cannot_be_touched(store: GraphStore) -> None:
    """No admin action edits, links, unlinks, deletes or forges an ActionLog."""
    outcome = run(store, "registerModel", name="m")
    log = outcome.log_id
    log_key = log.split(":", 1)[1]
    before = store.stats()
    attempts = [
        ("upsertObject", {"object_type": "ActionLog", "properties": {"log_id": log_key}}),
        (
            "upsertObject",
            {
                "object_type": "action-log",
                "properties": {
                    "log_id": "forged",
                    "action_type": "x",
                    "actor": "x",
                    "timestamp": "2020-01-01T00:00:00Z",
                    "outcome": "succeeded",
                },
            },
        ),
        ("deleteObject", {"object_id": log}),
        ("deleteObject", {"object_id": log, "hard_delete_confirmed_at": "2030-01-01"}),
        ("restoreObject", {"object_id": log}),
        (
            "linkObjects",
            {"link_type": "action-log-about", "source_id": log, "target_id": "model-work:m"},
        ),
        (
            "unlinkObjects",
            {"link_type": "action-log-about", "source_id": log, "target_id": "model-work:m"},
        ),
    ]
    for action, params in attempts:
        with pytest.raises(ValidationError, match=r"system (link )?type"):
            run(store, action, **params)
    assert store.stats() == before
    entry = obj(store, log)
    assert entry.properties["actor"] == ACTOR
    assert about(store, log) == {"model-work:m"}
