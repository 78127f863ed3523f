"""What a tracker row's repeated cells mean, worked out once per distinct cell.

Trackers repeat a few statuses, owners, partners, programs, models and dates
over and over: each distinct cell is parsed and normalised once per load and
remembered, so a large file costs about as much as its few hundred distinct
values. Nothing here validates: the Action's validator judges whole batches of
rows (see :mod:`opencase.loaders.tracker`). :class:`CellMemo` holds the memos;
:class:`~opencase.loaders.tracker.TrackerLoader` uses it row by row.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from itertools import islice
from typing import Any, NamedTuple

from opencase.graph.store import GraphStore, ObjectRecord
from opencase.ontology import ONTOLOGY
from opencase.queries.filters import Cmp

from . import cells
from .known import KnownNames, ModelIndex
from .report import LoadReport
from .staging import Staged

_FAMILY = ONTOLOGY.enum_of(ONTOLOGY.object_type("Action").prop("ac_family"))


class Model(NamedTuple):
    """One distinct Model cell, parsed and matched once per load."""

    ref: cells.ModelRef
    props: dict[str, Any]  # ac_family / ata_chapter / model_name, None left out
    model_id: str | None


class Owner(NamedTuple):
    """One distinct Owner cell: the person, their global id and Action properties."""

    person: cells.PersonRef
    person_id: str
    props: dict[str, Any]  # owner_name / owner_email, None left out


class Named:
    """One distinct Partner/Program cell: its canonical name, and its id once staged."""

    __slots__ = ("name", "object_id")

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.object_id: str | None = None


class CellMemo:
    """One memo per column: cell text -> what it means (or the error message)."""

    def __init__(self, report: LoadReport, models: ModelIndex) -> None:
        self.report = report
        self.models = models
        self._status_memo: dict[str, str | None] = {}
        self._priority_memo: dict[str, str | None] = {}
        self._start_memo: dict[str, Any] = {}
        self._due_memo: dict[str, Any] = {}
        self._completed_memo: dict[str, tuple[bool, Any] | str] = {}
        self._model_memo: dict[str, Model] = {}
        self._owner_memo: dict[str, Owner | None] = {}
        self._partner_memo: dict[str, Named] = {}
        self._program_memo: dict[str, Named] = {}

    def _date(self, memo: dict[str, Any], raw: str) -> Any:
        """The date in ``raw``, or a :class:`str` saying why it is not a date."""
        try:
            found: Any = cells.parse_date(raw)
        except ValueError as exc:
            found = str(exc)
        memo[raw] = found
        return found

    def _completed(self, raw: str) -> tuple[bool, Any] | str:
        """(completed, completed on), or a :class:`str` saying why ``raw`` is neither."""
        try:
            found: tuple[bool, Any] | str = cells.parse_completed(raw)
        except ValueError as exc:
            found = str(exc)
        self._completed_memo[raw] = found
        return found

    def _model(self, cell: str) -> Model:
        ref = cells.parse_model(cell)
        family = _FAMILY.normalise(ref.family) if ref.family else None
        props = {
            k: v
            for k, v in (
                ("ac_family", family),
                ("ata_chapter", ref.ata_chapter),
                ("model_name", ref.name),
            )
            if v is not None
        }
        model = self._model_memo[cell] = Model(ref, props, self.models.find(ref))
        return model

    def _owner(self, cell: str) -> Owner | None:
        person = cells.parse_person(cell)
        owner = None
        if person is not None:
            props = {"owner_name": cell}
            if person.email is not None:
                props["owner_email"] = person.email
            owner = Owner(person, ONTOLOGY.object_id("Person", person.key), props)
        self._owner_memo[cell] = owner
        return owner

    def _named_cell(self, names: KnownNames, memo: dict[str, Named], cell: str) -> Named:
        """A Partner/Program cell's canonical spelling (the first one seen wins)."""
        found = memo[cell] = Named(names.canonical(cell))
        return found

    def _enum(
        self,
        memo: dict[str, str | None],
        enum: Any,
        raw: str,
        column: str,
        line: int,
        default: str,
    ) -> str:
        """The canonical value of ``raw`` (remembered), or ``default`` with a warning."""
        if not raw:
            return default
        if raw not in memo:
            memo[raw] = enum.normalise(raw)
        value = memo[raw]
        if value is None:
            self.report.warn(
                f"unknown {column.lower()} {raw!r}; using {default}", line=line, field=column
            )
            return default
        return value


_UPDATE = "StatusUpdate"
_SHOWN_LINES = 10


@lru_cache(maxsize=4096)
def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class NoteDates:
    """When each status note was written: its own leading date, else the load time, flagged.

    A note without a date gets the load time and ``dated_by_load``; the report
    counts them and names their lines. A re-load keeps the time such a note was
    first loaded with (one read of those notes), so loading the same file twice
    changes nothing.
    """

    def __init__(self) -> None:
        self.loaded_at = dt.datetime.now(dt.UTC)
        self.today = self.loaded_at.date()
        self.undated: dict[str, int] = {}  # update key -> line

    def date(self, update: dict[str, Any], body: str, anchor: dt.date, line: int) -> None:
        # a note that does not start with a digit names no date: skip the pattern
        when = cells.note_date(body, anchor) if body[:1].isdigit() else None
        if when is None:
            update["created_at"] = self.loaded_at
            update["dated_by_load"] = True
            self.undated[update["update_id"]] = line
        else:
            update["created_at"] = _midnight(when)
            update["dated_by_load"] = False

    def finish(self, store: GraphStore, staged: Staged, report: LoadReport) -> None:
        """Keep the first load time of notes already stored; report the undated ones."""
        if not self.undated:
            return
        # First loads (nothing dated by a load is stored yet) need no read at all.
        stored = store.count(_UPDATE, where=Cmp("dated_by_load", "eq", True))
        keys = iter(self.undated if stored else ())
        while chunk := [ONTOLOGY.object_id(_UPDATE, k) for k in islice(keys, 10_000)]:
            for oid, found in store.get(chunk).items():
                first = found.properties.get("created_at")
                record = staged.objects.get(oid)
                if first is None or record is None or not found.properties.get("dated_by_load"):
                    continue
                staged.objects[oid] = ObjectRecord(
                    record.object_type, {**record.properties, "created_at": first}
                )
        lines = sorted(set(self.undated.values()))
        shown = ", ".join(map(str, lines[:_SHOWN_LINES])) + (
            ", ..." if len(lines) > _SHOWN_LINES else ""
        )
        report.warn(
            f"{len(self.undated)} status update(s) start with no date (such as '2/20:' or "
            f"'03.03.2025:'); dated with the load time and marked dated_by_load (lines {shown})",
            field="Updates",
        )
