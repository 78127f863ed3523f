"""What an action may ask of a lifecycle before it stages a move.

The lifecycles are declared in ontology/declarations/lifecycles.py and
enforced by the write planner for every write path; actions only ask here,
to word their own preconditions ("already Done") and to skip side effects
("the version starts validating") that the lifecycle would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opencase.errors import ActionError
from opencase.ontology import ONTOLOGY, ObjectType
from opencase.ontology.lifecycle import current


def current_state(object_type: ObjectType, prop: str, properties: Mapping[str, Any]) -> Any:
    """The present value; an object loaded without one is in its declared default state."""
    lc = ONTOLOGY.lifecycle(object_type.name, prop)
    if lc is not None:
        return current(object_type, lc, properties)
    value = properties.get(prop)
    return object_type.prop(prop).default if value is None else value


def can_move(object_type: str, prop: str, state: Any, target: Any) -> bool:
    lc = ONTOLOGY.lifecycle(object_type, prop)
    return lc is None or lc.allows(state, target)


def is_final(object_type: str, prop: str, state: Any) -> bool:
    """True for a governed state with no way out (Succeeded, terminated, Decided, ...)."""
    lc = ONTOLOGY.lifecycle(object_type, prop)
    return lc is not None and lc.is_final(state)


def refuse_standing_still(ot: ObjectType, object_id: str, prop: str, state: Any) -> None:
    """An action asked to move an object to the state it is in: a mistake worth naming."""
    final = f" ({state} is final)" if is_final(ot.name, prop, state) else ""
    raise ActionError(
        f"{ot.name} {object_id}: {prop} is already {state}{final}",
        suggestion="nothing to do; read the object's current state first",
    )
