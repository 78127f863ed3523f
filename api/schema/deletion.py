"""Who deleted an object, when and why: the soft-delete fields every object type has.

``deletedAt`` and ``deletedBy`` are the store's soft-delete mark; the reason is
the ``reason`` parameter of the ``deleteObject`` action that set it, read from
that action's log (linked to the object), so there is one record of it.
Everyone else still never sees a deleted object: only ``includeDeleted: true``
(audit or admin keys) returns one.
"""

from __future__ import annotations

from typing import Any

from opencase.graph.store import Direction, OrderBy
from opencase.ontology import ONTOLOGY
from opencase.queries.filters import Cmp

from ..dataloaders import NeighbourQuery

_DELETE = ONTOLOGY.action_type("deleteObject")
_ABOUT = next(lt.api_name for lt in ONTOLOGY.links_from("ActionLog"))
#: The latest deleteObject log about an object (logs record the action's name or API name).
LATEST_DELETE = NeighbourQuery(
    link_type=_ABOUT,
    direction=Direction.IN,
    where=Cmp("action_type", "in", (_DELETE.api_name, _DELETE.name)),
    order_by=(OrderBy("timestamp", descending=True),),
    limit_per_id=1,
)


async def delete_reason(view: Any, info: Any) -> str | None:
    """The reason given when the object was soft-deleted; None when it is not deleted."""
    if view._stored.deleted_at is None:
        return None
    logs = await info.context.loaders.neighbours(LATEST_DELETE).load(view.id)
    if not logs:
        return None
    reason = (logs[0].object.properties.get("parameters") or {}).get("reason")
    return None if reason is None else str(reason)
