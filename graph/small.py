"""The one threshold between a small write and a bulk one.

A write of a few objects (an action, a short file) and a bulk load of
millions are planned and applied the same way, with the same checks; they
differ only in how statements reach the engine and in what planning reads
ahead. Below the threshold: statements with scalar parameters, one per row
(see :mod:`opencase.graph.ladybug_small` for why Arrow scans are kept out of
small writes), plain records instead of column tables, and one read per type
of everything planning may need. Above it: Arrow tables, COPY and LOAD FROM,
and reads of only what each planning step needs. Every such choice asks
:func:`is_small`, so the line is drawn here and nowhere else.
"""

from __future__ import annotations

#: Rows (objects, links or ids to look up) a statement or a planning step may
#: cover and still count as small.
SMALL_ROWS = 64


def is_small(rows: int) -> bool:
    """Whether a statement or planning step over ``rows`` rows takes the small path."""
    return rows <= SMALL_ROWS
