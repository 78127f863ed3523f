"""A case's and a model's whole audit trail, through GraphQL, on the demo graph.

Actions on a case's task and gate log against the task and the gate; the
executor also links each log to the case and the models reached from them
(``via``), so ``integrationCase { actionLogs }`` and ``modelWork { actionLogs }``
list them, filterable by action type, actor, time and target type. The log
records the HTTP caller's IP address and user agent.
"""

from __future__ import annotations

from apikit import DemoApi

CASE = "integration-case:CASE-2025-014"
HPC = "model-work:A330:72:hpc-cf6-80e-cruise"
HPT = "model-work:A330:72:hpt-cf6-80e-cruise"
TASK = "integration-task:TASK-014-04"
GATE = "gate:GATE-014-QG2"

TRAIL = """
query Trail($id: ID!, $where: ActionLogWhere) {
  integrationCase(id: $id) {
    actionLogs(where: $where, orderBy: [{field: timestamp, direction: DESC}]) {
      totalCount
      edges { node { id actionType actor targetTypes targetIds clientIp userAgent } }
    }
  }
}
"""
MODEL_TRAIL = """
query ModelTrail($id: ID!, $where: ActionLogWhere) {
  modelWork(id: $id) { actionLogs(where: $where) { totalCount edges { node { id actionType } } } }
}
"""


def _logs(demo: DemoApi, where: dict | None = None) -> list[dict]:
    found = demo.data(TRAIL, {"id": CASE, "where": where})["integrationCase"]["actionLogs"]
    return [e["node"] for e in found["edges"]]


def test_logs_of_a_cases_tasks_and_gates_are_on_the_case_and_its_models(demo: DemoApi) -> None:
    loaded = {n["id"] for n in _logs(demo)}
    assert len(loaded) == 3  # the demo's audit history of the case
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

    trail = _logs(demo)
    assert {n["id"] for n in trail} == loaded | {done, gate}
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


def test_trail_filters_by_action_type_actor_time_and_target_type(demo: DemoApi) -> None:
    by_type = _logs(demo, {"actionType": {"eq": "approve-gate"}})
    assert [n["actor"] for n in by_type] == ["claire-dubois"]
    by_actor = _logs(demo, {"actor": {"eq": "mathieu.renard@daia.example"}})
    assert {n["actionType"] for n in by_actor} == {"complete-task", "upload-evidence"}
    in_february = _logs(
        demo,
        {"timestamp": {"gte": "2025-02-01T00:00:00Z", "lt": "2025-03-01T00:00:00Z"}},
    )
    assert [n["actionType"] for n in in_february] == ["approve-gate"]
    about_gates = _logs(demo, {"targetTypes": {"contains": "Gate"}})
    assert {n["actionType"] for n in about_gates} >= {"approve-gate", "upload-evidence"}
    assert all("Gate" in n["targetTypes"] for n in about_gates)
    mixed = _logs(
        demo,
        {"targetTypes": {"contains": "Artifact"}, "actor": {"startsWith": "mathieu"}},
    )
    assert [n["actionType"] for n in mixed] == ["upload-evidence"]


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
