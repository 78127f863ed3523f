"""The tracker CSV's columns: which header means what, and what to call a cell in a problem.

Headers are matched without regard to case, spaces, ``_`` and ``#``, so
``Item #``, ``item#`` and ``ITEM`` are one column. This is the file format of
the customer's trackers (seed 001 section 5), not something the ontology declares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from opencase.errors import LoaderError, Problem

from .csvfile import CsvRow, header_key
from .report import LoadReport

#: The tracker's columns (a file format, not the ontology): header key -> as printed.
REQUIRED_COLUMNS = {"item": "Item #"}
EXPECTED_COLUMNS = {
    "subject": "Subject",
    "owner": "Owner",
    "partner": "Partner",
    "program": "Program",
    "theme": "Theme",
    "model": "Model",
    "issue": "Issue",
    "actions": "Actions",
    "updates": "Updates",
}
OPTIONAL_COLUMNS = {
    "status": "Status",
    "priority": "Priority",
    "start": "Start",
    "dueon": "Due On",
    "completed": "Completed",
}
ALL_COLUMNS = {**REQUIRED_COLUMNS, **EXPECTED_COLUMNS, **OPTIONAL_COLUMNS}
#: Every column key in one fixed order: :meth:`Columns.picker` returns cells in this order.
COLUMN_KEYS = tuple(ALL_COLUMNS)
#: Action property -> the column it came from, so a validation problem names the column.
PROPERTY_COLUMN = {
    "source_id": "Item #",
    "title": "Actions",
    "subject": "Subject",
    "theme": "Theme",
    "issue": "Issue",
    "status": "Status",
    "priority": "Priority",
    "start_date": "Start",
    "due_on": "Due On",
    "completed": "Completed",
    "completed_on": "Completed",
    "program_code": "Program",
    "owner_name": "Owner",
    "owner_email": "Owner",
    "partner_name": "Partner",
    "ac_family": "Model",
    "ata_chapter": "Model",
    "model_name": "Model",
}


@dataclass(frozen=True)
class Columns:
    """Where each known column sits in this file's rows."""

    index: dict[str, int]
    width: int

    def read(self, cells_: list[str]) -> dict[str, str]:
        """Known columns -> trimmed text ('' for a cell the row does not have)."""
        n = len(cells_)
        return {key: cells_[i].strip() if i < n else "" for key, i in self.index.items()}

    def picker(self) -> tuple[int, Callable[[list[str]], tuple[str, ...]]]:
        """``(length, pick)``: ``pick(cells)`` gives the raw cells of every key in
        :data:`COLUMN_KEYS` order, once ``cells`` is padded with '' to ``length``.

        One C-level ``itemgetter`` per row instead of a dict per row: a column the
        file lacks reads the padding cell just past the header's width.
        """
        positions = [self.index.get(key, self.width) for key in COLUMN_KEYS]
        length = max(positions) + 1
        return length, itemgetter(*positions)


def columns_of(header: CsvRow, report: LoadReport) -> Columns:
    """Locate the known columns; a missing Item # column makes the file unusable."""
    index: dict[str, int] = {}
    for i, name in enumerate(header.cells):
        key = header_key(name)
        if key in ALL_COLUMNS and key not in index:
            index[key] = i
        elif key:
            why = "appears twice" if key in index else "is not a tracker column"
            report.warn(f"column {name!r} {why}; ignored", line=header.line, field=name)
    for key, shown in REQUIRED_COLUMNS.items():
        if key not in index:
            raise LoaderError(
                f"{report.source}: no {shown!r} column in the header (line {header.line})",
                suggestion="the header needs: "
                + ", ".join([*REQUIRED_COLUMNS.values(), *EXPECTED_COLUMNS.values()]),
            )
    missing = [shown for key, shown in EXPECTED_COLUMNS.items() if key not in index]
    if missing:
        report.warn("missing column(s): " + ", ".join(missing), line=header.line)
    return Columns(index, len(header.cells))


def column_name(cols: Columns, position: int) -> str | None:
    for key, i in cols.index.items():
        if i == position:
            return ALL_COLUMNS[key]
    return None


def with_column(p: Problem) -> Problem:
    """A validation problem named after the tracker column instead of the property."""
    column = PROPERTY_COLUMN.get(p.field or "", p.field)
    return Problem(p.message, field=column, line=p.line, source=p.source, record=p.record)
