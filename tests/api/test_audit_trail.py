"""A case's and a model's whole audit trail, through GraphQL, on the demo graph.

Actions on a case's task and gate log against the task and the gate; the
executor also links each log to the case and the models reached from them
(``via``), so ``integrationCase { actionLogs }`` and ``modelWork { actionLogs }``
list them, filterable by action type, actor, time and target type. The log
records the HTTP caller's IP address and user agent.
"""

from __future__ import annotations

import pytest
from apikit import DemoApi

CASE = "integration-case:CASE-2025-014"
HPC = "model-work:A330:72:hpc-cf6-80e-cruise"
HPT = "model-work:A330:72:hpt-cf6-80e-cruise"
TASK = "integration-task:TASK-014-04"
GATE = "gate:GATE-014-QG2"

TRAIL = """
query Trail($id: ID!, $where: IntegrationCaseActionLogsWhere) {
  integrationCase(id: $id) {
    actionLogs(where: $where, orderBy: [{field: timestamp, direction: DESC}]) {
      totalCount
      edges { node { id actionType actor targetTypes targetIds clientIp userAgent } }
    }
  }
}
"""
MODEL_TRAIL = """
query ModelTrail($id: ID!, $where: ModelWorkActionLogsWhere) {
  modelWork(id: $id) { actionLogs(where: $where) { totalCount edges { node { id actionType } } } }
}
"""


def _logs(demo: DemoApi, where: dict | None = None) -> list[dict]:
    found = demo.data(TRAIL, {"id": CASE, "where": where})["integrationCase"]["actionLogs"]
    return [e["node"] for e in found["edges"]]


@pytest.fixture(scope="module")
def acted(demo: DemoApi) -> dict[str, str]:
    """A task completed and a gate rejected on the case, through GraphQL: their log ids."""
    done = demo.data(
        'mutation($id: String!) { completeTask(taskId: $id, note: "advice drafted") { logId } }',
        {"id": TASK},
        key="write",
    )["completeTask"]["logId"]
    gate = demo.data(
        'mutation($id: String!) { rejectGate(gateId: $id, reason: "false alarms") { logId } }',
        {"id": GATE},
        key="write",
    )["rejectGate"]["logId"]
    return {"task": done, "gate": gate}


def test_logs_of_a_cases_tasks_and_gates_are_on_the_case_and_its_models(
    demo: DemoApi, acted: dict[str, str]
) -> None:
    done, gate = acted["task"], acted["gate"]
    trail = _logs(demo)
    assert {done, gate} <= {n["id"] for n in trail}
    task_log = next(n for n in trail if n["id"] == done)
    assert task_log["targetTypes"] == ["IntegrationTask"]
    assert task_log["targetIds"] == [TASK]
    # the caller of the mutation, as the HTTP request showed it
    assert task_log["clientIp"] == "127.0.0.1"
    assert task_log["userAgent"].startswith("python-httpx/")

    # the case's models: HPC and HPT are integrated by the case; the gate decides on HPC 1.3.0
    for model in (HPC, HPT):
        on_model = demo.data(MODEL_TRAIL, {"id": model, "where": None})["modelWork"]
        assert done in {e["node"]["id"] for e in on_model["actionLogs"]["edges"]}
    hpc = demo.data(MODEL_TRAIL, {"id": HPC, "where": {"actionType": {"eq": "reject-gate"}}})
    assert [e["node"]["id"] for e in hpc["modelWork"]["actionLogs"]["edges"]] == [gate]


def test_trail_filters_by_action_type_actor_time_and_target_type(
    demo: DemoApi, acted: dict[str, str]
) -> None:
    by_type = _logs(demo, {"actionType": {"eq": "reject-gate"}})
    assert [(n["id"], n["actor"]) for n in by_type] == [(acted["gate"], "write-key")]
    by_actor = {n["id"] for n in _logs(demo, {"actor": {"eq": "write-key"}})}
    assert {acted["task"], acted["gate"]} <= by_actor
    assert _logs(demo, {"actor": {"eq": "someone-else"}}) == []
    recent = _logs(demo, {"timestamp": {"gte": "2025-01-01T00:00:00Z"}})
    assert {acted["task"], acted["gate"]} <= {n["id"] for n in recent}
    assert _logs(demo, {"timestamp": {"lt": "2025-01-01T00:00:00Z"}}) == []
    about_gates = _logs(demo, {"targetTypes": {"contains": "Gate"}})
    assert acted["gate"] in {n["id"] for n in about_gates}
    assert acted["task"] not in {n["id"] for n in about_gates}
    assert all("Gate" in n["targetTypes"] for n in about_gates)
    tasks_by_me = _logs(
        demo, {"targetTypes": {"contains": "IntegrationTask"}, "actor": {"startsWith": "write"}}
    )
    assert acted["task"] in {n["id"] for n in tasks_by_me}


def test_log_names_the_touched_objects_apart_from_the_hubs(demo: DemoApi) -> None:
    """``about`` lists both; ``targetIds`` only what the action touched."""
    created = demo.data(
        'mutation($id: String!) { flagRisk(targetId: $id, title: "HPT late", severity: High) '
        "{ logId log { ... on ActionLog { targetIds about { edges { node { id } } } } } } }",
        {"id": CASE},
        key="write",
    )["flagRisk"]
    log = created["log"]
    about = {e["node"]["id"] for e in log["about"]["edges"]}
    assert CASE in log["targetIds"] and CASE in about
    assert {HPC, HPT} <= about  # the case's models, reached from the case
    assert not {HPC, HPT} & set(log["targetIds"])
