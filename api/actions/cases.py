"""Case work: flagRisk, uploadEvidence, requestValidation.

Each creates one object and attaches it to what the user pointed at; the link
type follows from the two object types (``risk-applies-to`` for a model,
``case-has-risk`` for a case, ``gate-has-evidence`` for a gate, ...), so the
handlers never name a link.
"""

from __future__ import annotations

from opencase.ontology import ids

from .context import ActionContext
from .log import new_id
from .registry import handles

RISK, ARTIFACT, REPORT, VERSION, CASE, PERSON = (
    "RiskIssue",
    "Artifact",
    "ValidationReport",
    "ModelVersion",
    "IntegrationCase",
    "Person",
)


@handles("flagRisk")
def flag_risk(ctx: ActionContext) -> None:
    target = ctx.load_target("target_id", creates=RISK)
    owner = ctx.load_optional("owner_id", [PERSON])
    risk_id = ctx.create(RISK, {**ctx.carried(RISK), "risk_id": new_id(), "opened_on": ctx.now})
    ctx.connect(risk_id, target.id)
    if owner is not None:
        ctx.connect(risk_id, owner.id)
    ctx.note(f"{ctx.params['severity']} risk {ctx.params['title']!r} flagged on {target.id}")


@handles("uploadEvidence")
def upload_evidence(ctx: ActionContext) -> None:
    target = ctx.load_target("target_id", creates=ARTIFACT)
    p = ctx.params
    artifact_id = ctx.ensure(
        ARTIFACT,
        {**ctx.carried(ARTIFACT), "artifact_id": ids.md5_key(target.id, p["name"], p["uri"])},
        on_create={"created_on": ctx.now, "uploaded_by": ctx.actor},
    )
    ctx.connect(target.id, artifact_id)
    ctx.note(f"evidence {p['name']!r} attached to {target.id}")


@handles("requestValidation")
def request_validation(ctx: ActionContext) -> None:
    """Open a Running report; the version starts Validating when its lifecycle allows it."""
    version = ctx.load("model_version_id", [VERSION])
    case = ctx.load_optional("case_id", [CASE])
    report_id = ctx.create(
        REPORT,
        {
            **ctx.carried(REPORT),
            "report_id": new_id(),
            "name": f"validation of {version.id}",
            "date": ctx.now,
        },
    )
    ctx.connect(version.id, report_id)
    if case is not None:
        ctx.connect(case.id, report_id)
    ctx.note(f"validation {report_id} requested for {version.id}")
    before = ctx.move_if_allowed(version, "Validating")
    if before is not None:
        ctx.note(f"version {before} -> Validating")
