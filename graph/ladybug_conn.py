"""One Ladybug database and connection, with every engine error mapped to ours.

All statements go through :class:`LadybugConnection` so that a raw
``RuntimeError`` never escapes: callers see a :class:`GraphStoreError` (or
:class:`StoreLockedError` when another process holds the file) with the
engine's reason and without the query text, the original chained as cause.

Ownership rule (the only concurrency on the embedded store): a thread owns the
connection while it holds :attr:`LadybugConnection.lock`, and only the owner
sends statements. Every method here takes the lock (it is re-entrant, so the
owner's own calls pass), which serialises API threads. A transaction belongs
to the thread that opened it and holds the lock from ``BEGIN`` to ``COMMIT`` or
``ROLLBACK``, so no other thread's statement can land inside it. No statement
runs on a thread of its own: the engine parallelises each statement itself.
Opening a transaction inside another is an error, never a silent join: code
that must run inside a caller's transaction asks :attr:`in_transaction`.
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

from opencase.errors import (
    GraphStoreError,
    StoreCapacityError,
    StoreInterruptedError,
    StoreLockedError,
    StoreUnavailableError,
    StoreValueError,
)

from . import ladybug_undo


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def map_error(exc: BaseException, path: str) -> GraphStoreError:
    """Our error for an engine error, in our words where we know the kind.

    Lock contention, a full buffer pool, an interrupted statement and a value
    the engine's bindings cannot convert get their own types, whose messages
    carry no engine text; anything else keeps the engine's reason (the API
    masks it behind an error id, the CLI shows it).
    """
    reason = _reason(exc)
    if reason.startswith("Transaction committed successfully"):
        # the write is durable but the engine's checkpoint after it failed: not a
        # statement to retry, and the engine's state is not one to reopen from
        return GraphStoreError(f"the embedded graph store failed after a commit: {reason}")
    if "buffer pool is full" in reason or "Unable to allocate memory" in reason:
        return StoreCapacityError(
            "the graph store ran out of memory for this statement",
            suggestion="ask for less at once, or give the store more memory "
            "(OPENCASE_BUFFER_POOL_MB)",
        )
    if reason.startswith("Interrupted"):
        return StoreInterruptedError(
            "the statement was stopped at the time limit",
            suggestion="ask for less: lower depth, maxNodes or first, or filter more",
        )
    if reason.startswith("Unable to cast Python instance"):
        return StoreValueError(
            "a value could not be passed to the graph store (text must be valid Unicode)",
            suggestion="remove unpaired surrogates (such as \\ud800) from the text",
        )
    if "Could not set lock" in reason:
        pid = re.search(r"PID (\d+)", reason)
        holder = f"process {pid.group(1)}" if pid else "another process"
        return StoreLockedError(
            f"the graph store {path} is held by {holder}",
            suggestion="stop the other process (e.g. a running `opencase serve`), or send the "
            "change through its API instead",
        )
    return GraphStoreError(f"the embedded graph store failed: {reason}")


#: The default page cache (MiB): enough for a 1M-object bulk load, small beside a server's RAM.
DEFAULT_BUFFER_POOL_MB = 2048


def buffer_pool_bytes() -> int:
    """The engine's page cache: ``$OPENCASE_BUFFER_POOL_MB``, else 2 GiB or a quarter of RAM.

    The cache is the largest part of a store's memory and the engine keeps the
    pages it has touched, so this one number bounds what a long-running server
    holds (docs/limits.md). The engine's own default reserves about 80% of
    RAM, which let a bulk load take most of a shared machine; a fixed size
    makes the server's footprint independent of the machine it lands on.
    """
    text = os.environ.get("OPENCASE_BUFFER_POOL_MB", "").strip()
    if text.isdigit():
        return max(64, int(text)) << 20
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        ram = 8 << 30
    return min(DEFAULT_BUFFER_POOL_MB << 20, ram // 4)


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
        self.read_only = read_only
        if read_only and ladybug_undo.interrupted_write(path):
            raise StoreUnavailableError(
                f"a write to {path} was interrupted while it committed",
                suggestion="open the store for writing once (e.g. `opencase serve`, or any load) "
                "to put it back as it was before that write",
            )
        if not read_only:
            ladybug_undo.restore_interrupted(path)
        #: the copy that undoes a commit with COPY if the process dies inside it
        self.undo = ladybug_undo.UndoCopy(path)
        self._timeout_ms = 0
        #: the engine failed a checkpoint after a commit (the data is in its log)
        self.checkpoint_failed = False
        self._open()
        self.lock = threading.RLock()
        self._in_tx = False

    def _open(self) -> None:
        try:
            self._db = ladybug.Database(
                self.path,
                read_only=self.read_only,
                buffer_pool_size=buffer_pool_bytes(),
                checkpoint_threshold=checkpoint_bytes(),
            )
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            raise map_error(exc, self.path) from exc
        if self._timeout_ms:
            self._conn.set_query_timeout(self._timeout_ms)

    def reopen(self) -> None:
        """Close the database and open it again: the engine gives back all its memory.

        The way out of a full buffer pool that the engine does not leave by
        itself: every committed write is on disk, and an open transaction
        (there is none between calls) would be rolled back.
        """
        with self.lock:
            if self._in_tx:
                raise GraphStoreError("cannot reopen the store inside a transaction")
            if self.checkpoint_failed:
                # closing the database after a failed checkpoint has left its file
                # unreadable; the write-ahead log replays it on the next start
                raise GraphStoreError("a checkpoint failed: the store is not reopened")
            conn, db = self._conn, self._db
            self._conn = self._db = None
            if conn is not None:
                conn.close()
            if db is not None:
                db.close()
            self._open()

    def _execute(self, query: str, params: Mapping[str, Any] | None) -> Any:
        if self._in_tx and query.startswith("COPY ") and not self.undo.armed:
            self.undo.arm()  # see ladybug_undo: the engine does not log COPYed rows
        try:
            return self._conn.execute(query, dict(params or {}))
        except RuntimeError as exc:
            if _reason(exc).startswith("Transaction committed successfully"):
                self.checkpoint_failed = True
            raise map_error(exc, self.path) from exc

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> Any:
        with self.lock:
            return self._execute(query, params)

    @contextlib.contextmanager
    def engine_threads(self, threads: int) -> Iterator[None]:
        """The owner's statements inside use at most ``threads`` engine threads (0: default).

        Set and restored on the owner's own thread around its own statements, so
        no other statement can run under the setting.
        """
        with self.lock:
            self._conn.set_max_threads_for_exec(threads)
            try:
                yield
            finally:
                self._conn.set_max_threads_for_exec(0)

    def interrupt(self) -> None:
        """Stop the statement running now, from any thread (no lock: it is held by that statement).

        The statement fails with :class:`StoreInterruptedError`; with no statement
        running this does nothing. The one call that may come from a thread that
        does not own the connection: it only raises the engine's interrupt flag.
        """
        conn = self._conn
        if conn is not None:
            conn.interrupt()

    def set_timeout(self, seconds: float | None) -> None:
        """Every later statement stops after ``seconds`` (None or 0: no limit)."""
        with self.lock:
            self._timeout_ms = int((seconds or 0) * 1000)
            self._conn.set_query_timeout(self._timeout_ms)

    def rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        with self.lock:
            result = self._execute(query, params)
            out = []
            while result.has_next():
                out.append(result.get_next())
            return out

    def arrow(self, query: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        with self.lock:
            result = self._execute(query, params)
            try:
                return result.get_as_arrow()
            except RuntimeError as exc:
                raise map_error(exc, self.path) from exc

    @property
    def in_transaction(self) -> bool:
        return self._in_tx

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all; never nested (see module doc)."""
        with self.lock:
            if self._in_tx:
                raise RuntimeError(
                    "a transaction is already open on this connection: run inside it "
                    "(check in_transaction) instead of opening another"
                )
            self.execute("BEGIN TRANSACTION")
            self._in_tx = True
            try:
                try:
                    yield
                except BaseException:
                    self._in_tx = False
                    with contextlib.suppress(RuntimeError):  # maybe rolled back already
                        self._conn.execute("ROLLBACK")
                    raise
                self._in_tx = False
                self.execute("COMMIT")
            finally:
                self.undo.drop()

    def close(self) -> None:
        with self.lock:
            conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
            self._conn = self._db = None
            if conn is not None:
                conn.close()
            if db is not None:
                db.close()
