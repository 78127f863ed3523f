"""The shared shape of every "move this object to a new status" action.

setModelVersionStatus, updateDeploymentStatus and recordPushOutcome differ
only in which object they move and what they stamp; the state machine is
TRANSITIONS and the stamp is a table here, not three copies of the same code.
"""

from __future__ import annotations

from typing import Any

from opencase.graph.store import StoredObject
from opencase.ontology import ONTOLOGY

from .context import ActionContext
from .transitions import is_terminal

#: The timestamp property an object gets when it enters a final state of its status
#: (a state TRANSITIONS lets nothing leave): a push completes, a deployment terminates.
FINAL_STAMP = {"MpvalPushRequest": "completed_at", "Deployment": "terminated_at"}


def final_stamp(ctx: ActionContext, object_type: str, status: str) -> dict[str, Any]:
    """``{stamp property: now}`` when ``status`` is final for the type, else nothing."""
    name = ONTOLOGY.object_type(object_type).name
    stamp = FINAL_STAMP.get(name)
    if stamp and is_terminal(name, "status", status):
        return {stamp: ctx.now}
    return {}


def set_status(ctx: ActionContext, id_param: str, **changes: Any) -> tuple[StoredObject, Any, str]:
    """Load the object ``id_param`` names (of the action's first touched type) and move it.

    The new status is the ``status`` parameter; returns the object, its old
    status and the new one. A forbidden move raises ``ActionError``.
    """
    object_type = ctx.action.touches[0]
    obj = ctx.load(id_param, [object_type])
    status = ctx.params["status"]
    before = ctx.move(obj, status, **final_stamp(ctx, object_type, status), **changes)
    ctx.note(f"{obj.object_type} {obj.id} {before} -> {status}")
    return obj, before, status
