"""The store runner (api/runner.py): one thread, calls in order, deadlines, give-ups.

Every call reaches the real seeded store. A call is held inside the runner's
thread by an event the test sets, so a deadline always passes while it is
held: the tests never depend on how fast anything runs, only on order.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.api.errors import RequestTimeoutError
from opencase.api.runner import StoreRunner
from opencase.errors import OntologyError
from opencase.graph import GraphStore
from opencase.graph.store import Lineage

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

    with pytest.raises(OntologyError, match="no-such-link"):
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
