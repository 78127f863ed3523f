"""Integration tasks and gates: completeTask, approveGate, rejectGate.

A gate decision also moves the model version the gate decides on
(``gate-advances-version``) when that version is waiting for it: a version in
Validating becomes Approved when its gate is passed or waived and Rejected when
it fails. A version in any other state is left alone (a QG0 gate on a Draft
version decides the gate, not the version).
"""

from __future__ import annotations

from opencase.errors import Problem, ValidationError

from .context import ActionContext
from .registry import handles

TASK, GATE, VERSION = "IntegrationTask", "Gate", "ModelVersion"
DONE, DECIDED, FAILED = "Done", "Decided", "Failed"

#: How a gate decision carries over to the version the gate decides on.
VERSION_AFTER_DECISION = {"Passed": "Approved", "Waived": "Approved", "Failed": "Rejected"}


@handles("completeTask")
def complete_task(ctx: ActionContext) -> None:
    task = ctx.load("task_id", [TASK])
    on = ctx.params.get("completed_on", ctx.today)
    ctx.move(task, DONE, completed_on=on, percent_complete=100)
    ctx.note(f"task {task.title!r} done on {on.isoformat()}")


@handles("approveGate")
def approve_gate(ctx: ActionContext) -> None:
    decision = ctx.params["decision"]
    if decision == FAILED:
        raise ValidationError(
            Problem("approveGate passes or waives a gate; use rejectGate to fail it", "decision")
        )
    _decide(ctx, decision)


@handles("rejectGate")
def reject_gate(ctx: ActionContext) -> None:
    _decide(ctx, FAILED)


def _decide(ctx: ActionContext, decision: str) -> None:
    gate = ctx.load("gate_id", [GATE])
    approver = ctx.params.get("approver") or ctx.actor
    changes = {"decision": decision, "decision_date": ctx.now, "approver": approver}
    if ctx.params.get("reason"):
        changes["notes"] = ctx.params["reason"]
    ctx.move(gate, DECIDED, **changes)
    ctx.note(f"gate {gate.title!r} decided {decision} by {approver}")
    target = VERSION_AFTER_DECISION[decision]
    for version in ctx.linked(gate.id, VERSION):
        before = ctx.move_if_allowed(version, target)
        if before is not None:
            ctx.note(f"version {version.id} {before} -> {target}")
