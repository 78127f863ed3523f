"""Tracker CSV -> Actions, StatusUpdates, People, Partners, Programs (seed 001 section 5).

One Action per non-blank row, keyed by ``ids.tracker_action_id`` so the same
row always lands on the same node. A row that cannot be loaded is reported
with its physical line and column and left out; the other rows load.

Speed (100k rows must read and validate in a second or two): trackers repeat
a few statuses, owners, partners, programs, models and dates over and over,
so each distinct cell is parsed, normalised and validated once per load and
remembered (:mod:`opencase.loaders.tracker_cells`); only the free text (Item #,
titles, notes) is handled per row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from opencase.errors import LoaderError, Problem, ValidationError
from opencase.graph.store import GraphStore
from opencase.ontology import ONTOLOGY, ids
from opencase.ontology.validation import validate_properties

from . import cells
from .csvfile import CsvRow, iter_rows
from .fastcheck import ValueCheck
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
#: Action properties filled per row from free text; the fast path needs them unconstrained.
_FREE_TEXT = ("action_id", "title", "source_id", "subject", "theme", "issue")
#: What every staged Action has; the fast path needs every required property among them.
_ALWAYS = frozenset({"action_id", "title", "source_id", "source_system", "status"})
_START, _DUE, _COMPLETED = ALL_COLUMNS["start"], ALL_COLUMNS["dueon"], ALL_COLUMNS["completed"]


class TrackerLoader(CellMemo):
    """Turns rows into staged records; holds the per-load memo of names and models."""

    def __init__(
        self, store: GraphStore, report: LoadReport, source_system: str, staged: Staged
    ) -> None:
        super().__init__(report, ValueCheck(_ACTION), ModelIndex.from_store(store, staged))
        self.source_system = source_system
        self.staged = staged
        self.partners = KnownNames.from_store(store, "Partner", staged)
        self.programs = KnownNames.from_store(store, "Program", staged)
        self.people: set[str] = set()
        self.action_lines: dict[str, int] = {}
        # The per-row fast path holds only while the free-text properties take any
        # stripped text and the source system is valid; else every row is validated.
        self._fast = (
            all(self._check.plain(n) for n in _FREE_TEXT)
            and self._check.accepts("source_system", source_system)
            and all(p.name in _ALWAYS for p in _ACTION.properties if p.required)
        )
        self._named: dict[tuple[str, str], str] = {}
        self._columns: Columns | None = None
        self._pick: Any = None
        self._length = 0

    # ---- one row ---------------------------------------------------------------------------

    def load_row(self, row: CsvRow, cols: Columns) -> None:
        """Stage one record (or report it); see :meth:`load_cells`."""
        self.use_columns(cols)
        self.load_cells(row.line, list(row.cells))

    def use_columns(self, cols: Columns) -> None:
        """Where this file's columns are; :meth:`load_cells` reads rows by it."""
        if cols is not self._columns:
            self._columns = cols
            self._length, self._pick = cols.picker()

    def load_cells(self, line: int, values: list[str]) -> None:
        """Stage the Action of one non-blank record and what hangs off it, or report it.

        ``values`` is modified (padded); :func:`stage_tracker` passes the reader's list.
        """
        cols = self._columns
        assert cols is not None, "use_columns() first"
        # An elision row is '...' in every cell; the first cell settles almost every row.
        if _ELISION.match(values[0]) and all(_ELISION.match(c) for c in values):
            self.report.warn("row holds only '...' (an elision); skipped", line=line)
            return
        n = len(values)
        if n > cols.width:
            values = self._fold_extra(values, cols, line)
            n = cols.width
        if n < self._length:
            values += [""] * (self._length - n)
        (
            item,
            subject,
            owner,
            partner_cell,
            program_cell,
            theme,
            model_cell,
            issue,
            actions,
            updates,
            status_cell,
            priority_cell,
            start,
            due_on,
            completed_cell,
        ) = map(str.strip, self._pick(values))

        problems: list[Problem] = []
        if not item:
            problems.append(
                self._problem("Item #", "Item # is empty: every row needs its tracker id", line)
            )
        title = actions or model_cell
        if not title:
            problems.append(
                self._problem("Actions", "no title: both Actions and Model are empty", line)
            )
        props: dict[str, Any] = {}
        valid = self._fast
        for memo, prop, column, cell in (
            (self._start_memo, "start_date", _START, start),
            (self._due_memo, "due_on", _DUE, due_on),
        ):
            if cell:
                date = memo.get(cell) or self._date(memo, prop, cell)
                if type(date) is str:
                    problems.append(self._problem(column, date, line))
                else:
                    props[prop], ok = date
                    valid = valid and ok
        completed = False
        if completed_cell:
            done = self._completed_memo.get(completed_cell) or self._completed(completed_cell)
            if type(done) is str:
                problems.append(self._problem(_COMPLETED, done, line))
            else:
                completed, completed_on, ok = done
                if completed_on is not None:
                    props["completed_on"] = completed_on
                props["completed"] = completed
                valid = valid and ok
        if problems:
            self.report.reject(problems)
            return

        # A memo holds the known spellings only: an unknown one (None) is warned per row.
        default = "Completed" if completed else _DEFAULT_STATUS
        status = self._status_memo.get(status_cell) if status_cell else default
        if status is None:
            status = self._enum(self._status_memo, _STATUS, status_cell, "Status", line, default)
        priority = self._priority_memo.get(priority_cell) if priority_cell else _DEFAULT_PRIORITY
        if priority is None:
            priority = self._enum(
                self._priority_memo, _PRIORITY, priority_cell, "Priority", line, _DEFAULT_PRIORITY
            )
        valid = (
            valid
            and (self._status_ok.get(status) or self._enum_ok(self._status_ok, "status", status))
            and (
                self._priority_ok.get(priority)
                or self._enum_ok(self._priority_ok, "priority", priority)
            )
        )
        action_id = ids.tracker_action_id(self.source_system, item, title)
        props["action_id"] = action_id
        props["title"] = title
        if status is not None:  # None only if the ontology drops the default
            props["status"] = status
        if priority is not None:
            props["priority"] = priority
        props["source_system"] = self.source_system
        props["source_id"] = item
        if subject:
            props["subject"] = subject
        if theme:
            props["theme"] = theme
        if issue:
            props["issue"] = issue
        model = None
        if model_cell:
            model = self._model_memo.get(model_cell) or self._model(model_cell)
            props.update(model.props)
            valid = valid and model.valid
        person = None
        if owner:
            known = self._owner_memo.get(owner, False)
            person = self._owner(owner) if known is False else known
            if person is not None:
                props.update(person.props)
                valid = valid and person.valid
        partner = self._partner_memo.get(partner_cell) or self._named_cell(
            self.partners, self._partner_memo, partner_cell, "partner_name"
        )
        if partner.name is not None:
            props["partner_name"] = partner.name
        program = self._program_memo.get(program_cell) or self._named_cell(
            self.programs, self._program_memo, program_cell, "program_code"
        )
        if program.name is not None:
            props["program_code"] = program.name
        valid = valid and partner.valid and program.valid
        if not valid:
            # Something is not known to pass: the full validation decides, and names it.
            try:
                props = validate_properties(_ACTION, props, line=line, source=self.report.source)
            except ValidationError as exc:
                self.report.reject([with_column(p) for p in exc.problems])
                return
        self._stage(action_id, props, line, updates, model, model_cell, person, partner, program)

    def _stage(
        self,
        action_id: str,
        props: dict[str, Any],
        line: int,
        updates: str,
        model: Model | None,
        model_cell: str,
        owner: Owner | None,
        partner: Named,
        program: Named,
    ) -> None:
        staged = self.staged
        earlier = self.action_lines.get(action_id)
        if earlier is not None:
            self.report.warn(
                f"same Item # and title as line {earlier}; this row overrides it",
                line=line,
                field="Item #",
            )
        self.action_lines[action_id] = line
        aid = staged.add_object("Action", props)
        if updates:
            author = owner.person.email if owner is not None else None
            add_object, add_link = staged.add_object, staged.add_link
            for position, body in enumerate(cells.split_updates(updates)):
                update: dict[str, Any] = {
                    "update_id": ids.status_update_id(action_id, position, body),
                    "body": body,
                    "position": position,
                }
                if author:
                    update["author_email"] = author
                add_link("daia-action-has-update", aid, add_object("StatusUpdate", update))
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
                    f"no ModelWork matches Model {model_cell!r}; not linked",
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
        # resume, its first pass would walk every one of them (a third of a second
        # at 100k rows) only to find nothing to collect.
        del staged
    return report
