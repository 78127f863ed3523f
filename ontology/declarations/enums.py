"""Normalised vocabularies (seed 001 section 2.2 and its JSON schemas), declared once.

Synonyms are the spellings the customer's trackers and tools actually use;
keys are lower-case with runs of spaces, '_' and '-' folded to one space.
"""

from __future__ import annotations

from ..dsl import enum

AircraftFamily = enum(
    "AircraftFamily", "A220 A300 A320 A330 A350", "Airbus aircraft family a model is built for."
)
ProcessGate = enum(
    "ProcessGate", "QG0 QG1 QG2 QG3 QG4", "Quality gate of the DAIA integration process."
)
GateType = enum(
    "GateType",
    "QG0 QG1 QG2 QG3 QG4 Custom",
    "Kind of gate: a process quality gate or a custom checkpoint.",
)
GateStatus = enum(
    "GateStatus",
    "Pending InReview Decided",
    "Where a gate's decision stands.",
    {"in review": "InReview", "review": "InReview", "open": "Pending"},
)
GateDecision = enum(
    "GateDecision",
    "Passed Failed Waived",
    "The decision taken at a gate.",
    docs={
        "Passed": "The gate's criteria are met.",
        "Failed": "The criteria are not met; the version does not advance.",
        "Waived": "Let through without meeting the criteria; the decision notes say why.",
    },
    synonyms={
        "approved": "Passed",
        "pass": "Passed",
        "rejected": "Failed",
        "fail": "Failed",
        "waive": "Waived",
    },
)
ActionStatus = enum(
    "ActionStatus",
    "Proposed Planned InProgress WaitingResponse Blocked Completed Skipped Canceled",
    "Status of a tracker action.",
    {
        "pending": "WaitingResponse",
        "pending reply": "WaitingResponse",
        "waiting response": "WaitingResponse",
        "waiting": "WaitingResponse",
        "waiting for response": "WaitingResponse",
        "on hold": "WaitingResponse",
        "backlog": "Planned",
        "todo": "Planned",
        "to do": "Planned",
        "open": "Planned",
        "not started": "Planned",
        "new": "Planned",
        "in progress": "InProgress",
        "ongoing": "InProgress",
        "wip": "InProgress",
        "started": "InProgress",
        "doing": "InProgress",
        "done": "Completed",
        "complete": "Completed",
        "closed": "Completed",
        "finished": "Completed",
        "resolved": "Completed",
        "cancelled": "Canceled",
        "cancel": "Canceled",
        "dropped": "Canceled",
        "skip": "Skipped",
        "proposal": "Proposed",
        "idea": "Proposed",
    },
    docs={
        "Proposed": "Suggested; nobody has committed to it yet.",
        "Planned": "Agreed and scheduled, not started.",
        "InProgress": "Being worked on.",
        "WaitingResponse": "Waiting for an answer from someone else (a partner, a team).",
        "Blocked": "Cannot go on until something else is resolved.",
        "Completed": "Done; the action's completed flag and completion date are set.",
        "Skipped": "Decided not to do, without cancelling the need.",
        "Canceled": "No longer needed.",
    },
)
OPEN_ACTION_STATUSES = ("Proposed", "Planned", "InProgress", "WaitingResponse", "Blocked")
Priority = enum(
    "Priority",
    "Low Medium High Critical",
    "How urgent a piece of work is.",
    {
        "urgent": "Critical",
        "highest": "Critical",
        "blocker": "Critical",
        "med": "Medium",
        "normal": "Medium",
        "medium high": "High",
        "lowest": "Low",
        "minor": "Low",
        "major": "High",
    },
)
Severity = enum(
    "Severity",
    "Low Medium High Critical",
    "How bad a risk, issue or alert is.",
    {"minor": "Low", "major": "High", "blocker": "Critical", "med": "Medium"},
)
ModelVersionStatus = enum(
    "ModelVersionStatus",
    "Draft ReadyForValidation Validating Approved Rejected Deprecated",
    "Lifecycle of a model version through validation.",
    {
        "ready": "ReadyForValidation",
        "in validation": "Validating",
        "invalidation": "Validating",
        "validation": "Validating",
        "none": "Draft",
        "staging": "Validating",
        "production": "Approved",
        "archived": "Deprecated",
    },
)
ExperimentStatus = enum(
    "ExperimentStatus",
    "running completed failed killed",
    "Status of one tracked run.",
    {"finished": "completed", "scheduled": "running", "done": "completed"},
)
ArtifactType = enum(
    "ArtifactType",
    "weights model notebook report log wheel binary sdist tarball script evidence dataset "
    "config image other",
    "What kind of file or package an artifact is.",
    {"whl": "wheel", "checkpoint": "weights", "pdf": "report", "zip": "tarball"},
)
ValidationOutcome = enum(
    "ValidationOutcome",
    "Running Passed Failed Blocked",
    "Outcome of a validation run.",
    {"pass": "Passed", "fail": "Failed", "in progress": "Running"},
)
Environment = enum(
    "Environment",
    "DEV TEST STAGE MPVAL PROD",
    "Deployment environment, MPVAL being pre-production.",
    {
        "development": "DEV",
        "dev": "DEV",
        "test": "TEST",
        "testing": "TEST",
        "staging": "STAGE",
        "stg": "STAGE",
        "stage": "STAGE",
        "preprod": "MPVAL",
        "pre production": "MPVAL",
        "mp val": "MPVAL",
        "production": "PROD",
        "prod": "PROD",
    },
)
DeploymentStatus = enum(
    "DeploymentStatus",
    "deploying success failed terminated",
    "Status of a live deployment.",
    {
        "healthy": "success",
        "succeeded": "success",
        "running": "success",
        "degraded": "success",
        "error": "failed",
        "stopped": "terminated",
    },
)
PushStatus = enum(
    "PushStatus",
    "Requested Running Succeeded Failed Cancelled",
    "Status of a push to MPVAL (pre-production).",
    {"canceled": "Cancelled", "success": "Succeeded", "done": "Succeeded"},
)
CaseStatus = enum(
    "CaseStatus",
    "NotStarted InProgress Blocked Complete Cancelled",
    "Status of an integration case.",
    {"open": "NotStarted", "done": "Complete", "completed": "Complete", "canceled": "Cancelled"},
)
CasePhase = enum(
    "CasePhase",
    "Prep Validation Deployment Closed OnHold",
    "Phase of an integration case.",
    {"preparation": "Prep", "hold": "OnHold"},
)
TaskStatus = enum(
    "TaskStatus",
    "NotStarted InProgress Blocked Done Deferred",
    "Status of an integration task (seed 001 reconciled: Open = NotStarted).",
    {
        "open": "NotStarted",
        "skipped": "Deferred",
        "completed": "Done",
        "complete": "Done",
        "todo": "NotStarted",
    },
)
RiskStatus = enum("RiskStatus", "Open Mitigating Closed Deferred", "Status of a risk or issue.")
PartnerStatus = enum("PartnerStatus", "Active Inactive Suspended", "Standing of a partner.")
ReleaseStatus = enum(
    "ReleaseStatus",
    "active deprecated",
    "Whether a release may be deployed.",
    docs={"active": "May be deployed.", "deprecated": "Kept for history; never deployed again."},
)
PipelineStatus = enum(
    "PipelineStatus",
    "pending running succeeded failed cancelled retrying",
    "Status of an orchestrated pipeline run.",
    {"canceled": "cancelled", "success": "succeeded"},
)
DatasetVersionStatus = enum(
    "DatasetVersionStatus",
    "created verified active deprecated",
    "Lifecycle of a dataset version (seed 002).",
    docs={
        "created": "Recorded; its content is not verified yet.",
        "verified": "Its checksum matched the stored files.",
        "active": "The version models are trained and evaluated on.",
        "deprecated": "Kept for lineage; not to be used for new work.",
    },
)
AlertStatus = enum(
    "AlertStatus",
    "open acknowledged resolved",
    "Status of a monitoring alert.",
    docs={
        "open": "Raised; nobody has looked at it yet.",
        "acknowledged": "Someone is on it.",
        "resolved": "The cause is gone; resolved_at says when.",
    },
)
PolicyType = enum(
    "PolicyType", "security export data privacy quality", "What a policy (control) governs."
)
ActionOutcome = enum("ActionOutcome", "succeeded failed", "How an executed action ended.")

ALL = (
    AircraftFamily,
    ProcessGate,
    GateType,
    GateStatus,
    GateDecision,
    ActionStatus,
    Priority,
    Severity,
    ModelVersionStatus,
    ExperimentStatus,
    ArtifactType,
    ValidationOutcome,
    Environment,
    DeploymentStatus,
    PushStatus,
    CaseStatus,
    CasePhase,
    TaskStatus,
    RiskStatus,
    PartnerStatus,
    ReleaseStatus,
    PipelineStatus,
    DatasetVersionStatus,
    AlertStatus,
    PolicyType,
    ActionOutcome,
)
