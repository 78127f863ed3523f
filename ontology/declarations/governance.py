"""Risk, policy, monitoring and audit (seeds 000, 001 and the MLOps schema of seed 003)."""

from __future__ import annotations

from ..dsl import choice, json_map, number, obj, string, strings, text
from ..dsl import timestamp as ts
from . import enums as E

RiskIssue = obj(
    "RiskIssue",
    pk="risk_id",
    title="title",
    area="governance",
    prov="Entity",
    doc="A risk, issue or blocker (risk assessment) on a case, model, version or deployment.",
    props=[
        string("risk_id", "Key of the risk.", required=True),
        text("title", "Short statement of the risk.", required=True),
        string("category", "Category (data, performance, schedule, ...)."),
        text("description", "Details."),
        choice("severity", E.Severity, "Severity.", required=True),
        choice("status", E.RiskStatus, "Status.", required=True, default="Open"),
        text("mitigation_plan", "How it is mitigated."),
        ts("opened_on", "When it was raised."),
        ts("closed_on", "When it was closed."),
    ],
)

Policy = obj(
    "Policy",
    pk="policy_id",
    title="name",
    area="governance",
    prov="Entity",
    plural="Policies",
    doc="A control that governs datasets, models or deployments (security, export, data).",
    props=[
        string("policy_id", "Key of the policy.", required=True),
        text("name", "Policy name.", required=True),
        choice("type", E.PolicyType, "What it governs."),
        text("description", "What it requires."),
    ],
)

DriftReport = obj(
    "DriftReport",
    pk="report_id",
    title="report_id",
    area="monitoring",
    prov="Entity",
    doc="A data-drift detection result for a deployment (MLOps schema monitoring).",
    props=[
        string("report_id", "Key of the report.", required=True),
        ts("window_start", "Start of the analysed window."),
        ts("window_end", "End of the analysed window."),
        number("drift_score", "Overall drift score."),
        string("method", "Detection method (psi, ks, ...)."),
        choice("severity", E.Severity, "How severe the drift is."),
        json_map("feature_scores", "Per-feature scores."),
    ],
)

Alert = obj(
    "Alert",
    pk="alert_id",
    title="title",
    area="monitoring",
    prov="Entity",
    doc="A monitoring alert raised on a deployment.",
    props=[
        string("alert_id", "Key of the alert.", required=True),
        text("title", "What happened.", required=True),
        choice("severity", E.Severity, "Severity.", required=True),
        choice("status", E.AlertStatus, "Status.", default="open"),
        ts("raised_at", "When it was raised."),
        ts("resolved_at", "When it was resolved."),
        text("message", "Details."),
    ],
)

ActionLog = obj(
    "ActionLog",
    pk="log_id",
    title="action_type",
    area="governance",
    prov="Activity",
    system=True,
    doc="Immutable audit entry written in the same transaction as every executed action.",
    props=[
        string("log_id", "Key of the entry.", required=True),
        string("action_type", "API name of the executed action type.", required=True),
        string(
            "actor",
            "Who executed it (API key name or user).",
            required=True,
            prov_property="wasAssociatedWith",
        ),
        ts("timestamp", "When it executed.", required=True, prov_property="startedAtTime"),
        json_map("parameters", "The action's parameters as given."),
        choice("outcome", E.ActionOutcome, "How it ended.", required=True),
        text("summary", "What the action did, in words."),
        strings("target_ids", "Ids of the objects the action touched."),
        strings("created_ids", "Ids of the objects the action created."),
        string(
            "idempotency_key",
            "The key the caller sent with the action: a retry with the same key "
            "(and actor) returns this entry and writes nothing.",
        ),
    ],
)

ALL = (RiskIssue, Policy, DriftReport, Alert, ActionLog)
