"""Runs the blocking store calls off the event loop, one at a time, under a deadline.

The embedded store is one connection in one process: calls are serialised on
a single worker thread, which also keeps the event loop free for websockets
and health checks while a long traversal runs. A call that outlives the
request's deadline is abandoned with a clear error (the request timeout).

One exception: a lineage answered from the store's in-memory snapshot takes
a few milliseconds, and handing it to the worker and back cost a tenth of
that again (two thread wake-ups after idle waits, measured 0.35-0.45 ms per
request at 100k objects). So a method in :data:`INLINE_METHODS` runs on the
event loop itself when the worker has nothing queued or running and its
previous call took at most :data:`INLINE_BUDGET_S`: no longer than the loop
is already held completing a nested listing. Any call that may write (an
action, or a method not known to be a read) makes every such method go back
to the worker until it has been quick there again, because a write makes the
next lineage rebuild the snapshot or walk the store. Either way the answer
is the store's; only the thread it is computed on differs.

A call still running on the worker when its deadline passes is stopped, not
left to finish: the runner interrupts the store's running statement (again,
until the call ends, since a call may run several), so the next request is
served at once. A call that has not started yet is cancelled. A call that
fails because the store ran out of memory makes the worker have the store
give its memory back (``GraphStore.recover``) before it runs the next call.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from opencase.errors import StoreCapacityError
from opencase.graph.store import GraphStore

from .errors import RequestTimeoutError

T = TypeVar("T")
log = logging.getLogger("opencase.api")

#: Store methods the API calls by name that only read.
READ_METHODS = frozenset(
    {
        "get",
        "get_one",
        "list",
        "neighbours",
        "search",
        "lineage",
        "lineage_columns",
        "impact",
        "shortest_path",
        "aggregate",
        "probe",
    }
)
#: Reads that may run on the event loop (see the module docstring).
INLINE_METHODS = frozenset({"lineage", "lineage_columns"})
#: How long the previous call of such a method may have taken for the next to run inline.
INLINE_BUDGET_S = 0.010
#: How often an abandoned call's statement is interrupted until the call ends, and how long.
INTERRUPT_EVERY_S = 0.05
INTERRUPT_FOR_S = 30.0


class StoreRunner:
    def __init__(self, store: GraphStore, *, inline_budget_s: float = INLINE_BUDGET_S) -> None:
        self.store = store
        self.inline_budget_s = inline_budget_s
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opencase-store")
        #: calls handed to the worker that may not have ended (run, or cancelled unstarted);
        #: a call abandoned at its deadline still runs there, and still counts
        self._pending: list[Future[Any]] = []
        #: inline methods whose last call was quick, with no write since (worker order)
        self._quick: set[str] = set()
        #: the worker's call running now (set and cleared on the worker)
        self._running: Future[Any] | None = None
        #: tasks interrupting abandoned calls (held so that they are not collected)
        self._stoppers: set[asyncio.Task[None]] = set()

    async def call(
        self, fn: Callable[..., T], *args: Any, deadline: float | None = None, **kwargs: Any
    ) -> T:
        """Run ``fn`` (which may write) on the worker."""
        writing = functools.partial(self._writing, fn, *args, **kwargs)
        return await self._on_worker(writing, deadline)

    async def call_method(
        self, method: str, *args: Any, deadline: float | None = None, **kwargs: Any
    ) -> Any:
        """Run the store's ``method``: on the worker, or inline if it is a quick read."""
        fn = getattr(self.store, method)
        if method not in READ_METHODS:
            return await self.call(fn, *args, deadline=deadline, **kwargs)
        if method not in INLINE_METHODS:
            return await self._on_worker(functools.partial(fn, *args, **kwargs), deadline)
        timed = functools.partial(self._timed, method, fn, *args, **kwargs)
        if method in self._quick and self._idle():
            return self._inline(timed, deadline)
        return await self._on_worker(timed, deadline)

    def _idle(self) -> bool:
        """Whether the worker has nothing queued or running (forgetting the calls that ended)."""
        pending = self._pending
        if pending:
            pending[:] = [f for f in pending if not f.done()]
        return not pending

    def _inline(self, fn: Callable[[], T], deadline: float | None) -> T:
        loop = asyncio.get_running_loop()
        if deadline is not None and deadline <= loop.time():
            raise RequestTimeoutError()  # already late: the store is not even asked
        result = fn()
        if deadline is not None and deadline <= loop.time():
            raise RequestTimeoutError()  # as the worker's caller would have given up
        return result

    async def _on_worker(self, fn: Callable[[], T], deadline: float | None) -> T:
        loop = asyncio.get_running_loop()
        if deadline is not None and deadline <= loop.time():
            raise RequestTimeoutError()  # already late: the store is not even asked
        submitted: Future[T] = Future()
        # what loop.run_in_executor does, keeping the future and knowing which call runs
        self._pool.submit(self._run, submitted, fn)
        self._idle()  # forget the calls that ended, so that the list stays short
        self._pending.append(submitted)
        future = asyncio.wrap_future(submitted, loop=loop)
        if deadline is None:
            return await future
        remaining = deadline - loop.time()
        try:
            if remaining <= 0:
                raise TimeoutError
            return await asyncio.wait_for(future, remaining)
        except TimeoutError:
            self._abandon(submitted)
            raise RequestTimeoutError() from None

    def _run(self, future: Future[T], fn: Callable[[], T]) -> None:
        """On the worker: ``fn``'s outcome into ``future``, unless it was cancelled first."""
        if not future.set_running_or_notify_cancel():
            return
        self._running = future
        try:
            result = fn()
        except StoreCapacityError as exc:
            self._recover()
            future.set_exception(exc)
        except BaseException as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
        finally:
            self._running = None

    def _recover(self) -> None:
        """After the store ran out of memory: give it back before the next call runs."""
        try:
            self.store.recover()
        except Exception:
            log.exception("the store could not recover from running out of memory")
        else:
            log.warning("the store ran out of memory; it was reopened to give the memory back")

    def _abandon(self, future: Future[Any]) -> None:
        """Cancel ``future`` if it has not started, else interrupt it until it ends."""
        if future.cancel() or future.done():
            return
        task = asyncio.get_running_loop().create_task(self._interrupt(future))
        self._stoppers.add(task)
        task.add_done_callback(self._stoppers.discard)

    async def _interrupt(self, future: Future[Any]) -> None:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + INTERRUPT_FOR_S
        while not future.done() and loop.time() < give_up:
            if self._running is future:  # never another call's statement
                self.store.interrupt()
            await asyncio.sleep(INTERRUPT_EVERY_S)

    def _timed(self, method: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        if time.perf_counter() - start <= self.inline_budget_s:
            self._quick.add(method)
        else:
            self._quick.discard(method)
        return result

    def _writing(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        finally:
            self._quick.clear()

    def close(self) -> None:
        """Let the running call finish, refuse queued and later ones.

        The running call is a request being answered (a server stops gracefully:
        its clients get their answers) and the statement time limit bounds how
        long it takes, so it is not interrupted here.
        """
        for task in list(self._stoppers):
            task.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
