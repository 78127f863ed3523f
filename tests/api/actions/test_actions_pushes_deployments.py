"""MPVAL pushes and deployments: requests, outcomes, deployments created, status moves."""

from __future__ import annotations

import pytest
from actionkit import ACTOR, assert_logged, obj, out, run

from opencase.errors import ActionError, ValidationError
from opencase.graph import GraphStore


def _push(store: GraphStore, model: dict[str, str]) -> str:
    outcome = run(
        store,
        "requestMpvalPush",
        model_version_id=model["version"],
        case_id=model["case"],
        model_path="/pkg/hpc.zip",
        library_zips=["a.zip", "b.zip"],
        moca_version="4.2",
    )
    assert_logged(store, outcome)
    (push,) = outcome.created_ids
    return push


def test_request_mpval_push(store: GraphStore, model: dict[str, str]) -> None:
    push = _push(store, model)
    props = obj(store, push).properties
    assert (props["status"], props["requested_by"]) == ("Requested", ACTOR)
    assert props["library_zips"] == ["a.zip", "b.zip"]
    assert props["requested_at"] is not None
    assert out(store, push, "push-request-for-version") == {model["version"]}
    assert out(store, model["case"], "case-has-push-request") == {push}


def test_a_successful_push_creates_the_mpval_deployment(
    store: GraphStore, model: dict[str, str]
) -> None:
    push = _push(store, model)
    run(store, "recordPushOutcome", push_id=push, status="Running")
    assert obj(store, push).properties["completed_at"] is None
    url = "https://mpval.example/hpc"
    outcome = run(store, "recordPushOutcome", push_id=push, status="Succeeded", endpoint_url=url)
    assert obj(store, push).properties["status"] == "Succeeded"
    assert obj(store, push).properties["completed_at"] is not None
    (deployment,) = outcome.created_ids
    dep = obj(store, deployment).properties
    assert (dep["environment"], dep["endpoint_url"], dep["status"]) == ("MPVAL", url, "success")
    assert out(store, push, "push-request-created-deployment") == {deployment}
    assert out(store, deployment, "deployment-deploys-version") == {model["version"]}
    assert set(assert_logged(store, outcome).properties["target_ids"]) == {
        push,
        deployment,
        model["version"],
    }


def test_a_succeeded_push_must_name_its_endpoint(store: GraphStore, model: dict[str, str]) -> None:
    push = _push(store, model)
    run(store, "recordPushOutcome", push_id=push, status="Running")
    with pytest.raises(ValidationError) as err:
        run(store, "recordPushOutcome", push_id=push, status="Succeeded")
    assert err.value.problems[0].field == "endpoint_url"
    with pytest.raises(ValidationError) as err:
        run(store, "recordPushOutcome", push_id=push, status="Failed", endpoint_url="http://x")
    assert err.value.problems[0].field == "endpoint_url"


def test_a_failed_push_keeps_its_notes(store: GraphStore, model: dict[str, str]) -> None:
    push = _push(store, model)
    run(store, "recordPushOutcome", push_id=push, status="Running")
    outcome = run(store, "recordPushOutcome", push_id=push, status="Failed", notes="MOCA crash")
    props = obj(store, push).properties
    assert (props["status"], props["notes"]) == ("Failed", "MOCA crash")
    assert outcome.created_ids == []


def test_a_push_cannot_skip_running(store: GraphStore, model: dict[str, str]) -> None:
    push = _push(store, model)
    with pytest.raises(ActionError, match="from Requested to Succeeded") as err:
        run(store, "recordPushOutcome", push_id=push, status="Succeeded", endpoint_url="http://x")
    assert "allowed from Requested: Running, Cancelled" in err.value.message


def _release(store: GraphStore, model: dict[str, str], **extra: str) -> str:
    outcome = run(
        store,
        "createRelease",
        model_id=model["model"],
        version="1.0.0",
        quantization="fp16",
        model_version_id=model["version"],
        **extra,
    )
    return outcome.created_ids[0]


def test_deploying_a_release_deploys_its_version(store: GraphStore, model: dict[str, str]) -> None:
    release = _release(store, model)
    run(store, "approveGate", gate_id=model["gate"])  # QG2: the version may go to production
    outcome = run(
        store,
        "recordDeployment",
        target_id=release,
        environment="PROD",
        endpoint_url="https://prod/hpc",
        replicas=3,
        metadata={"gpu": "A100"},
    )
    (deployment,) = outcome.created_ids
    props = obj(store, deployment).properties
    assert (props["status"], props["replicas"], props["deployed_by"]) == ("deploying", 3, ACTOR)
    assert props["metadata"] == {"gpu": "A100"}
    assert out(store, deployment, "deployment-of-release") == {release}
    assert out(store, deployment, "deployment-deploys-version") == {model["version"]}
    assert_logged(store, outcome)


def test_deploying_a_version_directly(store: GraphStore, model: dict[str, str]) -> None:
    outcome = run(
        store, "recordDeployment", target_id=model["version"], environment="DEV", endpoint_url="u"
    )
    (deployment,) = outcome.created_ids
    assert out(store, deployment, "deployment-deploys-version") == {model["version"]}
    assert out(store, deployment, "deployment-of-release") == set()


def test_a_deprecated_release_cannot_be_deployed(store: GraphStore, model: dict[str, str]) -> None:
    release = _release(store, model)
    run(
        store,
        "upsertObject",
        object_type="Release",
        properties={
            "release_id": obj(store, release).properties["release_id"],
            "status": "deprecated",
        },
    )
    with pytest.raises(ActionError, match="deprecated"):
        run(store, "recordDeployment", target_id=release, environment="TEST", endpoint_url="u")


def test_terminating_a_deployment_stamps_it(store: GraphStore, model: dict[str, str]) -> None:
    deployment = run(
        store, "recordDeployment", target_id=model["version"], environment="TEST", endpoint_url="u"
    ).created_ids[0]
    run(store, "updateDeploymentStatus", deployment_id=deployment, status="success", replicas=2)
    props = obj(store, deployment).properties
    assert (props["status"], props["replicas"], props["terminated_at"]) == ("success", 2, None)
    outcome = run(
        store, "updateDeploymentStatus", deployment_id=deployment, status="terminated", reason="eol"
    )
    assert obj(store, deployment).properties["terminated_at"] is not None
    assert_logged(store, outcome)
    with pytest.raises(ActionError, match="terminated is final"):
        run(store, "updateDeploymentStatus", deployment_id=deployment, status="deploying")
