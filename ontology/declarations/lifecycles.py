"""Lifecycles: how each status moves, which states the seeds group, what follows a state.

One declaration per governed property. ``moves`` lists, per state, the
states it may move to (a state without a line is final); every write path
(actions, admin upserts, loaders) is held to it by the write planner, so no
executor or loader keeps a table of its own. Groups are the sets of states
people ask for ("open actions", "active deployments"): they become
``statusGroup`` filters and aggregate groups.
"""

from __future__ import annotations

from ..dsl import lifecycle

ACTION = lifecycle(
    "Action",
    "status",
    """
    Proposed        -> Planned InProgress WaitingResponse Blocked Completed Skipped Canceled
    Planned         -> Proposed InProgress WaitingResponse Blocked Completed Skipped Canceled
    InProgress      -> Planned WaitingResponse Blocked Completed Skipped Canceled
    WaitingResponse -> Planned InProgress Blocked Completed Skipped Canceled
    Blocked         -> Planned InProgress WaitingResponse Completed Skipped Canceled
    Completed       -> InProgress
    Skipped         -> Planned InProgress
    Canceled        -> Planned
    """,
    "A tracker action: open until completed, skipped or canceled; a completed "
    "action may be reopened (InProgress), never sent back to Proposed.",
    groups={
        "OPEN": "Proposed Planned InProgress WaitingResponse Blocked",
        "CLOSED": "Completed Skipped Canceled",
    },
    flags={"completed": "Completed"},
    stamps={"completed_on": "Completed"},
)
TASK = lifecycle(
    "IntegrationTask",
    "status",
    """
    NotStarted -> InProgress Done Blocked Deferred
    InProgress -> Done Blocked Deferred
    Blocked    -> InProgress Done Deferred
    Deferred   -> NotStarted InProgress
    """,
    "A step of an integration case; Done is final.",
    groups={"OPEN": "NotStarted InProgress Blocked", "CLOSED": "Done Deferred"},
    stamps={"completed_on": "Done"},
)
CASE = lifecycle(
    "IntegrationCase",
    "status",
    """
    NotStarted -> InProgress Blocked Cancelled
    InProgress -> Blocked Complete Cancelled
    Blocked    -> InProgress Cancelled
    Cancelled  -> NotStarted
    """,
    "An integration case, from submission to MPVAL; Complete is final.",
    groups={"OPEN": "NotStarted InProgress Blocked", "CLOSED": "Complete Cancelled"},
    stamps={"actual_end": "Complete"},
)
GATE = lifecycle(
    "Gate",
    "status",
    """
    Pending  -> InReview Decided
    InReview -> Decided Pending
    """,
    "A quality gate: pending, in review, then decided once and for all.",
    groups={"OPEN": "Pending InReview", "DECIDED": "Decided"},
    stamps={"decision_date": "Decided"},
)
MODEL_VERSION = lifecycle(
    "ModelVersion",
    "status",
    """
    Draft              -> ReadyForValidation Deprecated
    ReadyForValidation -> Validating Draft Deprecated
    Validating         -> Approved Rejected ReadyForValidation
    Approved           -> Deprecated
    Rejected           -> Draft Deprecated
    """,
    "A model version through validation; Deprecated is final.",
    groups={
        "IN_WORK": "Draft ReadyForValidation Validating",
        "APPROVED": "Approved",
        "RETIRED": "Rejected Deprecated",
    },
)
VALIDATION = lifecycle(
    "ValidationReport",
    "outcome",
    """
    Running -> Passed Failed Blocked
    Blocked -> Running Passed Failed
    """,
    "A validation run: running (or blocked) until it passes or fails.",
    groups={"OPEN": "Running Blocked", "DONE": "Passed Failed"},
)
PUSH = lifecycle(
    "MpvalPushRequest",
    "status",
    """
    Requested -> Running Cancelled
    Running   -> Succeeded Failed Cancelled
    """,
    "A push to MPVAL: requested, running, then one final outcome.",
    groups={"OPEN": "Requested Running", "DONE": "Succeeded Failed Cancelled"},
    stamps={"completed_at": "Succeeded Failed Cancelled"},
)
DEPLOYMENT = lifecycle(
    "Deployment",
    "status",
    """
    deploying -> success failed terminated
    success   -> terminated failed
    failed    -> deploying terminated
    """,
    "A deployment: deploying, then serving or failed; terminated is final.",
    groups={"ACTIVE": "deploying success", "INACTIVE": "failed terminated"},
    stamps={"terminated_at": "terminated"},
)
RELEASE = lifecycle(
    "Release",
    "status",
    """
    active -> deprecated
    """,
    "A release: active until deprecated; a deprecated release is never deployed.",
    groups={"DEPLOYABLE": "active", "RETIRED": "deprecated"},
)
EXPERIMENT = lifecycle(
    "Experiment",
    "status",
    """
    running -> completed failed killed
    """,
    "A tracked run: running until completed, failed or killed.",
    groups={"ACTIVE": "running", "FINISHED": "completed failed killed"},
)
PIPELINE = lifecycle(
    "WorkflowPipeline",
    "status",
    """
    pending  -> running cancelled
    running  -> succeeded failed cancelled
    failed   -> retrying
    retrying -> running failed cancelled
    """,
    "An orchestrated pipeline run; a failed run may retry.",
    groups={"ACTIVE": "pending running retrying", "FINISHED": "succeeded failed cancelled"},
)
DATASET_VERSION = lifecycle(
    "DatasetVersion",
    "status",
    """
    created  -> verified deprecated
    verified -> active deprecated
    active   -> deprecated
    """,
    "A dataset version: created, verified against its checksum, active, deprecated.",
    groups={"PENDING": "created", "IN_USE": "verified active", "RETIRED": "deprecated"},
)
ALERT = lifecycle(
    "Alert",
    "status",
    """
    open         -> acknowledged resolved
    acknowledged -> resolved open
    resolved     -> open
    """,
    "A monitoring alert: open, acknowledged, resolved (and reopened if it recurs).",
    groups={"OPEN": "open acknowledged", "CLOSED": "resolved"},
    stamps={"resolved_at": "resolved"},
)
RISK = lifecycle(
    "RiskIssue",
    "status",
    """
    Open       -> Mitigating Closed Deferred
    Mitigating -> Open Closed Deferred
    Deferred   -> Open Mitigating Closed
    Closed     -> Open
    """,
    "A risk or issue: open, being mitigated, deferred or closed (and reopened).",
    groups={"OPEN": "Open Mitigating", "DEFERRED": "Deferred", "CLOSED": "Closed"},
    stamps={"closed_on": "Closed"},
)
PARTNER = lifecycle(
    "Partner",
    "status",
    """
    Active    -> Inactive Suspended
    Inactive  -> Active
    Suspended -> Active Inactive
    """,
    "A partner's standing.",
    groups={"ACTIVE": "Active", "INACTIVE": "Inactive Suspended"},
)

JOB_RUN = lifecycle(
    "JobRun",
    "state",
    """
    OTHER    -> START RUNNING COMPLETE FAIL ABORT
    START    -> RUNNING COMPLETE FAIL ABORT
    RUNNING  -> COMPLETE FAIL ABORT
    COMPLETE -> FAIL ABORT
    FAIL     -> COMPLETE ABORT
    ABORT    -> COMPLETE FAIL
    """,
    "An OpenLineage run: START, RUNNING, then an ending. Events may arrive in any "
    "order, so a run never moves back to START or RUNNING; of two endings, the later "
    "event's stands.",
    groups={"ACTIVE": "OTHER START RUNNING", "FINISHED": "COMPLETE FAIL ABORT"},
)

ALL = (
    ACTION,
    TASK,
    CASE,
    GATE,
    MODEL_VERSION,
    VALIDATION,
    PUSH,
    DEPLOYMENT,
    RELEASE,
    EXPERIMENT,
    PIPELINE,
    DATASET_VERSION,
    ALERT,
    RISK,
    PARTNER,
    JOB_RUN,
)
