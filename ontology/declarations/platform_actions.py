"""Action types of the ML platform (seeds 002 and 003) and their state machines.

Training jobs are checked against the GPU options of their environment;
alerts move open -> acknowledged -> resolved and notify; serving settings are
checked as a whole (floor <= replicas <= ceiling).
"""

from __future__ import annotations

from ..dsl import action, boolean, choice, integer, json_map, lifecycle, string, text
from . import enums as E

ACTIONS = (
    action(
        "setGpuTypeOption",
        "Offer (or withdraw) a GPU type for training in one environment.",
        [
            choice("environment", E.Environment, "Environment.", required=True),
            string("gpu_type", "GPU type id (any case; stored lower case).", required=True),
            text("label", "What the UI shows.", required=True),
            boolean("enabled", "Whether requests may use it.", default=True),
            integer("max_gpus", "Most GPUs one request may ask for.", minimum=1),
            integer("priority", "Order in lists.", minimum=0),
        ],
        ("GpuTypeOption",),
        admin=True,
    ),
    action(
        "requestTrainingJob",
        "Request a training job; its GPU type must be an enabled option of its environment.",
        [
            text("name", "Job name.", required=True),
            choice("environment", E.Environment, "Environment.", required=True),
            boolean("use_gpu", "Whether the job needs GPUs.", required=True),
            string("gpu_type", "GPU type (required with use_gpu, absent without)."),
            integer("gpus", "GPUs wanted (default 1 with use_gpu).", minimum=1),
            string("model_id", "Global id of the model it trains."),
            json_map("parameters", "Hyper-parameters and configuration."),
        ],
        ("TrainingJobRequest", "GpuTypeOption", "ModelWork"),
    ),
    action(
        "setTrainingJobStatus",
        "Move a training job: submitted -> running -> completed/failed, or cancelled.",
        [
            string("request_id", "Global id of the training job request.", required=True),
            choice("status", E.TrainingJobStatus, "New status.", required=True),
            string("experiment_id", "Global id of the tracked run it produced."),
            text("reason", "Why."),
        ],
        ("TrainingJobRequest", "Experiment"),
    ),
    action(
        "configureServing",
        "Set how a deployment is served: framework resource, replicas and autoscaling.",
        [
            string("deployment_id", "Global id of the deployment.", required=True),
            string("serving_framework", "kserve, ray_serve, ...", required=True),
            string("framework_resource_id", "Resource name in the framework.", required=True),
            string("framework_namespace", "Kubernetes namespace."),
            integer("min_replicas", "Autoscaling floor.", minimum=0),
            integer("max_replicas", "Autoscaling ceiling.", minimum=0),
            integer("replica_count", "Replicas now.", minimum=0),
            json_map("autoscaling_metrics", "Autoscaling thresholds."),
            json_map("resource_requests", "Resource requests."),
            json_map("resource_limits", "Resource limits."),
            choice("status", E.ServingStatus, "Health reported by the framework."),
        ],
        ("ServingDeployment", "Deployment"),
    ),
    action(
        "setServingStatus",
        "Record the health the serving framework reports: deploying, healthy, degraded, failed.",
        [
            string("serving_id", "Global id of the serving deployment.", required=True),
            choice("status", E.ServingStatus, "New status.", required=True),
            integer("replica_count", "Replicas now.", minimum=0),
            json_map("framework_status", "Raw status from the framework."),
        ],
        ("ServingDeployment",),
    ),
    action(
        "recordRegistrySync",
        "Record a model's copy in a registry and the result of syncing it.",
        [
            string("model_id", "Global id of the model.", required=True),
            string("registry_type", "huggingface, modelscope, ...", required=True),
            string("registry_model_id", "Model id in the registry.", required=True),
            string("registry_repo_url", "Repository URL."),
            string("registry_version", "Version or tag."),
            boolean("imported", "Imported from (true) or exported to (false) the registry."),
            choice("sync_status", E.RegistrySyncStatus, "Sync result.", required=True),
            json_map("registry_metadata", "Model card, license, ..."),
        ],
        ("RegistryModel", "ModelWork"),
    ),
    action(
        "setIntegrationConfig",
        "Configure an open-source tool integration for one environment.",
        [
            choice("environment", E.Environment, "Environment.", required=True),
            string("tool_name", "Tool id, e.g. mlflow.", required=True),
            choice("integration_type", E.IntegrationType, "Category.", required=True),
            boolean("enabled", "Whether it is on.", default=True),
            json_map("config", "Tool settings (never secrets)."),
            json_map("feature_flags", "Rollout flags."),
        ],
        ("IntegrationConfig",),
        admin=True,
    ),
    action(
        "raiseAlert",
        "Raise a monitoring alert on a deployment; it notifies.",
        [
            string("deployment_id", "Global id of the deployment.", required=True),
            text("title", "What happened.", required=True),
            choice("severity", E.Severity, "Severity.", required=True),
            text("message", "Details."),
            string("recipient", "Who to notify (e-mail or team)."),
        ],
        ("Alert", "Deployment", "Notification"),
    ),
    action(
        "acknowledgeAlert",
        "Take an open alert on.",
        [
            string("alert_id", "Global id of the alert.", required=True),
            text("note", "What is being done."),
        ],
        ("Alert", "Notification"),
    ),
    action(
        "resolveAlert",
        "Resolve an alert (open or acknowledged).",
        [
            string("alert_id", "Global id of the alert.", required=True),
            text("resolution", "How it was resolved.", required=True),
        ],
        ("Alert", "Notification"),
    ),
)

LIFECYCLES = (
    lifecycle(
        "TrainingJobRequest",
        "status",
        """
        submitted -> running cancelled
        running   -> completed failed cancelled
        """,
        "A training job request (seed 002): submitted, running, then an outcome.",
        groups={"OPEN": "submitted running", "CLOSED": "completed failed cancelled"},
    ),
    lifecycle(
        "ServingDeployment",
        "status",
        """
        deploying -> healthy degraded failed
        healthy   -> degraded failed deploying
        degraded  -> healthy failed deploying
        failed    -> deploying
        """,
        "How a serving framework reports a deployment (seed 002).",
    ),
    lifecycle(
        "RegistryModel",
        "sync_status",
        """
        never_synced -> synced
        synced       -> out_of_sync
        out_of_sync  -> synced
        """,
        "A registry copy's sync state (seed 002).",
    ),
    lifecycle(
        "Project",
        "status",
        """
        active   -> archived
        archived -> active
        """,
        "A project is worked on or archived (and may be taken up again).",
    ),
    lifecycle(
        "Notification",
        "status",
        """
        unread -> read
        """,
        "Whether the recipient has seen a notification.",
    ),
)

ALL = ACTIONS
