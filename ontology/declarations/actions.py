"""Action types: every write a user triggers (Foundry's model).

The API executes them with validation and one ActionLog entry in the same
transaction; the states they may move objects through are the lifecycles of
lifecycles.py, which every write path shares.
"""

from __future__ import annotations

from ..dsl import action, choice, day, integer, json_map, long_integer, string, strings, text
from ..dsl import timestamp as ts
from . import enums as E

ACTIONS = (
    action(
        "completeTask",
        "Mark an integration task done.",
        [
            string("task_id", "Global id of the task.", required=True),
            day("completed_on", "Completion date (today when omitted)."),
            text("note", "Why or how it was completed."),
        ],
        ("IntegrationTask",),
    ),
    action(
        "approveGate",
        "Pass (or waive) a gate.",
        [
            string("gate_id", "Global id of the gate.", required=True),
            choice("decision", E.GateDecision, "Passed or Waived.", default="Passed"),
            string("approver", "Who approves (defaults to the actor)."),
            text("reason", "Reasoning and conditions."),
        ],
        ("Gate", "ModelVersion"),
    ),
    action(
        "rejectGate",
        "Fail a gate.",
        [
            string("gate_id", "Global id of the gate.", required=True),
            string("approver", "Who rejects (defaults to the actor)."),
            text("reason", "Why it failed.", required=True),
        ],
        ("Gate", "ModelVersion"),
    ),
    action(
        "flagRisk",
        "Raise a risk or issue on a case, model, version or deployment.",
        [
            string("target_id", "Global id of what the risk is about.", required=True),
            text("title", "Short statement.", required=True),
            choice("severity", E.Severity, "Severity.", required=True),
            string("category", "Category."),
            text("description", "Details."),
            text("mitigation_plan", "Mitigation."),
            string("owner_id", "Global id of the owning person."),
        ],
        ("RiskIssue", "IntegrationCase", "ModelWork", "ModelVersion", "Deployment"),
    ),
    action(
        "uploadEvidence",
        "Attach an evidence artifact to a case, task or gate.",
        [
            string("target_id", "Global id of the case, task or gate.", required=True),
            text("name", "File name.", required=True),
            string("uri", "Where the file is.", required=True),
            choice("type", E.ArtifactType, "Kind.", default="evidence"),
            string("checksum", "Checksum."),
            text("note", "Note."),
        ],
        ("Artifact", "IntegrationCase", "IntegrationTask", "Gate"),
    ),
    action(
        "requestValidation",
        "Ask for a model version to be validated.",
        [
            string("model_version_id", "Global id of the version.", required=True),
            string("validator", "Who should validate."),
            string("type", "Kind of validation."),
            string("case_id", "Global id of the case, if any."),
        ],
        ("ValidationReport", "ModelVersion", "IntegrationCase"),
    ),
    action(
        "requestMpvalPush",
        "Request a push of a model version to MPVAL.",
        [
            string("model_version_id", "Global id of the version.", required=True),
            string("case_id", "Global id of the case, if any."),
            string("model_path", "Model package path."),
            string("config_path", "SPM static configuration path."),
            strings("library_zips", "Library zips."),
            string("moca_version", "MOCA version."),
            text("notes", "Notes."),
            text(
                "gate_override_reason",
                "Admin override: push although the gate policy is not met; the reason is "
                "logged with the action.",
            ),
        ],
        ("MpvalPushRequest", "ModelVersion", "IntegrationCase"),
    ),
    action(
        "recordPushOutcome",
        "Move a push request along Requested -> Running -> outcome.",
        [
            string("push_id", "Global id of the push request.", required=True),
            choice("status", E.PushStatus, "New status.", required=True),
            text("notes", "Notes, e.g. failure reason."),
            string("endpoint_url", "Endpoint of the MPVAL deployment, on success."),
        ],
        ("MpvalPushRequest", "Deployment"),
    ),
    action(
        "registerModel",
        "Register a model (ModelWork).",
        [
            string("model_key", "Key; derived from family/ATA/name when omitted."),
            text("name", "Model name.", required=True),
            choice("ac_family", E.AircraftFamily, "Aircraft family."),
            string("ata_chapter", "ATA chapter."),
            string("partner", "Partner name."),
            string("company", "Customer (Catapult)."),
            string("base_model", "Base architecture."),
            string("parameter_count", "Size as the source writes it (7B, 70B)."),
            long_integer("parameters", "Number of parameters (derived from 7B when omitted)."),
            string("storage_path", "Checkpoint path."),
            strings("tags", "Tags."),
            text("description", "Description."),
        ],
        ("ModelWork", "Partner"),
    ),
    action(
        "registerModelVersion",
        "Register a version of a model.",
        [
            string("model_id", "Global id of the model.", required=True),
            string("version", "Version string.", required=True),
            text("description", "What changed."),
            string("code_ref", "Code reference."),
            strings("libraries", "Libraries."),
        ],
        ("ModelVersion", "ModelWork"),
    ),
    action(
        "setModelVersionStatus",
        "Move a model version through its lifecycle.",
        [
            string("model_version_id", "Global id of the version.", required=True),
            choice("status", E.ModelVersionStatus, "New status.", required=True),
            text("reason", "Why."),
        ],
        ("ModelVersion",),
    ),
    action(
        "createRelease",
        "Create a release (image) of a model or version.",
        [
            string("model_id", "Global id of the model.", required=True),
            string("version", "Semantic version.", required=True),
            string("quantization", "Quantization.", required=True),
            string("model_version_id", "Global id of the packaged version."),
            string("tag", "Image tag (v{version}-{quantization} when omitted)."),
            string("digest", "Image digest."),
            string("platform", "Platform."),
            long_integer("size_bytes", "Size in bytes."),
            text("notes", "Release notes."),
        ],
        ("Release", "ModelWork", "ModelVersion"),
    ),
    action(
        "recordArtifact",
        "Record an artifact baked into a release or made by a run.",
        [
            string("owner_id", "Global id of the release, version or experiment.", required=True),
            text("name", "Name.", required=True),
            choice("type", E.ArtifactType, "Kind.", required=True),
            string("uri", "Path or URI."),
            string("checksum", "Checksum."),
            long_integer("size_bytes", "Size in bytes."),
            string("platform", "Platform."),
            string("python_version", "Python version."),
        ],
        ("Artifact", "Release", "ModelVersion", "Experiment"),
    ),
    action(
        "recordDeployment",
        "Record a deployment of a release or version.",
        [
            string("target_id", "Global id of the release or model version.", required=True),
            choice("environment", E.Environment, "Environment.", required=True),
            string("endpoint_url", "Endpoint URL.", required=True),
            string("cluster", "Cluster."),
            string("namespace", "Namespace."),
            integer("replicas", "Replicas."),
            choice("status", E.DeploymentStatus, "Initial status.", default="deploying"),
            text("rollback_plan", "Rollback plan."),
            json_map("metadata", "Further key/values."),
            text(
                "gate_override_reason",
                "Admin override: deploy to production although the gate policy is not met; "
                "the reason is logged with the action.",
            ),
        ],
        ("Deployment", "Release", "ModelVersion"),
    ),
    action(
        "updateDeploymentStatus",
        "Move a deployment: deploying -> success/failed/terminated.",
        [
            string("deployment_id", "Global id of the deployment.", required=True),
            choice("status", E.DeploymentStatus, "New status.", required=True),
            integer("replicas", "Replicas now."),
            text("reason", "Why."),
        ],
        ("Deployment",),
    ),
    action(
        "addStatusUpdate",
        "Add a status update to a tracker action.",
        [
            string("action_id", "Global id of the tracker action.", required=True),
            text("body", "The note.", required=True),
            choice("status", E.ActionStatus, "New status of the action, if it changes."),
        ],
        ("StatusUpdate", "Action"),
    ),
    action(
        "upsertObject",
        "Admin: create or update any object.",
        [
            string("object_type", "Object type (name or API name).", required=True),
            json_map(
                "properties",
                "Properties by their GraphQL (camelCase) names, e.g. sizeBytes; the "
                "ontology's snake_case names (size_bytes) are accepted too.",
                required=True,
            ),
        ],
        (),
        admin=True,
    ),
    action(
        "linkObjects",
        "Admin: link two objects.",
        [
            string("link_type", "Link type API name.", required=True),
            string("source_id", "Global id of the source.", required=True),
            string("target_id", "Global id of the target.", required=True),
            json_map("properties", "Link properties."),
        ],
        (),
        admin=True,
    ),
    action(
        "unlinkObjects",
        "Admin: remove a link.",
        [
            string("link_type", "Link type API name.", required=True),
            string("source_id", "Global id of the source.", required=True),
            string("target_id", "Global id of the target.", required=True),
        ],
        (),
        admin=True,
    ),
    action(
        "deleteObject",
        "Admin: delete an object (soft unless hard is asked).",
        [
            string("object_id", "Global id.", required=True),
            text("reason", "Why."),
            ts("hard_delete_confirmed_at", "Set to delete for good (links removed too)."),
        ],
        (),
        admin=True,
    ),
    action(
        "restoreObject",
        "Admin: undo a soft delete.",
        [
            string("object_id", "Global id.", required=True),
        ],
        (),
        admin=True,
    ),
)

ALL = ACTIONS
