"""COPY statements run on a second thread while the planning thread goes on.

A bulk load alternates two kinds of work: planning is Python (one core, holding
the GIL) and COPY is the engine's native code (which releases the GIL). Run one
after the other they add up; here the objects' COPY runs while the links are
planned. Statements still run one at a time on the connection (its engine
mutex) and in the order they were queued, inside the caller's transaction, so a
failure anywhere rolls every one of them back with it.
"""

from __future__ import annotations

import functools
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .ladybug_conn import LadybugConnection

_DONE = None
Item = tuple[str, Mapping[str, Any] | None] | threading.Event | Callable[[], None] | None


class BackgroundStatements:
    """Queued statements, run in order by one worker thread for the connection's holder."""

    def __init__(self, conn: LadybugConnection) -> None:
        self._conn = conn
        self._queue: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._work, name="opencase-copy", daemon=True)
        self._thread.start()

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> None:
        """Queue one statement; an earlier one's failure is raised here, as early as known."""
        if self._error is not None:
            raise self._error
        self._queue.put((query, params))

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if isinstance(item, threading.Event):
                item.set()  # everything queued before it has run
                continue
            if self._error is not None or self._stopped:
                continue  # after a failure nothing more runs; the caller rolls back
            try:
                if callable(item):
                    item()
                else:
                    self._conn.execute_for_holder(*item)
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc

    def engine_threads(self, threads: int) -> None:
        """Statements queued after this use at most ``threads`` engine threads (0: the default).

        Queued like a statement, so the ones before it keep the setting they were
        queued under, and no statement waits for the change.
        """
        if self._error is not None:
            raise self._error
        self._queue.put(functools.partial(self._conn.set_engine_threads, threads))

    def wait(self) -> None:
        """Wait until every statement queued so far has run (before reading what they wrote)."""
        reached = threading.Event()
        self._queue.put(reached)
        reached.wait()
        if self._error is not None:
            raise self._error

    def finish(self) -> None:
        """Wait for every queued statement; raise the first failure."""
        self._queue.put(_DONE)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        """Run nothing more; wait only for the statement under way (it cannot be cut short)."""
        self._stopped = True
        self._queue.put(_DONE)
        self._thread.join()


@contextmanager
def in_background(conn: LadybugConnection) -> Iterator[BackgroundStatements]:
    """Statements queued inside run on a worker; all have run (or raised) on leaving.

    Only inside a transaction, held by this thread: what the worker runs must
    roll back with everything else if the block (or a statement) fails.
    """
    with conn.lock:
        if not conn.in_transaction:
            raise RuntimeError("background statements need an open transaction")
        background = BackgroundStatements(conn)
        try:
            yield background
        except BaseException:
            background.abandon()
            raise
        background.finish()
