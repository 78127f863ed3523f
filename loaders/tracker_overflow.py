"""Rows with more cells than the header: rejoin them only when there is one way to.

Trackers exported by hand carry unquoted commas (seed 001's own excerpt does:
``...sent param list to GE, ask them which params to use``). Splitting such a
row by position shifts every later field silently, so a row with extra cells is
an error naming its line and the cells, unless exactly one free-text column can
take the extra cells back while every typed column after the shift still reads
as its type (a status, a date, a program code, ...). Then the cells are
rejoined (with the comma they were split at) and the row loads with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from opencase.errors import Problem
from opencase.ontology import ONTOLOGY

from . import cells
from .tracker_columns import ALL_COLUMNS, Columns

#: Columns whose text may hold a comma: the extra cells can only come from these.
FREE_TEXT = ("subject", "issue", "actions", "updates")

_ACTION = ONTOLOGY.object_type("Action")
_STATUS = ONTOLOGY.enum_of(_ACTION.prop("status"))
_PRIORITY = ONTOLOGY.enum_of(_ACTION.prop("priority"))
_GATE = ONTOLOGY.enum(ONTOLOGY.object_type("ModelWork").prop("process_gate").enum or "")
_PROGRAM = re.compile(r"^[A-Z]{1,3}\d{2,4}\b", re.IGNORECASE)


def _reads(parse: Callable[[str], object]) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            parse(text)
        except ValueError:
            return False
        return True

    return check


#: What a typed column's cell must look like (empty is always fine but for Item #).
TYPED: dict[str, Callable[[str], bool]] = {
    "item": lambda t: bool(t),
    "program": lambda t: not t or bool(_PROGRAM.match(t)),
    "theme": lambda t: not t or _GATE is None or _GATE.normalise(t) is not None,
    "status": lambda t: not t or (_STATUS is not None and _STATUS.normalise(t) is not None),
    "priority": lambda t: not t or (_PRIORITY is not None and _PRIORITY.normalise(t) is not None),
    "start": lambda t: not t or _reads(cells.parse_date)(t),
    "dueon": lambda t: not t or _reads(cells.parse_date)(t),
    "completed": lambda t: not t or _reads(cells.parse_completed)(t),
}


def _plausible(values: list[str], cols: Columns) -> bool:
    for key, check in TYPED.items():
        i = cols.index.get(key)
        if i is not None and not check(values[i].strip() if i < len(values) else ""):
            return False
    return True


def _rejoined(values: list[str], at: int, extra: int) -> list[str]:
    return [*values[:at], ",".join(values[at : at + extra + 1]), *values[at + extra + 1 :]]


def rejoin_overflow(
    values: list[str], cols: Columns, line: int, source: str
) -> tuple[list[str] | None, Problem]:
    """``(cells, warning)`` when one free-text column takes the extra cells back, else
    ``(None, error)``; both name the line and the extra cells."""
    extra = len(values) - cols.width
    candidates = []
    for key in FREE_TEXT:
        at = cols.index.get(key)
        if at is None:
            continue
        joined = _rejoined(values, at, extra)
        if _plausible(joined, cols):
            candidates.append((key, at, joined))
    head = f"{len(values)} cells for {cols.width} columns (an unquoted comma?)"
    if len(candidates) == 1:
        key, at, joined = candidates[0]
        column = ALL_COLUMNS[key]
        message = f"{head}: rejoined into {column}, which now reads {joined[at].strip()!r}"
        return joined, Problem(message, field=column, line=line, source=source)
    names = [ALL_COLUMNS[key] for key, _, _ in candidates]
    where = " or ".join(names) if names else "no free-text column"
    first = min((at for _, at, _ in candidates), default=cols.width)
    shown = ", ".join(repr(c.strip()) for c in values[first:])
    message = (
        f"{head}: the cells {shown} could be split at a comma of {where}; "
        "row not loaded (quote the cell that holds the comma)"
    )
    field = names[0] if len(names) == 1 else None
    return None, Problem(message, field=field, line=line, source=source)
