"""Runs the blocking store calls off the event loop, one at a time, under a deadline.

The embedded store is one connection in one process: calls are serialised on
a single worker thread, which also keeps the event loop free for websockets
and health checks while a long traversal runs. A call that outlives the
request's deadline is abandoned with a clear error (the request timeout).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from opencase.graph.store import GraphStore

from .errors import RequestTimeoutError

T = TypeVar("T")


class StoreRunner:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opencase-store")

    async def call(
        self, fn: Callable[..., T], *args: Any, deadline: float | None = None, **kwargs: Any
    ) -> T:
        loop = asyncio.get_running_loop()
        if deadline is not None and deadline <= loop.time():
            raise RequestTimeoutError()  # already late: the store is not even asked
        future = loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))
        if deadline is None:
            return await future
        remaining = deadline - loop.time()
        try:
            if remaining <= 0:
                raise TimeoutError
            return await asyncio.wait_for(future, remaining)
        except TimeoutError:
            raise RequestTimeoutError() from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
