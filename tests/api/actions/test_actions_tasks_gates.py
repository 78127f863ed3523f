"""completeTask, approveGate, rejectGate: effects, version moves, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from actionkit import ACTOR, assert_logged, obj, put, run

from opencase.errors import ActionError, ValidationError
from opencase.graph import GraphStore


def test_complete_task(store: GraphStore) -> None:
    task = put(store, "IntegrationTask", task_id="T-1", title="Run QG2 checks", status="InProgress")
    outcome = run(store, "completeTask", task_id=task, note="all green")
    props = obj(store, task).properties
    assert props["status"] == "Done"
    assert props["completed_on"] == dt.datetime.now(dt.UTC).date()
    assert props["percent_complete"] == 100
    log = assert_logged(store, outcome)
    assert log.properties["parameters"]["note"] == "all green"


def test_completing_a_done_task_names_the_states(store: GraphStore) -> None:
    task = put(store, "IntegrationTask", task_id="T-1", title="t", status="Done")
    with pytest.raises(ActionError, match="already Done"):
        run(store, "completeTask", task_id=task)


def _set_version_status(store: GraphStore, version: str, *path: str) -> None:
    for status in path:
        run(store, "setModelVersionStatus", model_version_id=version, status=status)


def test_approve_gate_decides_it_and_approves_a_validating_version(
    store: GraphStore, model: dict[str, str]
) -> None:
    _set_version_status(store, model["version"], "ReadyForValidation", "Validating")
    outcome = run(store, "approveGate", gate_id=model["gate"], reason="KPIs met")
    gate = obj(store, model["gate"]).properties
    assert gate["status"] == "Decided"
    assert gate["decision"] == "Passed"
    assert gate["approver"] == ACTOR
    assert gate["notes"] == "KPIs met"
    assert gate["decision_date"] is not None
    assert obj(store, model["version"]).properties["status"] == "Approved"
    assert set(assert_logged(store, outcome).properties["target_ids"]) == {
        model["gate"],
        model["version"],
    }


def test_waiving_names_the_approver(store: GraphStore, model: dict[str, str]) -> None:
    run(store, "approveGate", gate_id=model["gate"], decision="Waived", approver="dana@x.com")
    gate = obj(store, model["gate"]).properties
    assert (gate["decision"], gate["approver"]) == ("Waived", "dana@x.com")
    assert obj(store, model["version"]).properties["status"] == "Draft"  # not waiting: unmoved


def test_approve_gate_cannot_fail_it(store: GraphStore, model: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as err:
        run(store, "approveGate", gate_id=model["gate"], decision="Failed")
    assert err.value.problems[0].field == "decision"


def test_reject_gate_needs_a_reason(store: GraphStore, model: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as err:
        run(store, "rejectGate", gate_id=model["gate"])
    assert err.value.problems[0].field == "reason"


def test_reject_gate_rejects_a_validating_version(store: GraphStore, model: dict[str, str]) -> None:
    _set_version_status(store, model["version"], "ReadyForValidation", "Validating")
    run(store, "rejectGate", gate_id=model["gate"], reason="drift too high")
    gate = obj(store, model["gate"]).properties
    assert (gate["status"], gate["decision"], gate["notes"]) == (
        "Decided",
        "Failed",
        "drift too high",
    )
    assert obj(store, model["version"]).properties["status"] == "Rejected"


def test_a_decided_gate_cannot_be_decided_again(store: GraphStore, model: dict[str, str]) -> None:
    run(store, "approveGate", gate_id=model["gate"])
    with pytest.raises(ActionError, match="Decided is final"):
        run(store, "rejectGate", gate_id=model["gate"], reason="changed my mind")
    assert obj(store, model["gate"]).properties["decision"] == "Passed"


def test_gate_id_must_be_a_gate(store: GraphStore) -> None:
    task = put(store, "IntegrationTask", task_id="T-1", title="t", status="InProgress")
    with pytest.raises(ActionError, match="gate_id"):
        run(store, "approveGate", gate_id=task)
