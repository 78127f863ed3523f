"""Model lineage: what is built, from which data, by which runs (seeds 000, 002, 004)."""

from __future__ import annotations

from ..dsl import boolean, choice, day, integer, json_map, number, obj, string, strings, text
from ..dsl import timestamp as ts
from . import enums as E

ATA_PATTERN = r"^[0-9]{2}(-[0-9]{2})?$"

ModelWork = obj(
    "ModelWork",
    pk="model_key",
    title="name",
    area="lineage",
    prov="Entity",
    doc="A model or analytic being developed: a DAIA model (aircraft family + ATA + name), "
    "a Catapult model image or an MLflow registered model.",
    props=[
        string(
            "model_key",
            "Deterministic key: UPPER(family):ATA:slug(name) for DAIA models, "
            "the registry name otherwise.",
            required=True,
        ),
        text("name", "Model name as people say it.", required=True),
        text("business_use_case", "What the model is for."),
        text("description", "Longer description."),
        string("status", "Free-text development status."),
        day("created_on", "When work on the model started."),
        choice("ac_family", E.AircraftFamily, "Aircraft family (DAIA models)."),
        string("ata_chapter", "Most specific ATA chapter, e.g. 72 or 28-22.", pattern=ATA_PATTERN),
        choice("process_gate", E.ProcessGate, "Current process quality gate."),
        choice("priority", E.Priority, "Priority of the model's development."),
        day("due_date", "Target date."),
        string("data_source", "Where its input data comes from."),
        string("partner_name", "Partner that provides the model (denormalised)."),
        string(
            "owner_email",
            "Airbus owner's e-mail (denormalised).",
            prov_property="wasAttributedTo",
        ),
        string("company", "Customer the model is built for (Catapult)."),
        string("base_model", "Base architecture, e.g. llama-3 (Catapult)."),
        string("parameter_count", "Model size, e.g. 7B (Catapult)."),
        string("storage_path", "Where the checkpoint files live (S3/Ceph path)."),
        strings("tags", "Free tags such as production or chatbot."),
        string("registry_name", "Registered-model name in MLflow, when synced from it."),
        json_map("metadata", "Further key/values from the source system."),
    ],
)

ModelVersion = obj(
    "ModelVersion",
    pk="model_version_id",
    title="version",
    area="lineage",
    prov="Entity",
    doc="A specific version of a model that goes through validation, gates and deployment.",
    props=[
        string("model_version_id", "Deterministic key: '<model key>@<version>'.", required=True),
        string("version", "Version string or tag, e.g. 1.3.0.", required=True),
        string("model_key", "Key of the model this is a version of."),
        day("created_on", "When the version was created."),
        text("description", "What changed in this version."),
        string("code_ref", "Code repository reference (commit, tag or URL)."),
        choice("status", E.ModelVersionStatus, "Lifecycle status.", default="Draft"),
        strings("libraries", "Libraries the version needs."),
        strings("data_sources", "Data sources the version was built from."),
        text("notes", "Free notes."),
        string("registry", "Registry the version comes from: mlflow, huggingface, ..."),
        string("registry_version", "Version number in the registry (MLflow model version)."),
        string("huggingface_id", "Hugging Face model id, when the version is published there."),
        strings("aliases", "Registry aliases pointing at this version (champion, ...)."),
        string("source_uri", "Where the registry says the version's files are."),
    ],
)

Experiment = obj(
    "Experiment",
    pk="run_key",
    title="run_name",
    area="lineage",
    prov="Activity",
    doc="One tracked training or evaluation run (an MLflow run).",
    props=[
        string("run_key", "Deterministic key: '<tracking system>:<run id>'.", required=True),
        string("tracking_system", "Tracking tool, e.g. mlflow.", required=True),
        string("run_id", "Run id in the tracking system.", required=True),
        string("tracking_uri", "Tracking server or store the run lives in."),
        text("experiment_name", "Experiment the run belongs to."),
        text("run_name", "Human name of the run."),
        json_map("parameters", "Hyper-parameters and configuration."),
        json_map("tags", "Run tags."),
        choice("status", E.ExperimentStatus, "Run status."),
        ts("start_time", "When the run started.", prov_property="startedAtTime"),
        ts("end_time", "When the run ended.", prov_property="endedAtTime"),
        integer("seed", "Random seed, when logged."),
        string("code_ref", "Source commit or script the run executed."),
        string("user", "Who started the run."),
    ],
)

Metric = obj(
    "Metric",
    pk="metric_id",
    title="name",
    area="lineage",
    prov="Entity",
    doc="A KPI value one run produced (latest value, or one step with metric history).",
    props=[
        string(
            "metric_id",
            "Deterministic key: '<run key>|<name>' (+ '|<step>' for history).",
            required=True,
        ),
        string("name", "Metric name, e.g. auc.", required=True),
        number("value", "Metric value.", required=True),
        integer("step", "Training step the value was logged at."),
        ts("timestamp", "When the value was logged."),
        number("threshold", "Acceptance threshold, when one applies."),
        boolean("compliant", "Whether the value meets its threshold."),
    ],
)

Artifact = obj(
    "Artifact",
    pk="artifact_id",
    title="name",
    area="lineage",
    prov="Entity",
    doc="A file or package: weights, report, log, wheel, binary or evidence for a gate.",
    props=[
        string("artifact_id", "Deterministic key of the artifact.", required=True),
        text("name", "File or package name.", required=True),
        choice("type", E.ArtifactType, "Kind of artifact.", default="other"),
        string("uri", "Where the artifact lives (URI or path)."),
        string("checksum", "Checksum, e.g. sha256:..."),
        integer("size_bytes", "Size in bytes."),
        string("platform", "Target platform, e.g. linux_x86_64."),
        string("python_version", "Python version for wheels."),
        text("note", "Free note."),
        ts("created_on", "When the artifact was produced."),
        string("uploaded_by", "Who recorded it.", prov_property="wasAttributedTo"),
    ],
)

Dataset = obj(
    "Dataset",
    pk="dataset_id",
    title="name",
    area="lineage",
    prov="Entity",
    doc="A logical dataset or feature set that feeds models.",
    props=[
        string(
            "dataset_id", "Deterministic key of the dataset (its name or source id).", required=True
        ),
        text(
            "name",
            "Dataset name (for OpenLineage datasets, the name within the namespace).",
            required=True,
        ),
        string(
            "namespace",
            "OpenLineage namespace: where the data lives, e.g. postgres://db:5432 or s3://bucket.",
        ),
        string("source_uri", "Where the data lives as one URI (namespace and name joined)."),
        string("data_source", "Name of the data source (OpenLineage dataSource facet)."),
        json_map("schema", "Column names, types and descriptions, when known."),
        json_map("facets", "Other OpenLineage dataset facets as received."),
        string("source_system", "System the data comes from."),
        string("schema_ref", "Reference to its schema."),
        boolean("pii", "Whether it holds personal data."),
        string("refresh_frequency", "How often it is refreshed (daily, ...)."),
        text("description", "What the data is."),
    ],
)

DatasetVersion = obj(
    "DatasetVersion",
    pk="dataset_version_id",
    title="version_id",
    area="lineage",
    prov="Entity",
    doc="One immutable version of a dataset; versions form a derived-from chain.",
    props=[
        string(
            "dataset_version_id", "Deterministic key: '<dataset id>@<version id>'.", required=True
        ),
        string(
            "version_id", "Version id in the versioning system (digest, commit).", required=True
        ),
        string("dataset_id", "Key of the dataset this is a version of."),
        string("versioning_system", "dvc, lakefs, mlflow, ..."),
        string("version_tag", "Human-readable tag."),
        string("checksum", "Checksum or digest of the content."),
        string("storage_uri", "Where this version is stored."),
        integer("size_bytes", "Total size in bytes."),
        integer("file_count", "Number of files."),
        string("source", "Source the version was read from (MLflow dataset source)."),
        json_map("schema", "Column schema, when known."),
        ts("created_at", "When the version was created."),
        string("created_by", "Who created it.", prov_property="wasAttributedTo"),
    ],
)

ValidationReport = obj(
    "ValidationReport",
    pk="report_id",
    title="name",
    area="lineage",
    prov="Entity",
    doc="A validation run's result and report (seed 001 ValidationResult).",
    props=[
        string("report_id", "Key of the report.", required=True),
        text("name", "Short name of the validation."),
        string("validator", "Who or what validated.", prov_property="wasAttributedTo"),
        ts("date", "When the validation ran."),
        string("type", "Kind of validation (performance, robustness, ...)."),
        choice("outcome", E.ValidationOutcome, "Outcome.", default="Running"),
        text("summary", "Summary of findings."),
        string("report_ref", "Reference to the full report (RID, URI)."),
    ],
)

Gate = obj(
    "Gate",
    pk="gate_id",
    title="name",
    area="lineage",
    prov="Activity",
    doc="A quality or approval gate (QG0..QG4 or custom) that needs a decision.",
    props=[
        string("gate_id", "Key of the gate.", required=True),
        text("name", "Gate name.", required=True),
        choice("type", E.GateType, "QG0..QG4 or Custom."),
        choice("status", E.GateStatus, "Where the decision stands.", default="Pending"),
        choice("decision", E.GateDecision, "The decision, once taken."),
        ts("decision_date", "When it was decided."),
        string("approver", "Who decided (e-mail or name).", prov_property="wasAssociatedWith"),
        text("notes", "Reasoning and conditions."),
    ],
)

WorkflowPipeline = obj(
    "WorkflowPipeline",
    pk="pipeline_id",
    title="pipeline_name",
    area="lineage",
    prov="Activity",
    doc="An orchestrated pipeline run (Argo, Kubeflow, Prefect) producing runs and data.",
    props=[
        string("pipeline_id", "Key: '<orchestration system>:<workflow id>'.", required=True),
        text("pipeline_name", "Pipeline name.", required=True),
        string("orchestration_system", "argo_workflows, kubeflow, prefect, ..."),
        string("workflow_id", "Workflow id in the orchestrator."),
        string("workflow_namespace", "Kubernetes namespace."),
        choice("status", E.PipelineStatus, "Run status."),
        strings("stages", "Stage names in order."),
        string("current_stage", "Stage running now."),
        ts("start_time", "When it started."),
        ts("end_time", "When it ended."),
        integer("retry_count", "Retries so far."),
    ],
)

Tool = obj(
    "Tool",
    pk="tool_id",
    title="name",
    area="lineage",
    prov="Agent",
    doc="A tool used in experiments or validation (ToolUsage).",
    props=[
        string("tool_id", "Key: slug of name and version.", required=True),
        text("name", "Tool name.", required=True),
        string("version", "Tool version."),
        string("access_path", "Where it is accessed (URL, path)."),
    ],
)

ALL = (
    ModelWork,
    ModelVersion,
    Experiment,
    Metric,
    Artifact,
    Dataset,
    DatasetVersion,
    ValidationReport,
    Gate,
    WorkflowPipeline,
    Tool,
)
