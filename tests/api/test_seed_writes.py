"""The seeds' rules on writes, through GraphQL mutations on a fresh store each.

64-bit sizes as arguments, keys that keep their case, lifecycles on every
write path, derived fields that follow the status, camelCase property names
in upsertObject, and the gate policy with its logged override.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_seed import mv
from apikit import GraphQLClient

V11 = mv("A350:72:engine-health", "1.1")


@pytest.fixture
def gql(writable: GraphQLClient, write_key: str) -> Any:
    """``gql(query, **variables)``: data of a mutation or query that must succeed, or
    ``gql(query, fails=True, ...)``: its first error."""

    def run(query: str, fails: bool = False, **variables: Any) -> Any:
        if fails:
            return writable.error(query, variables, key=write_key)
        return writable.data(query, variables, key=write_key)

    return run


def _upsert(gql: Any, object_type: str, fails: bool = False, **props: Any) -> Any:
    query = (
        "mutation($t: String!, $p: JSON!) "
        "{ upsertObject(objectType: $t, properties: $p) { summary } }"
    )
    return gql(query, fails=fails, t=object_type, p=props)


def test_create_release_takes_a_64_bit_size(gql: Any) -> None:
    model = gql(
        'mutation { registerModel(name: "llama-3-7b-companyA", parameterCount: "7B") '
        "{ createdIds } }"
    )["registerModel"]["createdIds"][0]
    created = gql(
        'mutation($m: String!) { createRelease(modelId: $m, version: "1.0.0", '
        'quantization: "fp16", sizeBytes: 15000000000) { createdIds } }',
        m=model,
    )["createRelease"]["createdIds"]
    release = gql("query($id: ID!) { release(id: $id) { sizeBytes } }", id=created[0])
    assert release["release"]["sizeBytes"] == 15_000_000_000
    got = gql("query($id: ID!) { modelWork(id: $id) { parameters } }", id=model)
    assert got["modelWork"]["parameters"] == 7_000_000_000


def test_register_model_keeps_the_case_and_never_makes_a_twin(gql: Any) -> None:
    register = "mutation($n: String!) { registerModel(name: $n) { createdIds touchedIds summary } }"
    first = gql(register, n="llama-3-7b-companyA")["registerModel"]
    assert first["createdIds"] == ["model-work:llama-3-7b-companyA"]
    again = gql(register, n="llama-3-7b-companyA")["registerModel"]
    assert again["createdIds"] == [] and again["touchedIds"] == first["createdIds"]
    assert "already registered" in again["summary"]
    twin = gql(register, fails=True, n="llama-3-7b-companya")
    assert "differs only in letter case from model-work:llama-3-7b-companyA" in twin["message"]
    count = gql('{ modelWorks(where: {name: {startsWith: "llama"}}) { totalCount } }')
    assert count["modelWorks"]["totalCount"] == 1


def test_reopening_a_completed_action_clears_its_completion(gql: Any) -> None:
    update = (
        'mutation($s: ActionStatus!) { addStatusUpdate(actionId: "action:a1", body: "note", '
        "status: $s) { summary } }"
    )
    read = '{ action(id: "action:a1") { status completed completedOn } }'
    gql(update, s="Completed")
    done = gql(read)["action"]
    assert (done["status"], done["completed"]) == ("Completed", True) and done["completedOn"]
    refused = gql(update, fails=True, s="Proposed")
    assert (
        "cannot move from Completed to Proposed (allowed from Completed: InProgress)"
        in (refused["message"])
    )
    gql(update, s="InProgress")
    assert gql(read)["action"] == {"status": "InProgress", "completed": False, "completedOn": None}


def test_admin_upserts_follow_the_lifecycles(gql: Any) -> None:
    run = "mlflow:A350:72:engine-health:00"
    _upsert(gql, "Experiment", runKey=run, status="failed")
    refused = _upsert(gql, "Experiment", fails=True, runKey=run, status="running")
    assert "status cannot move from failed to running" in refused["message"]
    assert refused["extensions"]["field"] == "status"
    version = "flights@v1"
    read = '{ datasetVersion(id: "dataset-version:flights@v1") { status } }'
    assert gql(read)["datasetVersion"]["status"] == "created"
    skipped = _upsert(gql, "DatasetVersion", fails=True, datasetVersionId=version, status="active")
    assert (
        "from created to active (allowed from created: verified, deprecated)" in skipped["message"]
    )
    for step in ("verified", "active", "deprecated"):
        _upsert(gql, "DatasetVersion", datasetVersionId=version, status=step)
    assert gql(read)["datasetVersion"]["status"] == "deprecated"


def test_upsert_takes_camel_case_or_snake_case_names_but_not_both(gql: Any) -> None:
    _upsert(gql, "Dataset", datasetId="flights", refreshFrequency="daily")
    _upsert(gql, "Dataset", dataset_id="flights", source_system="ACMS")
    got = gql('{ dataset(id: "dataset:flights") { refreshFrequency sourceSystem } }')
    assert got["dataset"] == {"refreshFrequency": "daily", "sourceSystem": "ACMS"}
    both = _upsert(gql, "Dataset", fails=True, datasetId="flights", dataset_id="flights")
    assert "given twice" in both["message"]
    unknown = _upsert(gql, "Dataset", fails=True, datasetId="flights", refreshEvery="daily")
    assert unknown["extensions"]["field"] == "refreshEvery"


PUSH = (
    "mutation($v: String!, $why: String) { requestMpvalPush(modelVersionId: $v, "
    "gateOverrideReason: $why) { createdIds summary log { ... on ActionLog { parameters } } } }"
)


def _gate(gql: Any, gate_id: str, gate_type: str, **props: Any) -> str:
    _upsert(gql, "Gate", gateId=gate_id, name=f"{gate_type} engine health", type=gate_type, **props)
    link = (
        'mutation($g: String!, $v: String!) { linkObjects(linkType: "gate-advances-version", '
        "sourceId: $g, targetId: $v) { summary } }"
    )
    gql(link, g=f"gate:{gate_id}", v=V11)
    return f"gate:{gate_id}"


def test_an_mpval_push_needs_its_gate(gql: Any) -> None:
    missing = gql(PUSH, fails=True, v=V11)
    assert f"{V11} has no QG1 gate" in missing["message"]
    gate = _gate(gql, "QG1-EH", "QG1")
    pending = gql(PUSH, fails=True, v=V11)
    assert f"{V11}'s QG1 gate is not cleared ({gate} is Pending)" in pending["message"]
    gql("mutation($g: String!) { approveGate(gateId: $g, decision: Waived) { summary } }", g=gate)
    unexplained = gql(PUSH, fails=True, v=V11)
    assert "Waived without a reason" in unexplained["message"]
    assert gql("{ mpvalPushRequests { totalCount } }")["mpvalPushRequests"]["totalCount"] == 0
    _upsert(gql, "Gate", gateId="QG1-EH", notes="accepted: drift within bounds")
    pushed = gql(PUSH, v=V11)["requestMpvalPush"]
    assert len(pushed["createdIds"]) == 1


def test_a_gate_policy_override_needs_a_reason_and_is_logged(gql: Any) -> None:
    pushed = gql(PUSH, v=V11, why="hotfix for a grounded aircraft")["requestMpvalPush"]
    assert "GATE POLICY OVERRIDDEN" in pushed["summary"]
    assert "hotfix for a grounded aircraft" in pushed["summary"]
    logged = pushed["log"]["parameters"]
    logged = json.loads(logged) if isinstance(logged, str) else logged
    assert logged["gate_override_reason"] == "hotfix for a grounded aircraft"
    blank = gql(PUSH, fails=True, v=V11, why="  ")
    assert "has no QG1 gate" in blank["message"]


def test_a_production_deployment_needs_both_gates(gql: Any) -> None:
    deploy = (
        "mutation($v: String!, $env: Environment!) { recordDeployment(targetId: $v, "
        'environment: $env, endpointUrl: "https://x") { createdIds } }'
    )
    assert gql(deploy, v=V11, env="TEST")["recordDeployment"]["createdIds"]
    _gate(gql, "QG1-EH", "QG1", status="Decided", decision="Passed")
    refused = gql(deploy, fails=True, v=V11, env="PROD")
    assert refused["message"].endswith(f"{V11} has no QG2 gate")
    _gate(gql, "QG2-EH", "QG2", status="Decided", decision="Passed")
    assert gql(deploy, v=V11, env="PROD")["recordDeployment"]["createdIds"]
