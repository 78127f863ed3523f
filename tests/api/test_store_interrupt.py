"""A request past its time limit frees the store: its statement is interrupted, not waited for.

The runaway statement would run for hours (ten billion rows); each test
passes only because it is stopped. No test measures how fast anything is.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.api.errors import RequestTimeoutError
from opencase.api.runner import StoreRunner
from opencase.errors import StoreCapacityError, StoreInterruptedError
from opencase.graph import GraphStore, open_store

RUNAWAY = (
    "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
    "WITH x, y WHERE x * y = -1 RETURN count(*)"
)


def _rows(store: GraphStore, query: str) -> Any:
    return store._conn.rows(query)  # type: ignore[attr-defined]


def test_a_call_past_its_deadline_is_interrupted_and_the_next_is_served(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "graph")) as store:
        runner = StoreRunner(store)

        async def scenario() -> Any:
            loop = asyncio.get_running_loop()
            runaway = asyncio.ensure_future(
                runner.call(_rows, store, RUNAWAY, deadline=loop.time() + 0.3)
            )
            with pytest.raises(RequestTimeoutError):
                await runaway
            # queued behind the runaway: answered only once it was stopped
            return await runner.call(_rows, store, "RETURN 1", deadline=loop.time() + 120)

        try:
            assert asyncio.run(scenario()) == [[1]]
        finally:
            runner.close()


def test_the_store_stops_a_statement_at_its_own_time_limit(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "graph")) as store:
        store.set_statement_timeout(0.2)
        with pytest.raises(StoreInterruptedError) as caught:
            _rows(store, RUNAWAY)
        assert "Interrupted" not in caught.value.message  # our words, not the engine's
        store.set_statement_timeout(None)
        assert _rows(store, "RETURN 1") == [[1]]


def test_healthz_says_unavailable_while_the_store_cannot_answer(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "graph")) as store:
        store.install_schema()
        client = GraphQLClient(create_app(store=store, keys_path=tmp_path / "keys.json"))
        try:
            assert client.request("GET", "/healthz").status_code == 200
            runner = client.app.state.services.runner

            async def busy_then_health() -> Any:
                held = asyncio.ensure_future(runner.call(_rows, store, RUNAWAY))
                await asyncio.sleep(0)
                health = await client.http.get("/healthz")
                store.interrupt()
                with pytest.raises(StoreInterruptedError):
                    await held
                return health

            health = client.loop.run_until_complete(busy_then_health())
            assert health.status_code == 503
            assert health.json()["status"] == "unavailable"
            assert client.request("GET", "/healthz").status_code == 200
        finally:
            client.close()


def test_a_full_buffer_pool_is_given_back_before_the_next_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("OPENCASE_BUFFER_POOL_MB", "64")
    hungry = "UNWIND range(1, 20000000) AS x RETURN size(collect(x))"
    with open_store(str(tmp_path / "graph")) as store:
        store.install_schema()
        runner = StoreRunner(store)

        async def scenario() -> Any:
            with pytest.raises(StoreCapacityError):
                await runner.call(_rows, store, hungry)
            return await runner.call_method("probe"), await runner.call(_rows, store, "RETURN 1")

        try:
            with caplog.at_level(logging.WARNING, logger="opencase.api"):
                assert asyncio.run(scenario()) == (None, [[1]])
        finally:
            runner.close()
        assert any("reopened" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "engine_text, kind",
    [
        (
            "Buffer manager exception: Unable to allocate memory! The buffer pool is full",
            "capacity",
        ),
        ("Interrupted.", "interrupted"),
        ("Unable to cast Python instance of type <class 'str'> to C++ type '?'", "value"),
        (
            "Transaction committed successfully, but the post-commit checkpoint failed: "
            "Buffer manager exception: Unable to allocate memory! The buffer pool is full",
            "other",
        ),
        ("Binder exception: Table X does not exist", "other"),
    ],
)
def test_engine_errors_are_classified(engine_text: str, kind: str) -> None:
    from opencase.errors import GraphStoreError, StoreValueError
    from opencase.graph.ladybug_conn import map_error

    kinds = {
        "capacity": StoreCapacityError,
        "interrupted": StoreInterruptedError,
        "value": StoreValueError,
        "other": GraphStoreError,
    }
    mapped = map_error(RuntimeError(engine_text), "/tmp/graph")
    assert type(mapped) is kinds[kind]
    if kind != "other":  # our own words: the API shows these messages as they are
        assert engine_text[:12] not in mapped.message
