"""The shared shape of every "move this object to a new status" action.

setModelVersionStatus, updateDeploymentStatus and recordPushOutcome differ
only in which object they move; the lifecycle (ontology) decides whether the
move is allowed and which dates it stamps, not three copies of the same code.
"""

from __future__ import annotations

from typing import Any

from opencase.graph.store import StoredObject

from .context import ActionContext


def set_status(ctx: ActionContext, id_param: str, **changes: Any) -> tuple[StoredObject, Any, str]:
    """Load the object ``id_param`` names (of the action's first touched type) and move it.

    The new status is the ``status`` parameter; returns the object, its old
    status and the new one. A forbidden move refuses the action when written.
    """
    object_type = ctx.action.touches[0]
    obj = ctx.load(id_param, [object_type])
    status = ctx.params["status"]
    before = ctx.move(obj, status, **changes)
    ctx.note(f"{obj.object_type} {obj.id} {before} -> {status}")
    return obj, before, status
