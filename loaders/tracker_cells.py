"""What a tracker row's repeated cells mean, worked out once per distinct cell.

Trackers repeat a few statuses, owners, partners, programs, models and dates
over and over: each distinct cell is parsed and normalised once per load and
remembered, so a large file costs about as much as its few hundred distinct
values. Nothing here validates: the Action's validator judges whole batches of
rows (see :mod:`opencase.loaders.tracker`). :class:`CellMemo` holds the memos;
:class:`~opencase.loaders.tracker.TrackerLoader` uses it row by row.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from opencase.ontology import ONTOLOGY

from . import cells
from .known import KnownNames, ModelIndex
from .report import LoadReport

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
