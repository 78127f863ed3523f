"""State machines from ``TRANSITIONS``: the only place an action decides whether it may move.

The table lives in the ontology beside the vocabularies; this module only
reads it, so a new allowed move is one line in ontology/declarations/actions.py.
A property without an entry in the table (e.g. a tracker action's status) may
change freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opencase.errors import ActionError
from opencase.ontology import ONTOLOGY, TRANSITIONS, ObjectType


def governed(object_type: str) -> tuple[str, ...]:
    """The properties of ``object_type`` that a state machine governs."""
    name = ONTOLOGY.object_type(object_type).name
    return tuple(prop for (kind, prop) in TRANSITIONS if kind == name)


def current_state(object_type: ObjectType, prop: str, properties: Mapping[str, Any]) -> Any:
    """The present value; an object loaded without one is in its declared default state."""
    value = properties.get(prop)
    return object_type.prop(prop).default if value is None else value


def allowed_targets(object_type: str, prop: str, state: Any) -> frozenset[str] | None:
    """The states reachable from ``state``; ``None`` when the property is not governed."""
    table = TRANSITIONS.get((ONTOLOGY.object_type(object_type).name, prop))
    if table is None:
        return None
    return table.get(state, frozenset())


def is_terminal(object_type: str, prop: str, state: Any) -> bool:
    """True for a governed state with no way out (Succeeded, terminated, Decided, ...)."""
    targets = allowed_targets(object_type, prop, state)
    return targets is not None and not targets


def can_move(object_type: str, prop: str, state: Any, target: Any) -> bool:
    targets = allowed_targets(object_type, prop, state)
    return targets is None or target in targets


def check_transition(
    object_type: ObjectType, object_id: str, prop: str, state: Any, target: Any
) -> None:
    """Raise ``ActionError`` naming from, to and the allowed targets when the move is forbidden."""
    if can_move(object_type.name, prop, state, target):
        return
    targets = sorted(allowed_targets(object_type.name, prop, state) or ())
    allowed = ", ".join(targets) if targets else f"none: {state} is final"
    raise ActionError(
        f"{object_type.name} {object_id}: {prop} cannot move from {state} to {target} "
        f"(allowed from {state}: {allowed})",
        suggestion="see TRANSITIONS in ontology/declarations/actions.py for the state machine",
    )
