"""ML platform actions: GPU options, training job requests, serving, registries, tool config.

A training job request is refused, naming the problem, when it asks for a GPU
type the environment does not offer (or has disabled) or for more GPUs than
the option allows; GPU type ids match without regard to case and are stored
in their canonical (lower-case) spelling, as seed 002 asks.
"""

from __future__ import annotations

from typing import Any

from opencase.errors import ActionError, Problem, ValidationError
from opencase.ontology import ONTOLOGY, ids
from opencase.queries.filters import And, Cmp

from .context import ActionContext
from .log import new_id
from .registry import handles
from .status import set_status

GPU, JOB, MODEL, EXPERIMENT = "GpuTypeOption", "TrainingJobRequest", "ModelWork", "Experiment"
SERVING, DEPLOYMENT, REGISTRY, CONFIG = (
    "ServingDeployment",
    "Deployment",
    "RegistryModel",
    "IntegrationConfig",
)


def gpu_option_key(environment: str, gpu_type: str) -> str:
    """``<environment>:<gpu type>``, the type lower-cased: one option per type and env."""
    return f"{environment}:{gpu_type.strip().lower()}"


@handles("setGpuTypeOption")
def set_gpu_type_option(ctx: ActionContext) -> None:
    p = ctx.params
    gpu_type = p["gpu_type"].strip().lower()
    option_id = ctx.ensure(
        GPU,
        {
            **ctx.carried(GPU),
            "option_id": gpu_option_key(p["environment"], gpu_type),
            "gpu_type": gpu_type,
            "updated_at": ctx.now,
        },
    )
    state = "enabled" if p["enabled"] else "disabled"
    ctx.note(f"GPU option {option_id} {state}")


def _gpu_option(ctx: ActionContext) -> tuple[str, int] | None:
    """The checked option id and GPU count of a GPU job; None for a CPU job."""
    p = ctx.params
    gpu_type, gpus = p.get("gpu_type"), p.get("gpus")
    if not p["use_gpu"]:
        if gpu_type:
            raise ValidationError(
                Problem(
                    "requestTrainingJob: a CPU job (use_gpu false) names no gpu_type", "gpu_type"
                )
            )
        if gpus:
            raise ValidationError(
                Problem("requestTrainingJob: a CPU job (use_gpu false) asks for no GPUs", "gpus")
            )
        return None
    if not gpu_type:
        raise ValidationError(
            Problem("requestTrainingJob: a GPU job (use_gpu true) needs gpu_type", "gpu_type")
        )
    env = p["environment"]
    option_id = ONTOLOGY.object_id(GPU, gpu_option_key(env, gpu_type))
    option = ctx.exists(option_id)
    offered = _enabled_options(ctx, env)
    if option is None or option.deleted_at is not None or not option.properties.get("enabled"):
        listed = ", ".join(offered) or "none"
        raise ActionError(
            f"requestTrainingJob: GPU type {gpu_type!r} is not an enabled option in {env} "
            f"(enabled: {listed})",
            suggestion="pick an enabled GPU type, or ask an admin to enable it (setGpuTypeOption)",
        )
    count = gpus or 1
    most = option.properties.get("max_gpus")
    if most is not None and count > most:
        raise ActionError(
            f"requestTrainingJob: {count} GPUs of {option.properties['gpu_type']} asked, "
            f"the option allows at most {most} in {env}",
            suggestion=f"ask for {most} or fewer",
        )
    return option_id, count


def _enabled_options(ctx: ActionContext, env: str) -> list[str]:
    where = And((Cmp("environment", "eq", env), Cmp("enabled", "eq", True)))
    page = ctx.store.list(GPU, where=where, first=100)
    return sorted(str(o.properties["gpu_type"]) for o in page.items)


@handles("requestTrainingJob")
def request_training_job(ctx: ActionContext) -> None:
    model = ctx.load_optional("model_id", [MODEL])
    checked = _gpu_option(ctx)
    props: dict[str, Any] = {
        **ctx.carried(JOB),
        "request_id": new_id(),
        "requested_at": ctx.now,
        "requested_by": ctx.actor,
    }
    if checked is not None:
        props["gpus"] = checked[1]
        props["gpu_type"] = ctx.params["gpu_type"].strip().lower()
    job_id = ctx.create(JOB, props)
    if checked is not None:
        ctx.connect(job_id, checked[0])
    if model is not None:
        ctx.connect(job_id, model.id)
    what = f"{props['gpus']} x {props['gpu_type']}" if checked else "CPU"
    ctx.note(f"training job {job_id} requested in {ctx.params['environment']} ({what})")


@handles("setTrainingJobStatus")
def set_training_job_status(ctx: ActionContext) -> None:
    experiment = ctx.load_optional("experiment_id", [EXPERIMENT])
    status = ctx.params["status"]
    done = {"finished_at": ctx.now} if status in ("completed", "failed", "cancelled") else {}
    job, _, _ = set_status(ctx, "request_id", **done)
    if experiment is not None:
        ctx.connect(job.id, experiment.id)


@handles("configureServing")
def configure_serving(ctx: ActionContext) -> None:
    deployment = ctx.load("deployment_id", [DEPLOYMENT])
    p = ctx.params
    key = f"{p['serving_framework']}:{p.get('framework_namespace') or 'default'}/"
    key += p["framework_resource_id"]
    object_id = ONTOLOGY.object_id(SERVING, key)
    existing = ctx.exists(object_id)
    merged = {**(existing.properties if existing else {}), **ctx.carried(SERVING)}
    _check_replicas(merged)
    props = {**ctx.carried(SERVING), "serving_id": key}
    if existing is not None and "status" in props:
        ctx.move(existing, props.pop("status"))
    ctx.ensure(SERVING, props)
    ctx.connect(deployment.id, object_id)
    ctx.note(f"{deployment.id} served by {object_id}")


def _check_replicas(props: dict[str, Any]) -> None:
    """Seed 002: max >= min, and the replica count between the two."""
    low, high, now = (
        props.get("min_replicas"),
        props.get("max_replicas"),
        props.get("replica_count"),
    )
    if low is not None and high is not None and high < low:
        raise ValidationError(
            Problem(f"max_replicas ({high}) is below min_replicas ({low})", "max_replicas")
        )
    if now is not None and ((low is not None and now < low) or (high is not None and now > high)):
        raise ValidationError(
            Problem(
                f"replica_count ({now}) is outside min_replicas..max_replicas ({low}..{high})",
                "replica_count",
            )
        )


@handles("setServingStatus")
def set_serving_status(ctx: ActionContext) -> None:
    serving = ctx.load("serving_id", [SERVING])
    count = ctx.params.get("replica_count")
    if count is not None:
        _check_replicas({**serving.properties, "replica_count": count})
    changes = {k: ctx.params[k] for k in ("replica_count", "framework_status") if k in ctx.params}
    set_status(ctx, "serving_id", **changes)


@handles("recordRegistrySync")
def record_registry_sync(ctx: ActionContext) -> None:
    model = ctx.load("model_id", [MODEL])
    p = ctx.params
    key = f"{p['registry_type']}:{p['registry_model_id']}"
    object_id = ONTOLOGY.object_id(REGISTRY, key)
    existing = ctx.exists(object_id)
    props = {**ctx.carried(REGISTRY), "registry_model_key": key, "last_sync_check": ctx.now}
    if p.get("imported") is not None:
        props["imported_at" if p["imported"] else "exported_at"] = ctx.now
    if existing is not None:
        if existing.properties.get("sync_status") == p["sync_status"]:
            props.pop("sync_status")
        else:
            ctx.move(existing, props.pop("sync_status"), prop="sync_status")
    ctx.ensure(REGISTRY, props)
    ctx.connect(model.id, object_id)
    ctx.note(f"{object_id} of {model.id}: {p['sync_status']}")


@handles("setIntegrationConfig")
def set_integration_config(ctx: ActionContext) -> None:
    p = ctx.params
    key = f"{p['environment']}:{ids.slug(p['tool_name'])}"
    config_id = ctx.ensure(CONFIG, {**ctx.carried(CONFIG), "config_id": key})
    ctx.note(f"{config_id} {'enabled' if p['enabled'] else 'disabled'}")
