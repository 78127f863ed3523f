"""addStatusUpdate: keyed like the tracker loader, positioned after the history."""

from __future__ import annotations

import pytest
from actionkit import ACTOR, assert_logged, obj, out, put, run

from opencase.errors import ActionError
from opencase.graph import GraphStore
from opencase.ontology import ids


def _action(store: GraphStore) -> str:
    return put(
        store,
        "Action",
        action_id="a1",
        title="Deliver data",
        status="InProgress",
        source_system="daia",
        source_id="7",
    )


def test_updates_follow_each_other(store: GraphStore) -> None:
    action = _action(store)
    first = run(store, "addStatusUpdate", action_id=action, body="asked GE")
    second = run(store, "addStatusUpdate", action_id=action, body="GE replied")
    assert first.created_ids == [f"status-update:{ids.status_update_id('a1', 0, 'asked GE')}"]
    assert second.created_ids == [f"status-update:{ids.status_update_id('a1', 1, 'GE replied')}"]
    props = obj(store, second.created_ids[0]).properties
    assert (props["position"], props["author_email"], props["body"]) == (1, ACTOR, "GE replied")
    assert out(store, action, "daia-action-has-update") == {*first.created_ids, *second.created_ids}
    assert obj(store, action).properties["status"] == "InProgress"
    assert_logged(store, second)


def test_an_update_may_change_the_status(store: GraphStore) -> None:
    action = _action(store)
    outcome = run(store, "addStatusUpdate", action_id=action, body="done", status="completed")
    props = obj(store, action).properties
    assert (props["status"], props["completed"]) == ("Completed", True)
    assert props["completed_on"] is not None
    assert set(outcome.touched_ids) == {action, outcome.created_ids[0]}
    with pytest.raises(ActionError, match="from Completed to Blocked"):
        run(store, "addStatusUpdate", action_id=action, body="blocked", status="Blocked")
    run(store, "addStatusUpdate", action_id=action, body="reopened", status="InProgress")
    reopened = obj(store, action).properties
    assert (reopened["completed"], reopened["completed_on"]) == (False, None)
