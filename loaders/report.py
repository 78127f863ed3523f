"""What a load did, for people (a rich table) and for scripts (JSON).

Every loader (tracker CSV, work packages, JSONL, the MLflow sync) fills one
:class:`LoadReport`: bad rows become *problems* and the run goes on, doubtful
ones become *warnings*; only an unreadable source raises. This mirrors
DataHub's ``SourceReport`` so one row cannot sink a large load, yet nothing
is silently dropped.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.table import Table

from opencase.errors import Problem
from opencase.graph.store import WriteResult

#: How many problems/warnings the table shows; JSON always carries them all.
SHOWN = 20


def problem_dict(p: Problem) -> dict[str, Any]:
    """A problem as plain JSON: what a script needs to point at the cell."""
    return {
        "message": p.message,
        "source": p.source,
        "line": p.line,
        "record": p.record,
        "field": p.field,
    }


@dataclass
class LoadReport:
    """Counts, warnings and problems of one load (or one sync run).

    ``rejected`` counts input *records* (rows, JSONL lines) that were refused;
    ``created``/``updated``/``unchanged`` count *objects* as the store saw them,
    so loading the same input twice shows only ``unchanged`` the second time.
    """

    loader: str
    source: str
    rows_read: int = 0
    rejected: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_created: int = 0
    links_unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    strict: bool = False
    written: bool = False
    seconds: float = 0.0
    #: set when the load journal showed the store already holds this input's outcome
    #: (see :mod:`opencase.loaders.journal`): the file was not read again
    replayed_revision: int | None = None
    _started: float = field(default_factory=time.perf_counter, repr=False)

    # ---- filling ---------------------------------------------------------------------------

    def warn(
        self,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        record: int | None = None,
    ) -> None:
        self.warnings.append(
            Problem(message, field=field, line=line, source=self.source, record=record)
        )

    def reject(self, problems: list[Problem]) -> None:
        """One input record refused; its problems name line and field."""
        self.rejected += 1
        self.problems.extend(problems)

    def add(self, result: WriteResult) -> None:
        """Fold one batch's write result into the totals."""
        self.created += result.created
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.links_created += result.links_created
        self.links_unchanged += result.links_unchanged

    def merge(self, other: LoadReport) -> None:
        """Add another report's numbers (the demo runs several loads, shows one report)."""
        for name in (
            "rows_read",
            "rejected",
            "created",
            "updated",
            "unchanged",
            "links_created",
            "links_unchanged",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.warnings.extend(other.warnings)
        self.problems.extend(other.problems)
        self.written = self.written or other.written

    def finish(self) -> LoadReport:
        self.seconds = time.perf_counter() - self._started
        return self

    # ---- reading ---------------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        """False when any record was rejected: the CLI then exits non-zero."""
        return not self.problems and not self.rejected

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "loader": self.loader,
            "source": self.source,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "links_created": self.links_created,
            "links_unchanged": self.links_unchanged,
            "written": self.written,
            "strict": self.strict,
            "seconds": round(self.seconds, 3),
            "unchanged_since_revision": self.replayed_revision,
            "warnings": [problem_dict(p) for p in self.warnings],
            "problems": [problem_dict(p) for p in self.problems],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def __rich__(self) -> Group:
        """A summary table, then the first problems and warnings with line and field."""
        summary = Table(title=f"{self.loader}: {self.source}", title_justify="left")
        for name in (
            "read",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "links new",
            "links same",
            "seconds",
        ):
            summary.add_column(name, justify="right")
        summary.add_row(
            str(self.rows_read),
            str(self.created),
            str(self.updated),
            str(self.unchanged),
            f"[red]{self.rejected}[/]" if self.rejected else "0",
            str(self.links_created),
            str(self.links_unchanged),
            f"{self.seconds:.2f}",
        )
        parts: list[Any] = [summary]
        for title, items, style in (
            ("problems", self.problems, "red"),
            ("warnings", self.warnings, "yellow"),
        ):
            if items:
                parts.append(_problem_table(title, items, style))
        if self.replayed_revision is not None:
            parts.append(
                "[green]nothing to do: the store took this input in full and was not written "
                f"since (store revision {self.replayed_revision}); --force reads it again[/]"
            )
        if self.strict and self.problems and not self.written:
            parts.append("[red]--strict: nothing was written because of the problems above[/]")
        return Group(*parts)

    def print(self, console: Console) -> None:
        console.print(self)


def _problem_table(title: str, items: list[Problem], style: str) -> Table:
    more = f" (first {SHOWN} of {len(items)})" if len(items) > SHOWN else ""
    table = Table(title=f"[{style}]{title}[/]{more}", title_justify="left")
    several = len({p.source for p in items}) > 1  # the demo merges several files
    for name in ("file", "line", "field", "message") if several else ("line", "field", "message"):
        table.add_column(name)
    for p in items[:SHOWN]:
        where = p.line if p.line is not None else (f"#{p.record}" if p.record is not None else "")
        row = [str(where), p.field or "", p.message]
        table.add_row(*([Path(p.source or "").name, *row] if several else row))
    return table
