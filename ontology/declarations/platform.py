"""The ML platform around the models: compute, serving, registries, tenants, notices.

Seed 002 (open-source integrations): GPU type options and the training job
requests validated against them, serving deployments with their autoscaling
settings, registry model sync and tool configuration. Seed 003 (MLOps
schema): organisations, users, projects and notifications.
"""

from __future__ import annotations

from ..dsl import boolean, choice, integer, json_map, obj, string, text
from ..dsl import timestamp as ts
from . import enums as E

GpuTypeOption = obj(
    "GpuTypeOption",
    pk="option_id",
    title="label",
    area="platform",
    prov="Entity",
    doc="A GPU type offered for training in one environment; requests are checked against it.",
    props=[
        string(
            "option_id",
            "Key: '<environment>:<gpu type>' (one option per type and env).",
            required=True,
        ),
        string(
            "gpu_type",
            "Canonical GPU type id, lower case, e.g. nvidia-a100.",
            required=True,
            pattern=r"^[a-z0-9][a-z0-9._-]*$",
        ),
        text("label", "What the UI shows, e.g. NVIDIA A100 80GB.", required=True),
        choice(
            "environment", E.Environment, "Environment the option is offered in.", required=True
        ),
        boolean("enabled", "Whether requests may use it now.", default=True),
        integer("max_gpus", "Most GPUs of this type one request may ask for.", minimum=1),
        integer("priority", "Order in lists (lower first).", minimum=0),
        ts("updated_at", "When an admin last changed the option."),
    ],
)

TrainingJobRequest = obj(
    "TrainingJobRequest",
    pk="request_id",
    title="name",
    area="platform",
    prov="Activity",
    doc="A request to train a model on platform compute, checked against the GPU options.",
    props=[
        string("request_id", "Key of the request.", required=True),
        text("name", "Job name.", required=True),
        choice("environment", E.Environment, "Environment the job runs in.", required=True),
        boolean("use_gpu", "Whether the job needs GPUs.", required=True),
        string("gpu_type", "GPU type (canonical option id); absent for a CPU job."),
        integer("gpus", "GPUs requested.", minimum=0),
        choice("status", E.TrainingJobStatus, "Status.", required=True, default="submitted"),
        json_map("parameters", "Hyper-parameters and job configuration."),
        ts("requested_at", "When it was requested."),
        string("requested_by", "Who requested it."),
        ts("finished_at", "When it ended."),
    ],
)

ServingDeployment = obj(
    "ServingDeployment",
    pk="serving_id",
    title="framework_resource_id",
    area="platform",
    prov="Entity",
    doc="How a deployment is served: the framework resource and its autoscaling settings.",
    props=[
        string("serving_id", "Key: '<framework>:<namespace>/<resource id>'.", required=True),
        string("serving_framework", "kserve, ray_serve, ...", required=True),
        string(
            "framework_resource_id", "InferenceService or Ray Serve deployment name.", required=True
        ),
        string("framework_namespace", "Kubernetes namespace of the resource."),
        integer("replica_count", "Replicas now.", minimum=0),
        integer("min_replicas", "Autoscaling floor.", minimum=0),
        integer("max_replicas", "Autoscaling ceiling.", minimum=0),
        json_map("autoscaling_metrics", "Autoscaling thresholds (CPU, memory, GPU, rps)."),
        json_map("resource_requests", "Resource requests (CPU, memory, GPU)."),
        json_map("resource_limits", "Resource limits (CPU, memory, GPU)."),
        json_map("framework_status", "Raw status from the framework's API."),
        choice("status", E.ServingStatus, "Health.", required=True, default="deploying"),
    ],
)

RegistryModel = obj(
    "RegistryModel",
    pk="registry_model_key",
    title="registry_model_id",
    area="platform",
    prov="Entity",
    doc="A model's copy in an open-source registry (Hugging Face, ModelScope) and its sync state.",
    props=[
        string("registry_model_key", "Key: '<registry type>:<registry model id>'.", required=True),
        string("registry_type", "huggingface, modelscope, ...", required=True),
        string("registry_model_id", "Model id in the registry, e.g. org/name.", required=True),
        string("registry_repo_url", "Repository URL."),
        string("registry_version", "Version or tag in the registry."),
        boolean("imported", "True when imported from the registry, false when exported to it."),
        ts("imported_at", "When it was imported."),
        ts("exported_at", "When it was exported."),
        json_map("registry_metadata", "Model card, license, usage examples."),
        choice(
            "sync_status",
            E.RegistrySyncStatus,
            "Sync state.",
            required=True,
            default="never_synced",
        ),
        ts("last_sync_check", "When the registry was last checked."),
    ],
)

IntegrationConfig = obj(
    "IntegrationConfig",
    pk="config_id",
    title="tool_name",
    area="platform",
    prov="Entity",
    doc="Configuration of one open-source tool integration in one environment.",
    props=[
        string("config_id", "Key: '<environment>:<tool name>'.", required=True),
        choice("integration_type", E.IntegrationType, "Category.", required=True),
        string("tool_name", "mlflow, kserve, argo_workflows, huggingface, dvc, ...", required=True),
        choice("environment", E.Environment, "Environment.", required=True),
        boolean("enabled", "Whether the integration is on.", default=True),
        json_map("config", "Tool settings (endpoints, limits; never secrets)."),
        json_map("feature_flags", "Flags for gradual rollout."),
    ],
)

Organisation = obj(
    "Organisation",
    pk="org_id",
    title="name",
    area="platform",
    prov="Agent",
    doc="A tenant of the ML platform: it owns projects, users are its members.",
    props=[
        string("org_id", "Key: slug of the name.", required=True),
        text("name", "Organisation name.", required=True),
        string("domain", "E-mail domain of its users."),
    ],
)

User = obj(
    "User",
    pk="email",
    title="name",
    area="platform",
    prov="Agent",
    doc="An account on the ML platform (seed 003); the person behind it is a Person.",
    props=[
        string("email", "Login e-mail, lower case.", required=True),
        text("name", "Display name.", required=True),
        choice("role", E.UserRole, "Platform role."),
        boolean("active", "Whether the account may log in.", default=True),
        ts("last_login_at", "Last login."),
    ],
)

Project = obj(
    "Project",
    pk="project_id",
    title="name",
    area="platform",
    prov="Entity",
    doc="A project of an organisation: it holds models and their deployments.",
    props=[
        string("project_id", "Key: '<org id>/<slug of the name>'.", required=True),
        text("name", "Project name.", required=True),
        text("description", "What the project is for."),
        choice("status", E.ProjectStatus, "Status.", default="active"),
    ],
)

Notification = obj(
    "Notification",
    pk="notification_id",
    title="title",
    area="platform",
    prov="Entity",
    doc="A notice an alert or an action sent to people.",
    props=[
        string("notification_id", "Key of the notification.", required=True),
        text("title", "Headline.", required=True),
        text("message", "Details."),
        choice("channel", E.NotificationChannel, "Delivery channel.", default="in_app"),
        choice("severity", E.Severity, "How urgent it is."),
        choice("status", E.NotificationStatus, "Seen or not.", required=True, default="unread"),
        string("recipient", "Who it is for (e-mail or team)."),
        ts("sent_at", "When it was sent."),
    ],
)

ALL = (
    GpuTypeOption,
    TrainingJobRequest,
    ServingDeployment,
    RegistryModel,
    IntegrationConfig,
    Organisation,
    User,
    Project,
    Notification,
)
