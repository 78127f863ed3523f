"""The executor's shared contract: dispatch, parameter validation, preconditions, the log."""

from __future__ import annotations

import datetime as dt

import pytest
from actionkit import about, assert_logged, obj, put, run

from opencase.api.actions import HANDLERS, execute
from opencase.api.actions.log import new_id
from opencase.errors import ActionError, NotFoundError, ValidationError
from opencase.graph import GraphStore
from opencase.ontology import ONTOLOGY


def test_every_declared_action_type_has_an_executor() -> None:
    assert set(HANDLERS) == {a.name for a in ONTOLOGY.action_types}


def test_unknown_action_is_refused_with_the_declared_names(store: GraphStore) -> None:
    with pytest.raises(ActionError) as err:
        run(store, "launchRocket")
    assert "completeTask" in (err.value.suggestion or "")


def test_action_by_api_name_and_camel_case_parameters(store: GraphStore) -> None:
    outcome = execute(store, "register-model", {"name": "Fuel burn", "acFamily": "A350"}, "bob")
    assert outcome.action_type == "register-model"
    assert obj(store, outcome.created_ids[0]).properties["ac_family"] == "A350"


def test_blank_actor_is_refused(store: GraphStore) -> None:
    with pytest.raises(ValidationError) as err:
        execute(store, "registerModel", {"name": "x"}, "  ")
    assert err.value.problems[0].field == "actor"


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({}, "name", "required parameter is missing"),
        ({"name": "  "}, "name", "required parameter is empty"),
        ({"name": "x", "ac_family": "B747"}, "ac_family", "A220, A300"),
        ({"name": "x", "colour": "red"}, "colour", "no parameter of that name"),
        ({"name": "x", "ata_chapter": "seven"}, "ata_chapter", "pattern"),
    ],
)
def test_bad_parameters_name_the_parameter(
    store: GraphStore, params: dict[str, str], field: str, words: str
) -> None:
    before = store.stats()
    with pytest.raises(ValidationError) as err:
        execute(store, "registerModel", params, "tester")
    problem = err.value.problems[0]
    assert problem.field == field
    assert words in problem.message
    assert store.stats() == before


def test_a_bad_date_names_the_parameter(store: GraphStore) -> None:
    task = put(store, "IntegrationTask", task_id="T-1", title="t", status="NotStarted")
    with pytest.raises(ValidationError) as err:
        run(store, "completeTask", task_id=task, completed_on="yesterday-ish")
    assert err.value.problems[0].field == "completed_on"


def test_an_id_that_is_not_an_opencase_id_names_the_parameter(store: GraphStore) -> None:
    with pytest.raises(ValidationError) as err:
        run(store, "completeTask", task_id="T-1")
    assert err.value.problems[0].field == "task_id"


def test_an_id_not_in_the_graph_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFoundError, match="integration-task:nope"):
        run(store, "completeTask", task_id="integration-task:nope")


def test_an_id_of_the_wrong_type_is_refused(store: GraphStore, model: dict[str, str]) -> None:
    with pytest.raises(ActionError, match="task_id must be the id of a IntegrationTask"):
        run(store, "completeTask", task_id=model["gate"])


def test_a_soft_deleted_target_is_refused(store: GraphStore) -> None:
    task = put(store, "IntegrationTask", task_id="T-1", title="t", status="NotStarted")
    run(store, "deleteObject", object_id=task)
    with pytest.raises(ActionError, match="was deleted") as err:
        run(store, "completeTask", task_id=task)
    assert "restoreObject" in (err.value.suggestion or "")


def test_the_log_holds_actor_time_parameters_and_links(store: GraphStore) -> None:
    task = put(store, "IntegrationTask", task_id="T-1", title="t", status="InProgress")
    before = dt.datetime.now(dt.UTC)
    outcome = run(store, "completeTask", actor="carol", task_id=task, completed_on="2025-03-04")
    log = assert_logged(store, outcome, actor="carol")
    assert log.properties["parameters"] == {"task_id": task, "completed_on": "2025-03-04"}
    assert log.properties["timestamp"] >= before.replace(microsecond=0)
    assert log.properties["summary"] == outcome.summary
    assert about(store, outcome.log_id) == {task}


def test_a_refused_action_writes_no_log(store: GraphStore) -> None:
    task = put(store, "IntegrationTask", task_id="T-1", title="t", status="Done")
    before = store.stats()
    with pytest.raises(ActionError):
        run(store, "completeTask", task_id=task)
    assert store.stats() == before


def test_log_ids_are_unique_and_sort_by_creation() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 26 for i in ids)
    assert ids[0][:8] <= ids[-1][:8]  # the leading characters are the millisecond clock
