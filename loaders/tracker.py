"""Tracker CSV -> Actions, StatusUpdates, People, Partners, Programs (seed 001 section 5).

One Action per non-blank row, keyed by :func:`~opencase.ontology.ids.tracker_action_id`
so the same row always lands on the same node. A row that cannot be loaded is
reported with its physical line and column and left out; the other rows load.

Trackers repeat a few statuses, owners, partners, programs, models and dates
over and over, so each distinct cell is parsed and normalised once per load
and remembered (:mod:`opencase.loaders.tracker_cells`); only the free text
(Item #, titles, notes) is handled per row. The rows' Actions are then judged
by the Action's validator a batch at a time, the one validation path every
write takes, and each refused row is reported by its line.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, NamedTuple

from opencase.errors import LoaderError, Problem
from opencase.graph.store import GraphStore
from opencase.ontology import ONTOLOGY, ids
from opencase.ontology.validation import validator

from . import cells
from .csvfile import CsvRow, iter_rows
from .known import KnownNames, ModelIndex
from .progress import LoadProgress
from .report import LoadReport
from .staging import BATCH_SIZE, Staged, gc_paused, write_staged
from .tracker_cells import CellMemo, Model, Named, Owner
from .tracker_columns import ALL_COLUMNS, Columns, column_name, columns_of, with_column

DEFAULT_SOURCE_SYSTEM = "DAIA_ACTIONS"

_ELISION = re.compile(r"^\s*[.…]*\s*$")
_ACTION = ONTOLOGY.object_type("Action")
_STATUS = ONTOLOGY.enum_of(_ACTION.prop("status"))
_PRIORITY = ONTOLOGY.enum_of(_ACTION.prop("priority"))
_DEFAULT_STATUS = _ACTION.prop("status").default
_DEFAULT_PRIORITY = _ACTION.prop("priority").default
_START, _DUE, _COMPLETED = ALL_COLUMNS["start"], ALL_COLUMNS["dueon"], ALL_COLUMNS["completed"]
#: Rows whose Actions are validated in one call.
_CHUNK = 4096


class _Cells(NamedTuple):
    """One row's cells, stripped, in :data:`~opencase.loaders.tracker_columns.COLUMN_KEYS` order."""

    item: str
    subject: str
    owner: str
    partner: str
    program: str
    theme: str
    model: str
    issue: str
    actions: str
    updates: str
    status: str
    priority: str
    start: str
    due_on: str
    completed: str


class _Row(NamedTuple):
    """A row read and normalised, waiting for its Action to be validated."""

    line: int
    action_id: str
    props: dict[str, Any]
    cells: _Cells
    model: Model | None
    owner: Owner | None
    partner: Named
    program: Named


class TrackerLoader(CellMemo):
    """Turns rows into staged records; holds the per-load memo of names and models."""

    def __init__(
        self, store: GraphStore, report: LoadReport, source_system: str, staged: Staged
    ) -> None:
        super().__init__(report, ModelIndex.from_store(store, staged))
        self.source_system = source_system
        self.staged = staged
        self.partners = KnownNames.from_store(store, "Partner", staged)
        self.programs = KnownNames.from_store(store, "Program", staged)
        self.people: set[str] = set()
        self.action_lines: dict[str, int] = {}
        self._named: dict[tuple[str, str], str] = {}
        self._columns: Columns | None = None
        self._pick: Any = None
        self._length = 0
        self._pending: list[_Row] = []

    # ---- one row ---------------------------------------------------------------------------

    def use_columns(self, cols: Columns) -> None:
        """Where this file's columns are; :meth:`load_cells` reads rows by it."""
        if cols is not self._columns:
            self._columns = cols
            self._length, self._pick = cols.picker()

    def load_cells(self, line: int, values: list[str]) -> None:
        """Read one record; its Action is validated and staged with the next batch (:meth:`flush`).

        ``values`` is modified (padded); :func:`stage_tracker` passes the reader's list.
        """
        row = self._cells(line, values)
        if row is None:
            return
        props, problems = self._parsed(line, row)
        if problems:
            self.report.reject(problems)
            return
        model, owner = self._model_and_owner(row, props)
        partner, program = self._partner_and_program(row, props)
        action_id = props["action_id"]
        self._pending.append(_Row(line, action_id, props, row, model, owner, partner, program))
        if len(self._pending) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        """Validate the pending rows' Actions in one call; stage the valid ones, in row order."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        checked = validator(_ACTION.name).records([r.props for r in pending])
        source = self.report.source
        for index, (row, props) in enumerate(zip(pending, checked.rows, strict=True)):
            if props is None:
                found = checked.problems[index]
                where = {"line": row.line, "source": source}
                self.report.reject([with_column(dataclasses.replace(p, **where)) for p in found])
            else:
                self._stage(row, props)

    def _cells(self, line: int, values: list[str]) -> _Cells | None:
        """The row's cells, padded or folded to the header; ``None`` for an elision row."""
        cols = self._columns
        assert cols is not None, "use_columns() first"
        # An elision row is '...' in every cell; the first cell settles almost every row.
        if _ELISION.match(values[0]) and all(_ELISION.match(c) for c in values):
            self.report.warn("row holds only '...' (an elision); skipped", line=line)
            return None
        n = len(values)
        if n > cols.width:
            values = self._fold_extra(values, cols, line)
            n = cols.width
        if n < self._length:
            values += [""] * (self._length - n)
        return _Cells(*map(str.strip, self._pick(values)))

    def _parsed(self, line: int, row: _Cells) -> tuple[dict[str, Any], list[Problem]]:
        """The Action's own properties from the row's text, dates and status cells."""
        problems: list[Problem] = []
        if not row.item:
            problems.append(
                self._problem("Item #", "Item # is empty: every row needs its tracker id", line)
            )
        title = row.actions or row.model
        if not title:
            problems.append(
                self._problem("Actions", "no title: both Actions and Model are empty", line)
            )
        props: dict[str, Any] = {}
        for memo, prop, column, cell in (
            (self._start_memo, "start_date", _START, row.start),
            (self._due_memo, "due_on", _DUE, row.due_on),
        ):
            if cell:
                date = memo[cell] if cell in memo else self._date(memo, cell)
                if type(date) is str:
                    problems.append(self._problem(column, date, line))
                else:
                    props[prop] = date
        completed = False
        if row.completed:
            done = self._completed_memo.get(row.completed) or self._completed(row.completed)
            if type(done) is str:
                problems.append(self._problem(_COMPLETED, done, line))
            else:
                completed, completed_on = done
                if completed_on is not None:
                    props["completed_on"] = completed_on
                props["completed"] = completed
        if problems:
            return props, problems
        props["action_id"] = ids.tracker_action_id(self.source_system, row.item, title)
        props["title"] = title
        props.update(self._status_and_priority(line, row, completed))
        props["source_system"] = self.source_system
        props["source_id"] = row.item
        for name in ("subject", "theme", "issue"):
            if getattr(row, name):
                props[name] = getattr(row, name)
        return props, problems

    def _status_and_priority(self, line: int, row: _Cells, completed: bool) -> dict[str, Any]:
        """Status and Priority as the ontology spells them; an unknown one is warned per row."""
        default = "Completed" if completed else _DEFAULT_STATUS
        status = self._status_memo.get(row.status) if row.status else default
        if status is None:
            status = self._enum(self._status_memo, _STATUS, row.status, "Status", line, default)
        priority = self._priority_memo.get(row.priority) if row.priority else _DEFAULT_PRIORITY
        if priority is None:
            priority = self._enum(
                self._priority_memo, _PRIORITY, row.priority, "Priority", line, _DEFAULT_PRIORITY
            )
        # None only if the ontology drops the default
        return {k: v for k, v in (("status", status), ("priority", priority)) if v is not None}

    def _model_and_owner(
        self, row: _Cells, props: dict[str, Any]
    ) -> tuple[Model | None, Owner | None]:
        model = None
        if row.model:
            model = self._model_memo.get(row.model) or self._model(row.model)
            props.update(model.props)
        owner = None
        if row.owner:
            known = self._owner_memo.get(row.owner, False)
            owner = self._owner(row.owner) if known is False else known
            if owner is not None:
                props.update(owner.props)
        return model, owner

    def _partner_and_program(self, row: _Cells, props: dict[str, Any]) -> tuple[Named, Named]:
        partner = self._partner_memo.get(row.partner) or self._named_cell(
            self.partners, self._partner_memo, row.partner
        )
        if partner.name is not None:
            props["partner_name"] = partner.name
        program = self._program_memo.get(row.program) or self._named_cell(
            self.programs, self._program_memo, row.program
        )
        if program.name is not None:
            props["program_code"] = program.name
        return partner, program

    def _stage(self, row: _Row, props: dict[str, Any]) -> None:
        """Stage a validated row's Action and what hangs off it (updates, links)."""
        staged, action_id, line = self.staged, row.action_id, row.line
        earlier = self.action_lines.get(action_id)
        if earlier is not None:
            self.report.warn(
                f"same Item # and title as line {earlier}; this row overrides it",
                line=line,
                field="Item #",
            )
        self.action_lines[action_id] = line
        aid = staged.add_object("Action", props)
        owner, partner, program, model = row.owner, row.partner, row.program, row.model
        if row.cells.updates:
            author = owner.person.email if owner is not None else None
            for position, body in enumerate(cells.split_updates(row.cells.updates)):
                update: dict[str, Any] = {
                    "update_id": ids.status_update_id(action_id, position, body),
                    "body": body,
                    "position": position,
                }
                if author:
                    update["author_email"] = author
                staged.add_link(
                    "daia-action-has-update", aid, staged.add_object("StatusUpdate", update)
                )
        if owner is not None:
            if owner.person.key not in self.people:
                self.people.add(owner.person.key)
                staged.add_object("Person", _person_props(owner.person))
            staged.add_link("daia-action-assigned-to", aid, owner.person_id)
        if partner.name:
            oid = partner.object_id or self._once("Partner", partner)
            staged.add_link("daia-action-with-partner", aid, oid)
        if program.name:
            oid = program.object_id or self._once("Program", program)
            staged.add_link("daia-action-in-program", aid, oid)
        if model is not None:
            if model.model_id is None:
                self.report.warn(
                    f"no ModelWork matches Model {row.cells.model!r}; not linked",
                    line=line,
                    field="Model",
                )
            else:
                staged.add_link("daia-action-about-model", aid, model.model_id)

    # ---- what a row holds, parsed once per distinct cell -------------------------------------

    def _problem(self, column: str, message: str, line: int) -> Problem:
        return Problem(message, field=column, line=line, source=self.report.source)

    def _fold_extra(self, values: list[str], cols: Columns, line: int) -> list[str]:
        """More cells than columns (unquoted commas): append the extras to the last column."""
        extra = [c for c in values[cols.width :] if c.strip()]
        last = cols.width - 1
        self.report.warn(
            f"{len(values)} cells for {cols.width} columns (unquoted commas?); "
            "extra cells appended to the last column",
            line=line,
            field=column_name(cols, last),
        )
        values = values[: cols.width]
        if extra:
            values[last] = ", ".join([values[last], *extra]) if values[last] else ", ".join(extra)
        return values

    def _once(self, object_type: str, named: Named) -> str:
        """Stage a Partner or Program once per load (rows repeat the same few names)."""
        key = named.name or ""
        oid = self._named.get((object_type, key))
        if oid is None:
            pk = ONTOLOGY.object_type(object_type).primary_key
            oid = self._named[(object_type, key)] = self.staged.add_object(object_type, {pk: key})
        named.object_id = oid
        return oid


def _person_props(person: cells.PersonRef) -> dict[str, Any]:
    props: dict[str, Any] = {"person_id": person.key, "name": person.name}
    if person.email:
        props["email"] = person.email
    if person.organisation:
        props["organisation"] = person.organisation
    return props


def stage_tracker(
    store: GraphStore,
    path: str | Path,
    report: LoadReport,
    *,
    source_system: str = DEFAULT_SOURCE_SYSTEM,
    progress: LoadProgress | None = None,
    staged: Staged | None = None,
) -> Staged:
    """Read and validate every row into ``staged``, writing nothing.

    Models, partners and programs are matched against the store and against
    what ``staged`` already holds (the demo stages several files, writes once).
    The garbage collector is paused meanwhile: every staged record stays alive.
    """
    path = Path(path)
    progress = progress or LoadProgress(enabled=False)
    with gc_paused():
        records = iter_rows(path)
        header = next(records, None)
        if header is None:
            raise LoaderError(f"{path} is empty: no header row found")
        cols = columns_of(CsvRow(*header), report)
        loader = TrackerLoader(
            store, report, source_system, staged if staged is not None else Staged()
        )
        loader.use_columns(cols)
        load_cells = loader.load_cells
        progress.phase("reading", None)
        for line, values in records:
            report.rows_read += 1
            load_cells(line, values)
            if report.rows_read % 2000 == 0:
                progress.advance(2000)
        loader.flush()
    return loader.staged


def load_tracker(
    store: GraphStore,
    path: str | Path,
    *,
    source_system: str = DEFAULT_SOURCE_SYSTEM,
    strict: bool = False,
    progress: LoadProgress | None = None,
    batch_size: int | None = BATCH_SIZE,
) -> LoadReport:
    """Load a tracker CSV; see the module docstring. Raises only when the file is unreadable."""
    report = LoadReport("tracker", str(path), strict=strict)
    progress = progress or LoadProgress(enabled=False)
    with gc_paused():
        staged = stage_tracker(store, path, report, source_system=source_system, progress=progress)
        report = write_staged(store, staged, report, progress, batch_size=batch_size)
        # Free the staged records while the collector is still paused: alive at the
        # resume, its first pass would walk every one of them only to find nothing
        # to collect.
        del staged
    return report
