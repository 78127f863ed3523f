"""Tracker CSV -> Actions, StatusUpdates, People, Partners, Programs (seed 001 section 5).

One Action per non-blank row, keyed by ``ids.tracker_action_id`` so the same
row always lands on the same node. A row that cannot be loaded is reported
with its physical line and column and left out; the other rows load.
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
from .csvfile import CsvRow, read_records
from .known import KnownNames, ModelIndex
from .progress import LoadProgress
from .report import LoadReport
from .staging import BATCH_SIZE, Staged, gc_paused, write_staged
from .tracker_columns import ALL_COLUMNS, Columns, column_name, columns_of, with_column

DEFAULT_SOURCE_SYSTEM = "DAIA_ACTIONS"

_ELISION = re.compile(r"^\s*[.…]*\s*$")
_ACTION = ONTOLOGY.object_type("Action")
_STATUS = ONTOLOGY.enum_of(_ACTION.prop("status"))
_PRIORITY = ONTOLOGY.enum_of(_ACTION.prop("priority"))
_FAMILY = ONTOLOGY.enum_of(_ACTION.prop("ac_family"))
_DEFAULT_STATUS = _ACTION.prop("status").default
_DEFAULT_PRIORITY = _ACTION.prop("priority").default


class TrackerLoader:
    """Turns rows into staged records; holds the per-load memo of names and models."""

    def __init__(
        self, store: GraphStore, report: LoadReport, source_system: str, staged: Staged
    ) -> None:
        self.report = report
        self.source_system = source_system
        self.staged = staged
        self.models = ModelIndex.from_store(store, staged)
        self.partners = KnownNames.from_store(store, "Partner", staged)
        self.programs = KnownNames.from_store(store, "Program", staged)
        self.people: set[str] = set()
        self.action_lines: dict[str, int] = {}
        self._enum_memo: dict[tuple[str, str], str | None] = {}
        self._model_memo: dict[str, str | None] = {}
        self._named: dict[tuple[str, str], str] = {}

    # ---- one row ---------------------------------------------------------------------------

    def load_row(self, row: CsvRow, cols: Columns) -> None:
        line, problems = row.line, []
        values = list(row.cells)
        if all(_ELISION.match(c) for c in values):
            self.report.warn("row holds only '...' (an elision); skipped", line=line)
            return
        if len(values) > cols.width:
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
                values[last] = (
                    ", ".join([values[last], *extra]) if values[last] else ", ".join(extra)
                )

        cell = _Cell(cols.read(values))

        def bad(column: str, message: str) -> None:
            problems.append(Problem(message, field=column, line=line, source=self.report.source))

        source_id = cell("item")
        if not source_id:
            bad("Item #", "Item # is empty: every row needs its tracker id")
        model_cell = cell("model")
        title = cell("actions") or model_cell
        if not title:
            bad("Actions", "no title: both Actions and Model are empty")
        props: dict[str, Any] = {}
        for key, prop in (("start", "start_date"), ("dueon", "due_on")):
            if raw := cell(key):
                try:
                    props[prop] = cells.parse_date(raw)
                except ValueError as exc:
                    bad(ALL_COLUMNS[key], str(exc))
        completed = False
        if raw := cell("completed"):
            try:
                completed, props["completed_on"] = cells.parse_completed(raw)
                props["completed"] = completed
            except ValueError as exc:
                bad("Completed", str(exc))
        if problems:
            self.report.reject(problems)
            return
        status = self._enum(
            _STATUS, cell("status"), "Status", line, "Completed" if completed else _DEFAULT_STATUS
        )
        priority = self._enum(_PRIORITY, cell("priority"), "Priority", line, _DEFAULT_PRIORITY)
        action_id = ids.tracker_action_id(self.source_system, source_id, title)
        props.update(
            action_id=action_id,
            title=title,
            status=status,
            priority=priority,
            source_system=self.source_system,
            source_id=source_id,
            subject=cell("subject") or None,
            theme=cell("theme") or None,
            issue=cell("issue") or None,
        )
        model = cells.parse_model(model_cell) if model_cell else None
        if model is not None:
            family = _FAMILY.normalise(model.family) if model.family else None
            props.update(ac_family=family, ata_chapter=model.ata_chapter, model_name=model.name)
        person = cells.parse_person(cell("owner"))
        if person is not None:
            props.update(owner_name=cell("owner"), owner_email=person.email)
        partner = self.partners.canonical(cell("partner"))
        program = self.programs.canonical(cell("program"))
        props.update(partner_name=partner, program_code=program)
        props = {k: v for k, v in props.items() if v is not None}
        try:
            props = validate_properties(_ACTION, props, line=line, source=self.report.source)
        except ValidationError as exc:
            self.report.reject([with_column(p) for p in exc.problems])
            return
        self._stage(
            action_id, props, row, cell("updates"), model, model_cell, person, partner, program
        )

    def _stage(
        self,
        action_id: str,
        props: dict[str, Any],
        row: CsvRow,
        updates: str,
        model: cells.ModelRef | None,
        model_cell: str,
        person: cells.PersonRef | None,
        partner: str | None,
        program: str | None,
    ) -> None:
        staged, line = self.staged, row.line
        if action_id in self.action_lines:
            self.report.warn(
                f"same Item # and title as line {self.action_lines[action_id]}; "
                "this row overrides it",
                line=line,
                field="Item #",
            )
        self.action_lines[action_id] = line
        aid = staged.add_object("Action", props)
        for position, body in enumerate(cells.split_updates(updates)):
            update = {
                "update_id": ids.status_update_id(action_id, position, body),
                "body": body,
                "position": position,
            }
            if person is not None and person.email:
                update["author_email"] = person.email
            uid = staged.add_object("StatusUpdate", update)
            staged.add_link("daia-action-has-update", aid, uid)
        if person is not None:
            pid = ONTOLOGY.object_id("Person", person.key)
            if person.key not in self.people:
                self.people.add(person.key)
                staged.add_object("Person", _person_props(person))
            staged.add_link("daia-action-assigned-to", aid, pid)
        if partner:
            staged.add_link("daia-action-with-partner", aid, self._once("Partner", partner))
        if program:
            staged.add_link("daia-action-in-program", aid, self._once("Program", program))
        if model is not None:
            if model_cell not in self._model_memo:
                self._model_memo[model_cell] = self.models.find(model)
            mid = self._model_memo[model_cell]
            if mid is None:
                self.report.warn(
                    f"no ModelWork matches Model {model_cell!r}; not linked",
                    line=line,
                    field="Model",
                )
            else:
                staged.add_link("daia-action-about-model", aid, mid)

    def _once(self, object_type: str, key: str) -> str:
        """Stage a Partner or Program once per load (rows repeat the same few names)."""
        oid = self._named.get((object_type, key))
        if oid is None:
            pk = ONTOLOGY.object_type(object_type).primary_key
            oid = self._named[(object_type, key)] = self.staged.add_object(object_type, {pk: key})
        return oid

    def _enum(self, enum: Any, raw: str, column: str, line: int, default: str) -> str:
        if not raw:
            return default
        memo_key = (enum.name, raw)
        if memo_key not in self._enum_memo:
            self._enum_memo[memo_key] = enum.normalise(raw)
        value = self._enum_memo[memo_key]
        if value is None:
            self.report.warn(
                f"unknown {column.lower()} {raw!r}; using {default}", line=line, field=column
            )
            return default
        return value


class _Cell(dict[str, str]):
    """A row's cells by column key; a column the file lacks reads as ''."""

    def __call__(self, key: str) -> str:
        return self.get(key, "")


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
    """
    path = Path(path)
    progress = progress or LoadProgress(enabled=False)
    records = read_records(path)
    header = next(records, None)
    if header is None:
        raise LoaderError(f"{path} is empty: no header row found")
    cols = columns_of(header, report)
    loader = TrackerLoader(store, report, source_system, staged if staged is not None else Staged())
    progress.phase("reading", None)
    for row in records:
        report.rows_read += 1
        loader.load_row(row, cols)
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
    batch_size: int = BATCH_SIZE,
) -> LoadReport:
    """Load a tracker CSV; see the module docstring. Raises only when the file is unreadable."""
    report = LoadReport("tracker", str(path), strict=strict)
    progress = progress or LoadProgress(enabled=False)
    with gc_paused():
        staged = stage_tracker(store, path, report, source_system=source_system, progress=progress)
        return write_staged(store, staged, report, progress, batch_size=batch_size)
