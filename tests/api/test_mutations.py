"""Mutations: each needs a write key, runs the action and leaves an ActionLog."""

from __future__ import annotations

from typing import Any

REGISTER = """mutation { registerModel(name: "Brake Wear", acFamily: A320, ataChapter: "32") {
  logId actionType summary createdIds touchedIds
  touched { id objectType title ... on ModelWork { acFamily } }
  log { id ... on ActionLog { actor actionType outcome } } } }"""
SET_STATUS = 'mutation { setModelVersionStatus(modelVersionId: "%s", status: Approved) { logId } }'
LOGS = "{ actionLogs { totalCount edges { node { actor actionType targetIds } } } }"


def test_refused_without_a_key(writable: Any) -> None:
    err = writable.error(REGISTER)
    assert err["extensions"]["code"] == "UNAUTHENTICATED"
    assert "X-API-Key" in err["message"]
    assert "apikey create" in err["extensions"]["suggestion"]
    assert writable.data(LOGS)["actionLogs"]["totalCount"] == 0


def test_refused_with_an_unknown_key(writable: Any) -> None:
    err = writable.error(REGISTER, key="oc_deadbeef_not-a-real-key")
    assert err["extensions"]["code"] == "UNAUTHENTICATED"


def test_refused_with_a_read_key(writable: Any, read_key: str) -> None:
    err = writable.error(REGISTER, key=read_key)
    assert err["extensions"]["code"] == "FORBIDDEN"
    assert writable.data(LOGS)["actionLogs"]["totalCount"] == 0


def test_accepted_with_a_write_key_and_logged(writable: Any, write_key: str) -> None:
    result = writable.data(REGISTER, key=write_key)["registerModel"]
    assert result["actionType"] == "register-model"
    assert result["logId"].startswith("action-log:")
    model = next(t for t in result["touched"] if t["objectType"] == "model-work")
    assert model["acFamily"] == "A320"
    assert model["id"] in result["createdIds"]
    assert result["log"] == {
        "id": result["logId"],
        "actor": "tester",
        "actionType": "register-model",
        "outcome": "succeeded",
    }
    logs = writable.data(LOGS)["actionLogs"]
    assert logs["totalCount"] == 1
    assert model["id"] in logs["edges"][0]["node"]["targetIds"]
    # the new model is queryable at once, and its log links to it
    q = "query($id: ID!) { modelWork(id: $id) { name actionLogs { totalCount } } }"
    assert writable.data(q, {"id": model["id"]})["modelWork"] == {
        "name": "Brake Wear",
        "actionLogs": {"totalCount": 1},
    }


def test_enum_and_id_arguments_reach_the_executor(writable: Any, write_key: str) -> None:
    q = """mutation($id: String!) {
      setModelVersionStatus(modelVersionId: $id, status: Deprecated, reason: "old") {
      touched { ... on ModelVersion { status } } } }"""
    got = writable.data(q, {"id": "model-version:A350:72:engine-health@1.0"}, key=write_key)
    assert got["setModelVersionStatus"]["touched"] == [{"status": "Deprecated"}]


def test_invalid_parameter_names_the_field(writable: Any, write_key: str) -> None:
    err = writable.error(
        'mutation { registerModel(name: "X", ataChapter: "seventy-two") { logId } }', key=write_key
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert err["extensions"]["field"] == "ataChapter"
    assert "locations" in err and "Traceback" not in str(err)
    assert writable.data(LOGS)["actionLogs"]["totalCount"] == 0


def test_missing_object_is_not_found(writable: Any, write_key: str) -> None:
    q = SET_STATUS % "model-version:nope@1"
    err = writable.error(q, key=write_key)
    assert err["extensions"]["code"] == "NOT_FOUND"
    assert "nope" in err["message"]


def test_forbidden_transition_is_refused_with_a_suggestion(writable: Any, write_key: str) -> None:
    q = SET_STATUS % "model-version:A330:28:fuel-imbalance@0.9"
    err = writable.error(q, key=write_key)
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Draft" in err["message"]
    assert writable.data(LOGS)["actionLogs"]["totalCount"] == 0


def test_missing_required_argument_is_a_graphql_error(writable: Any, write_key: str) -> None:
    err = writable.error("mutation { registerModel(acFamily: A320) { logId } }", key=write_key)
    assert "name" in err["message"]
