"""The lifecycle rules, applied the same way by every write (actions, admin upserts, loaders).

The write planner (``graph/planning.py``) is the one caller that enforces them:
it alone sees the stored state beside the new one, for every write path.
Actions only *ask* (``allows``, ``entry_stamps``) to word their own
preconditions. Two policies for a forbidden move: refuse the whole write (an
action or an admin edit: the user asked for something the lifecycle forbids),
or hold the state where it is and report the move (a loader mirroring a source
system: the rest of the record is still written).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

from opencase.errors import MoveProblem, Problem

from . import ONTOLOGY
from .model import Lifecycle, ObjectType, PropertyType


@cache
def derives(type_name: str) -> bool:
    """True when some lifecycle of the type sets flags or stamps (worth a pass over records)."""
    return any(lc.flags or lc.stamps for lc in ONTOLOGY.lifecycles_of(type_name))


def derive(ot: ObjectType, raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """``raw`` with the flags and stamps its own state decides; ``raw`` itself when none change.

    Only what the record's state alone decides: a flag is true exactly in its
    states, a stamp is cleared outside its states. Setting a stamp on entry
    needs the stored state too (see :func:`settle`).
    """
    out: dict[str, Any] | None = None
    for lc in ONTOLOGY.lifecycles_of(ot.name):
        state = raw.get(lc.property)
        if state is None:
            continue
        for flag, states in lc.flags.items():
            value = state in states
            if raw.get(flag) is not value:
                out = out if out is not None else dict(raw)
                out[flag] = value
        for stamp, states in lc.stamps.items():
            if state not in states and raw.get(stamp) is not None:
                out = out if out is not None else dict(raw)
                out[stamp] = None
    return raw if out is None else out


def forbidden_move(ot: ObjectType, object_id: str, lc: Lifecycle, state: Any, target: Any) -> str:
    """The message of a move the lifecycle forbids: from, to, and what is allowed instead."""
    targets = list(lc.targets(state))  # in declared order: the likely next step first
    allowed = ", ".join(targets) if targets else f"none: {state} is final"
    return (
        f"{ot.name} {object_id}: {lc.property} cannot move from {state} to {target} "
        f"(allowed from {state}: {allowed})"
    )


def current(ot: ObjectType, lc: Lifecycle, stored: Mapping[str, Any]) -> Any:
    """The stored state; an object stored without one is in its declared default state."""
    value = stored.get(lc.property)
    return ot.prop(lc.property).default if value is None else value


def settle(
    ot: ObjectType,
    object_id: str,
    stored: Mapping[str, Any],
    props: dict[str, Any],
    now: dt.datetime,
    *,
    hold: bool,
) -> list[Problem]:
    """Check and complete a change of a stored object in place; return the forbidden moves.

    A forbidden move is dropped from ``props`` when ``hold`` (the object keeps
    its state; the caller reports it) and left in otherwise (the caller
    refuses the write). Entering a state sets its stamps (now) unless the
    writer gave them; the flags and stamps then follow the resulting state.
    """
    forbidden: list[Problem] = []
    for lc in ONTOLOGY.lifecycles_of(ot.name):
        before = current(ot, lc, stored)
        state = props.get(lc.property, before)
        if lc.property in props and state != before and not lc.allows(before, state):
            message = forbidden_move(ot, object_id, lc, before, state)
            forbidden.append(MoveProblem(message, field=lc.property))
            if not hold:
                continue
            del props[lc.property]
            state = before
            for stamp in lc.stamps:  # cleared by ``derive`` for the state that was refused
                if stamp in props and props[stamp] is None:
                    del props[stamp]
        for flag, states in lc.flags.items():
            props[flag] = state in states
        for stamp, states in lc.stamps.items():
            if state not in states:
                if stored.get(stamp) is not None or props.get(stamp) is not None:
                    props[stamp] = None
            elif before not in states and props.get(stamp) is None:
                props[stamp] = stamp_value(ot, stamp, now)
    return forbidden


def entry_stamps(object_type: str, state: str, now: dt.datetime) -> dict[str, Any]:
    """The stamps an object created in ``state`` by an action gets (a push created Succeeded...).

    The planner stamps objects that *move* into a state; an object created
    directly in one is stamped only by an action, which knows the state is
    reached now (a loader's new objects keep the dates of their source).
    """
    ot = ONTOLOGY.object_type(object_type)
    out: dict[str, Any] = {}
    for lc in ONTOLOGY.lifecycles_of(ot.name):
        for stamp, states in lc.stamps.items():
            if state in states and lc.property == "status":
                out[stamp] = stamp_value(ot, stamp, now)
    return out


def stamp_value(ot: ObjectType, stamp: str, now: dt.datetime) -> Any:
    return now.date() if ot.prop(stamp).type is PropertyType.DATE else now


def group_states(ot: ObjectType, prop: str, group: str) -> tuple[str, ...]:
    """The states of one declared group; raises ``KeyError`` for an undeclared one."""
    lc = ONTOLOGY.lifecycle(ot.name, prop)
    if lc is None:
        raise KeyError(prop)
    return lc.groups[group]
