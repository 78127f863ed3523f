"""Take OpenLineage events into the graph: from the HTTP endpoint or from an events file.

Both paths check every event against the spec first (:mod:`.spec`), map the
good ones (:mod:`.mapping`) and write them with one ``upsert``, so a batch is
written whole or not at all. The HTTP endpoint refuses a batch with any bad
event (the client retries it whole); the file loader reports each bad line and
loads the others, unless ``--strict``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from opencase.errors import LoaderError, Problem, ValidationError
from opencase.graph.store import GraphStore, WriteBatch

from ..progress import LoadProgress
from ..report import LoadReport
from ..staging import BATCH_SIZE, Staged, load_file
from .mapping import EventMapper
from .spec import SpecProblem, check_event


class EventsRejected(ValidationError):
    """A batch of events that the spec refuses; ``spec_problems`` carry their JSON paths."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        self.spec_problems = problems
        super().__init__(
            [Problem(p.message, field=p.path) for p in problems],
            suggestion="fix the events named by their JSON path and send them again; "
            "nothing of this batch was written",
        )


def ingest_events(store: GraphStore, payload: Any) -> LoadReport:
    """One request's events (a single event or a JSON array): all written, or none.

    Raises :class:`EventsRejected` when any event breaks the spec.
    """
    events = payload if isinstance(payload, list) else [payload]
    problems: list[SpecProblem] = []
    for index, event in enumerate(events):
        problems += check_event(event, f"$[{index}]" if isinstance(payload, list) else "$")
    if problems:
        raise EventsRejected(problems)
    report = LoadReport("openlineage", "http")
    report.rows_read = len(events)
    mapper = EventMapper(store)
    mapper.prepare(events)
    for event in events:
        mapper.add(event)
    # a request is a small write: one ordinary transaction, not the bulk path's COPY
    staged = mapper.staged
    report.add(store.write(WriteBatch(list(staged.objects.values()), list(staged.links.values()))))
    report.written = True
    return report.finish()


def load_openlineage(
    store: GraphStore,
    path: str | Path,
    *,
    strict: bool = False,
    progress: LoadProgress | None = None,
    batch_size: int | None = BATCH_SIZE,
) -> LoadReport:
    """An events file (JSON lines, or one JSON array); each bad line reported, the rest load."""
    report = LoadReport("openlineage", str(path), strict=strict)
    return load_file(store, path, report, stage_openlineage, progress, batch_size)


def stage_openlineage(
    store: GraphStore, path: str | Path, report: LoadReport, staged: Staged | None = None
) -> Staged:
    """An events file's good events, staged beside other loaders' records (the demo graph).

    A dataset the other staged records know under the same URI is the same object.
    """
    mapper = EventMapper(store, staged if staged is not None else Staged())
    good = []
    for line, event in _events(Path(path)):
        report.rows_read += 1
        where = {"line": line, "source": report.source}
        if isinstance(event, ValueError):
            report.reject([Problem(str(event), **where)])
            continue
        found = check_event(event)
        if found:
            report.reject([Problem(p.message, field=p.path, **where) for p in found])
            continue
        good.append(event)
    mapper.prepare(good)
    for event in good:
        mapper.add(event)
    return mapper.staged


def _events(path: Path) -> Iterator[tuple[int, Any]]:
    """(line, event or the ValueError that line raised) for a JSON-lines or JSON-array file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoaderError(
            f"cannot read {path}: {exc}", suggestion="check the file's path and encoding (UTF-8)"
        ) from exc
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            yield exc.lineno, ValueError(f"invalid JSON: {exc.msg}")
            return
        for item in items:
            yield 1, item
        return
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, ValueError(f"invalid JSON at column {exc.colno}: {exc.msg}")
