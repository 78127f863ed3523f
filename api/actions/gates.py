"""Gate policies: an action that takes a version further needs its gates cleared.

The policies are declared in ontology/declarations/policies.py; this module
applies them to every action the executor runs, before the action's own
effect, so no handler checks gates itself. A gate clears when it is Decided
Passed, or Decided Waived with a reason in its notes. The override parameter
lets an admin go ahead anyway; the reason is logged with the action.
"""

from __future__ import annotations

from opencase.errors import ActionError
from opencase.graph.store import StoredObject
from opencase.ontology import ONTOLOGY, GatePolicy

from .context import ActionContext

GATE, VERSION, RELEASE = "Gate", "ModelVersion", "Release"
DECIDED, PASSED, WAIVED = "Decided", "Passed", "Waived"


def _applies(policy: GatePolicy, ctx: ActionContext) -> bool:
    return policy.action == ctx.action.name and all(
        ctx.params.get(name) == value for name, value in policy.when.items()
    )


def _versions(ctx: ActionContext, policy: GatePolicy) -> list[StoredObject]:
    """The versions the action takes further: the one named, or those a release packages."""
    target = ctx.load(policy.version_param)
    if target.object_type == VERSION:
        return [target]
    if target.object_type == RELEASE:
        return ctx.linked(target.id, VERSION)
    return []


def _unmet(ctx: ActionContext, version: StoredObject, gate_type: str) -> str | None:
    """Why ``version``'s gate of ``gate_type`` does not clear it, or None when it does."""
    gates = [g for g in ctx.linked(version.id, GATE) if g.properties.get("type") == gate_type]
    if not gates:
        return f"{version.id} has no {gate_type} gate"
    for gate in gates:
        p = gate.properties
        if p.get("status") == DECIDED and p.get("decision") == PASSED:
            return None
        if p.get("status") == DECIDED and p.get("decision") == WAIVED and p.get("notes"):
            return None
    shown = ", ".join(
        f"{g.id} is {g.properties.get('decision') or g.properties.get('status')}"
        + (" without a reason" if g.properties.get("decision") == WAIVED else "")
        for g in gates
    )
    return f"{version.id}'s {gate_type} gate is not cleared ({shown})"


def enforce_gate_policies(ctx: ActionContext) -> None:
    """Refuse the action naming each unmet gate, unless the override gives a reason."""
    for policy in ONTOLOGY.gate_policies:
        if not _applies(policy, ctx):
            continue
        unmet = [
            why
            for version in _versions(ctx, policy)
            for gate_type in policy.gates
            if (why := _unmet(ctx, version, gate_type)) is not None
        ]
        if not unmet:
            continue
        reason = ctx.params.get(GatePolicy.OVERRIDE)
        if reason:
            ctx.note(f"GATE POLICY OVERRIDDEN by {ctx.actor} ({reason}): " + "; ".join(unmet))
            continue
        raise ActionError(
            f"{ctx.action.name}: {policy.description} " + "; ".join(unmet),
            suggestion="pass or waive (with a reason) the gate first, or give "
            "gateOverrideReason as an admin",
        )
