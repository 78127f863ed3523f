"""Tracker actions: addStatusUpdate.

The update's key is ``ids.status_update_id`` (action, position, body), the
same the tracker loader computes, and its position follows the action's
existing updates, so a note added here sorts after the loaded history.
"""

from __future__ import annotations

from opencase.ontology import ids

from .context import ActionContext
from .registry import handles

ACTION, UPDATE = "Action", "StatusUpdate"


@handles("addStatusUpdate")
def add_status_update(ctx: ActionContext) -> None:
    action = ctx.load("action_id", [ACTION])
    body = ctx.params["body"]
    last = ctx.linked(action.id, UPDATE, highest="position")
    position = (last[0].properties["position"] + 1) if last else 0
    update_id = ctx.create(
        UPDATE,
        {
            "update_id": ids.status_update_id(ctx.key(action), position, body),
            "body": body,
            "created_at": ctx.now,
            "author_email": ctx.actor,
            "position": position,
        },
    )
    ctx.connect(action.id, update_id)
    ctx.note(f"update #{position} added to {action.title!r}")
    status = ctx.params.get("status")
    if status is not None:  # completed and completed_on follow from the lifecycle
        before = ctx.move(action, status)
        ctx.note(f"status {before} -> {status}")
