"""A progress bar that appears only when a load takes long enough to wonder about.

It draws on stderr so ``--json`` output on stdout stays machine-readable, and
it starts after :data:`DELAY` seconds so short loads (tests, the demo) print
nothing but their report.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

DELAY = 1.0


class LoadProgress:
    """Counts steps of named phases (read, write); shows a bar once a second has passed."""

    def __init__(self, *, enabled: bool = True, console: Console | None = None) -> None:
        self._enabled = enabled
        self._console = console or Console(stderr=True)
        self._started = time.perf_counter()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._phase = ""
        self._total: float | None = None
        self._done = 0.0

    def __enter__(self) -> LoadProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def phase(self, name: str, total: float | None) -> None:
        """Start counting a new phase (e.g. ``writing``) with a known or unknown total."""
        self._phase, self._total, self._done = name, total, 0.0
        if self._progress is not None:
            self._task = self._progress.add_task(name, total=total)
        self._tick()

    def stage(self, text: str) -> None:
        """Say what the current phase is doing now (e.g. the store "committing")."""
        self._tick()
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=f"{self._phase}: {text}")

    def advance(self, steps: float = 1) -> None:
        self._done += steps
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=self._done)
        else:
            self._tick()

    def _tick(self) -> None:
        if not self._enabled or self._progress is not None:
            return
        if time.perf_counter() - self._started < DELAY:
            return
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task(self._phase, total=self._total)
        self._progress.update(self._task, completed=self._done)
