"""The store runner (api/runner.py): one thread, calls in order, deadlines, give-ups.

Every call reaches the real seeded store. A call is held inside the runner's
thread by an event the test sets, so a deadline always passes while it is
held: the tests never depend on how fast anything runs, only on order.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.api.errors import RequestTimeoutError
from opencase.api.runner import StoreRunner
from opencase.errors import ValidationError
from opencase.graph import GraphStore
from opencase.graph.store import Lineage, LineageColumns

ENGINE = "model-work:A350:72:engine-health"


class Gate:
    """Store calls that note what reached the store; ``hold`` waits for ``release``."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.entered = threading.Event()
        self.release = threading.Event()
        self.ran: list[str] = []

    def hold(self, mark: str) -> Lineage:
        self.entered.set()
        self.release.wait(timeout=60)
        return self.lineage(mark)

    def lineage(self, mark: str) -> Lineage:
        self.ran.append(mark)
        return self.store.lineage(ENGINE, depth=1)


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


@pytest.fixture
def runner(seeded_store: GraphStore) -> Any:
    r = StoreRunner(seeded_store)
    yield r
    r.close()


def test_calls_answer_as_the_store_does_on_one_thread_in_order(
    runner: StoreRunner, seeded_store: GraphStore
) -> None:
    async def main() -> tuple[Lineage, list[str]]:
        deadline = asyncio.get_running_loop().time() + 60
        got = await runner.call(seeded_store.lineage, ENGINE, depth=2, deadline=deadline)
        names = await asyncio.gather(
            *(runner.call(lambda: threading.current_thread().name) for _ in range(5))
        )
        return got, names

    got, names = _run(main())
    assert got == seeded_store.lineage(ENGINE, depth=2)
    assert len(set(names)) == 1 and names[0].startswith("opencase-store")
    assert threading.current_thread().name not in names

    gate = Gate(seeded_store)

    async def ordered() -> None:
        await asyncio.gather(*(runner.call(gate.lineage, str(i)) for i in range(8)))

    _run(ordered())
    assert gate.ran == [str(i) for i in range(8)]


def test_store_errors_reach_the_caller_as_they_are(
    runner: StoreRunner, seeded_store: GraphStore
) -> None:
    async def main() -> None:
        await runner.call(seeded_store.lineage, ENGINE, link_types=["no-such-link"])

    with pytest.raises(ValidationError, match="no-such-link"):
        _run(main())
    # and the runner goes on
    assert _run(_call(runner, seeded_store.lineage, ENGINE)) == seeded_store.lineage(ENGINE)


async def _call(runner: StoreRunner, fn: Any, *args: Any) -> Any:
    return await runner.call(fn, *args, deadline=asyncio.get_running_loop().time() + 60)


def test_a_call_past_its_deadline_times_out_and_the_runner_goes_on(
    runner: StoreRunner, seeded_store: GraphStore
) -> None:
    gate = Gate(seeded_store)

    async def main() -> Lineage:
        loop = asyncio.get_running_loop()
        with pytest.raises(RequestTimeoutError):
            await runner.call(gate.hold, "held", deadline=loop.time() + 0.05)
        gate.release.set()  # the held call finishes in the thread; its answer is dropped
        return await runner.call(gate.lineage, "next", deadline=loop.time() + 60)

    after = _run(main())
    assert gate.ran == ["held", "next"]
    assert after == seeded_store.lineage(ENGINE, depth=1)


def test_a_deadline_already_past_never_reaches_the_store(
    runner: StoreRunner, seeded_store: GraphStore
) -> None:
    gate = Gate(seeded_store)

    async def main() -> None:
        with pytest.raises(RequestTimeoutError):
            await runner.call(gate.lineage, "late", deadline=asyncio.get_running_loop().time())

    _run(main())
    _run(_call(runner, gate.lineage, "then"))
    assert gate.ran == ["then"]


def test_calls_given_up_before_they_start_are_skipped(
    runner: StoreRunner, seeded_store: GraphStore
) -> None:
    gate = Gate(seeded_store)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        held = asyncio.ensure_future(runner.call(gate.hold, "held"))
        await loop.run_in_executor(None, gate.entered.wait, 60)
        # queued behind the held call: its deadline passes before it could start
        with pytest.raises(RequestTimeoutError):
            await runner.call(gate.lineage, "expired", deadline=loop.time() + 0.05)
        # queued too, and its caller is cancelled
        cancelled = asyncio.ensure_future(runner.call(gate.lineage, "cancelled"))
        await asyncio.sleep(0)
        cancelled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        gate.release.set()
        assert (await held).nodes
        await runner.call(gate.lineage, "after")

    _run(main())
    assert gate.ran == ["held", "after"]


def test_close_finishes_the_running_call_and_takes_no_more(seeded_store: GraphStore) -> None:
    runner = StoreRunner(seeded_store)
    gate = Gate(seeded_store)

    async def main() -> Lineage:
        loop = asyncio.get_running_loop()
        held = asyncio.ensure_future(runner.call(gate.hold, "held"))
        await loop.run_in_executor(None, gate.entered.wait, 60)
        closing = loop.run_in_executor(None, runner.close)
        gate.release.set()
        await closing
        return await held

    assert _run(main()).nodes
    runner.close()  # twice is fine
    with pytest.raises(RuntimeError, match="shutdown"):
        _run(runner.call(gate.lineage, "too late"))
    assert gate.ran == ["held"]


class HeldLineage:
    """The real store, whose lineage waits until the test lets it go."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.release = threading.Event()
        self.finished = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def lineage(self, *args: Any, **kwargs: Any) -> Lineage:
        self.release.wait(timeout=60)
        try:
            return self._store.lineage(*args, **kwargs)
        finally:
            self.finished.set()

    def lineage_columns(self, *args: Any, **kwargs: Any) -> LineageColumns:
        self.release.wait(timeout=60)
        try:
            return self._store.lineage_columns(*args, **kwargs)
        finally:
            self.finished.set()


def test_a_lineage_outliving_the_request_timeout_answers_timeout(
    seeded_store: GraphStore, tmp_path: Path
) -> None:
    held = HeldLineage(seeded_store)
    client = GraphQLClient(
        create_app(store=held, keys_path=tmp_path / "k.json", request_timeout=0.1)  # type: ignore[arg-type]
    )
    try:
        query = "query($id: ID!) { lineage(id: $id) { nodes { id } } }"
        err = client.error(query, {"id": ENGINE})
        assert err["extensions"]["code"] == "TIMEOUT"
        assert err["path"] == ["lineage"]
        held.release.set()
        # the abandoned call still runs to its end on the store's thread; once it has,
        # the next request gets the whole (0.1 s) time limit to itself
        assert held.finished.wait(timeout=60)
        assert client.data("{ modelWorks { totalCount } }")["modelWorks"]["totalCount"] == 3
    finally:
        held.release.set()
        client.close()


class Threads:
    """The real store, noting which thread each lineage ran on (and sleeping if asked);
    its ``get`` waits for ``release`` once ``entered`` is given."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.ran_on: list[str] = []
        self.sleep = 0.0
        self.entered: threading.Event | None = None
        self.release = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        if self.entered is not None:
            self.entered.set()
            self.release.wait(timeout=60)
        return self._store.get(*args, **kwargs)

    def lineage(self, *args: Any, **kwargs: Any) -> Lineage:
        self.ran_on.append(threading.current_thread().name)
        time.sleep(self.sleep)
        return self._store.lineage(*args, **kwargs)


def _lineages(runner: StoreRunner, n: int) -> list[Lineage]:
    async def main() -> list[Lineage]:
        deadline = asyncio.get_running_loop().time() + 60
        return [
            await runner.call_method("lineage", ENGINE, depth=2, deadline=deadline)
            for _ in range(n)
        ]

    return _run(main())


def test_a_lineage_quick_on_the_worker_runs_on_the_loop_next_time(
    seeded_store: GraphStore,
) -> None:
    noted = Threads(seeded_store)
    runner = StoreRunner(noted, inline_budget_s=60)  # type: ignore[arg-type]
    try:
        got = _lineages(runner, 3)
        assert got == [seeded_store.lineage(ENGINE, depth=2)] * 3
        here = threading.current_thread().name
        assert noted.ran_on[0].startswith("opencase-store")
        assert noted.ran_on[1:] == [here, here]
        # a call that may write sends the next lineage back to the worker, once
        _run(_call(runner, seeded_store.get, [ENGINE]))
        _lineages(runner, 2)
        assert noted.ran_on[3].startswith("opencase-store") and noted.ran_on[4] == here
    finally:
        runner.close()


def test_a_lineage_waits_for_the_worker_while_it_is_busy(seeded_store: GraphStore) -> None:
    noted = Threads(seeded_store)
    runner = StoreRunner(noted, inline_budget_s=60)  # type: ignore[arg-type]

    async def main() -> None:
        loop = asyncio.get_running_loop()
        await runner.call_method("lineage", ENGINE)  # timed on the worker: quick
        noted.entered = threading.Event()
        held = asyncio.ensure_future(runner.call_method("get", [ENGINE]))  # a read, held
        await loop.run_in_executor(None, noted.entered.wait, 60)
        queued = asyncio.ensure_future(runner.call_method("lineage", ENGINE))
        await asyncio.sleep(0)
        assert not queued.done()  # behind the held read, not run on the loop meanwhile
        noted.release.set()
        await asyncio.gather(held, queued)
        await runner.call_method("lineage", ENGINE)  # idle again, and reads write nothing

    try:
        _run(main())
        here = threading.current_thread().name
        assert [name == here for name in noted.ran_on] == [False, False, True]
    finally:
        noted.release.set()
        runner.close()


def test_a_lineage_slower_than_the_budget_stays_on_the_worker(seeded_store: GraphStore) -> None:
    noted = Threads(seeded_store)
    runner = StoreRunner(noted, inline_budget_s=0)  # type: ignore[arg-type]
    try:
        _lineages(runner, 3)
        assert all(name.startswith("opencase-store") for name in noted.ran_on)
    finally:
        runner.close()


def test_an_inline_lineage_past_its_deadline_answers_timeout(seeded_store: GraphStore) -> None:
    noted = Threads(seeded_store)
    runner = StoreRunner(noted, inline_budget_s=60)  # type: ignore[arg-type]

    async def main() -> None:
        loop = asyncio.get_running_loop()
        await runner.call_method("lineage", ENGINE)
        noted.sleep = 0.2  # longer than the time left: it runs to its end, then times out
        with pytest.raises(RequestTimeoutError):
            await runner.call_method("lineage", ENGINE, deadline=loop.time() + 0.01)
        noted.sleep = 0.0
        with pytest.raises(RequestTimeoutError):  # already late: the store is not asked
            await runner.call_method("lineage", ENGINE, deadline=loop.time())

    try:
        _run(main())
        assert noted.ran_on[1] == threading.current_thread().name
        assert len(noted.ran_on) == 2
    finally:
        runner.close()
