"""One Ladybug database and connection, with every engine error mapped to ours.

All statements go through :class:`LadybugConnection` so that a raw
``RuntimeError`` never escapes: callers see a :class:`GraphStoreError` (or
:class:`StoreLockedError` when another process holds the file) with the
engine's reason and without the query text, the original chained as cause.
A re-entrant lock serialises statements from API threads: a write transaction
must not interleave with another thread's statements on the same connection.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ladybug
import pyarrow as pa

from opencase.errors import GraphStoreError, StoreLockedError, StoreUnavailableError


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def map_error(exc: BaseException, path: str) -> GraphStoreError:
    """Our error for an engine error: lock contention gets its own type and advice."""
    reason = _reason(exc)
    if "Could not set lock" in reason:
        pid = re.search(r"PID (\d+)", reason)
        holder = f"process {pid.group(1)}" if pid else "another process"
        return StoreLockedError(
            f"the graph store {path} is held by {holder}",
            suggestion="stop the other process (e.g. a running `opencase serve`), or send the "
            "change through its API instead",
        )
    return GraphStoreError(f"the embedded graph store failed: {reason}")


def buffer_pool_bytes() -> int:
    """The engine's page cache: ``$OPENCASE_BUFFER_POOL_MB``, else a quarter of RAM, at most 8 GiB.

    The engine's own default reserves about 80% of RAM, which let a 1M-object
    load reach 13 GB RSS on a shared 24 GB machine. A 2 GiB cap held a
    1M-object load, but a long-lived store that had taken many small write
    transactions once failed with "buffer pool is full" at 2 GiB (a fuzz test
    in the full suite), so the default keeps more headroom.
    """
    text = os.environ.get("OPENCASE_BUFFER_POOL_MB", "").strip()
    if text.isdigit():
        return max(64, int(text)) << 20
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        ram = 8 << 30
    return min(8192 << 20, ram // 4)


#: WAL size at which the engine checkpoints on its own (see :func:`checkpoint_bytes`).
CHECKPOINT_KB = 256


def checkpoint_bytes() -> int:
    """The WAL size at which a commit checkpoints: ``$OPENCASE_CHECKPOINT_KB`` or the default.

    Why small: until a checkpoint the engine keeps memory for every committed
    write transaction, many times the bytes it appends to the WAL, so a server
    taking one small action after another grows with each one under the
    engine's own threshold. Checkpointing at a small WAL keeps that memory
    bounded; a bulk load is one transaction and checkpoints at its commit anyway.
    """
    text = os.environ.get("OPENCASE_CHECKPOINT_KB", "").strip()
    kb = int(text) if text.isdigit() else CHECKPOINT_KB
    return max(16, kb) << 10


class LadybugConnection:
    """A database file opened once per process, with a serialising lock."""

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        parent = os.path.dirname(os.path.abspath(path))
        if not read_only:
            os.makedirs(parent, exist_ok=True)
        elif not os.path.exists(path):
            raise StoreUnavailableError(
                f"no graph store at {path}",
                suggestion="create it with `opencase store install` or load data first",
            )
        try:
            self._db = ladybug.Database(
                path,
                read_only=read_only,
                buffer_pool_size=buffer_pool_bytes(),
                checkpoint_threshold=checkpoint_bytes(),
            )
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            raise map_error(exc, path) from exc
        self.lock = threading.RLock()
        # One statement at a time, whichever thread runs it: the lock holder, or a
        # thread working for it (see :mod:`opencase.graph.ladybug_background`).
        self._engine = threading.Lock()
        self._in_tx = False

    def _execute(self, query: str, params: Mapping[str, Any] | None) -> Any:
        try:
            return self._conn.execute(query, dict(params or {}))
        except RuntimeError as exc:
            raise map_error(exc, self.path) from exc

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> Any:
        with self.lock, self._engine:
            return self._execute(query, params)

    @contextlib.contextmanager
    def engine_threads(self, threads: int) -> Iterator[None]:
        """Statements inside use at most ``threads`` engine threads (0: the engine's default)."""
        with self.lock:
            self.set_engine_threads(threads)
            try:
                yield
            finally:
                self.set_engine_threads(0)

    def set_engine_threads(self, threads: int) -> None:
        """Statements from now on use at most ``threads`` engine threads (0: the engine's default).

        Inside :meth:`engine_threads`, which restores the default when it ends.
        """
        with self._engine:
            self._conn.set_max_threads_for_exec(threads)

    def execute_for_holder(self, query: str, params: Mapping[str, Any] | None = None) -> Any:
        """A statement from a thread that works for the thread holding :attr:`lock`."""
        with self._engine:
            return self._execute(query, params)

    def rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        with self.lock, self._engine:
            result = self._execute(query, params)
            out = []
            while result.has_next():
                out.append(result.get_next())
            return out

    def arrow(self, query: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        with self.lock, self._engine:
            result = self._execute(query, params)
            try:
                return result.get_as_arrow()
            except RuntimeError as exc:
                raise map_error(exc, self.path) from exc

    def dicts(self, query: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.arrow(query, params).to_pylist()

    @property
    def in_transaction(self) -> bool:
        return self._in_tx

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all."""
        with self.lock:
            if self._in_tx:  # nested: the outer transaction decides
                yield
                return
            self.execute("BEGIN TRANSACTION")
            self._in_tx = True
            try:
                yield
            except BaseException:
                self._in_tx = False
                with self._engine, contextlib.suppress(RuntimeError):  # maybe rolled back
                    self._conn.execute("ROLLBACK")
                raise
            self._in_tx = False
            self.execute("COMMIT")

    def close(self) -> None:
        with self.lock, self._engine:
            conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
            self._conn = self._db = None
            if conn is not None:
                conn.close()
            if db is not None:
                db.close()
