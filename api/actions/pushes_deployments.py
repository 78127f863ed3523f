"""MPVAL pushes and deployments: requestMpvalPush, recordPushOutcome,
recordDeployment, updateDeploymentStatus.

A push that succeeds creates the MPVAL deployment it produced, with its
endpoint, linked to the push and to the pushed version: the endpoint is the
fact release engineers look for, so a Succeeded outcome must name it.
"""

from __future__ import annotations

from opencase.errors import ActionError, Problem, ValidationError
from opencase.ontology.lifecycle import entry_stamps

from .context import ActionContext
from .log import new_id
from .registry import handles
from .status import set_status

PUSH, DEPLOYMENT, VERSION, RELEASE, CASE = (
    "MpvalPushRequest",
    "Deployment",
    "ModelVersion",
    "Release",
    "IntegrationCase",
)
#: The push outcome that creates a deployment, the environment it lands in and its state.
SUCCEEDED, MPVAL, LIVE = "Succeeded", "MPVAL", "success"
#: A release in this status may not be deployed (ReleaseStatus: "active or deprecated").
DEPRECATED = "deprecated"


@handles("requestMpvalPush")
def request_mpval_push(ctx: ActionContext) -> None:
    version = ctx.load("model_version_id", [VERSION])
    case = ctx.load_optional("case_id", [CASE])
    push_id = ctx.create(
        PUSH,
        {
            **ctx.carried(PUSH),
            "push_id": new_id(),
            "requested_at": ctx.now,
            "requested_by": ctx.actor,
        },
    )
    ctx.connect(push_id, version.id)
    if case is not None:
        ctx.connect(case.id, push_id)
    ctx.note(f"push {push_id} of {version.id} to MPVAL requested")


@handles("recordPushOutcome")
def record_push_outcome(ctx: ActionContext) -> None:
    endpoint = ctx.params.get("endpoint_url")
    succeeded = ctx.params["status"] == SUCCEEDED
    if succeeded and not endpoint:
        raise ValidationError(
            Problem("recordPushOutcome: a Succeeded push needs its MPVAL endpoint", "endpoint_url")
        )
    if endpoint and not succeeded:
        raise ValidationError(
            Problem("recordPushOutcome: only a Succeeded push has an endpoint", "endpoint_url")
        )
    notes = {"notes": ctx.params["notes"]} if ctx.params.get("notes") else {}
    push, _, _ = set_status(ctx, "push_id", **notes)
    if not succeeded:
        return
    deployment_id = ctx.create(
        DEPLOYMENT,
        {
            "deployment_id": new_id(),
            "environment": MPVAL,
            "endpoint_url": endpoint,
            "status": LIVE,
            "deployed_at": ctx.now,
            "deployed_by": ctx.actor,
        },
    )
    ctx.connect(push.id, deployment_id)
    for version in ctx.linked(push.id, VERSION):
        ctx.connect(deployment_id, version.id)
    ctx.note(f"MPVAL deployment {deployment_id} serves {endpoint}")


@handles("recordDeployment")
def record_deployment(ctx: ActionContext) -> None:
    """Deploy a release (and so the version it packages) or a version directly."""
    target = ctx.load_target("target_id", creates=DEPLOYMENT)
    if target.object_type == RELEASE and target.properties.get("status") == DEPRECATED:
        raise ActionError(
            f"recordDeployment: release {target.id} is deprecated and may not be deployed",
            suggestion="deploy an active release",
        )
    status = ctx.params["status"]
    deployment_id = ctx.create(
        DEPLOYMENT,
        {
            **ctx.carried(DEPLOYMENT),
            **entry_stamps(DEPLOYMENT, status, ctx.now),
            "deployment_id": new_id(),
            "deployed_at": ctx.now,
            "deployed_by": ctx.actor,
        },
    )
    ctx.connect(deployment_id, target.id)
    if target.object_type == RELEASE:
        for version in ctx.linked(target.id, VERSION):
            ctx.connect(deployment_id, version.id)
    ctx.note(f"{ctx.params['environment']} deployment {deployment_id} of {target.id} ({status})")


@handles("updateDeploymentStatus")
def update_deployment_status(ctx: ActionContext) -> None:
    replicas = ctx.params.get("replicas")
    set_status(ctx, "deployment_id", **({"replicas": replicas} if replicas is not None else {}))
