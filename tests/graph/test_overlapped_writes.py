"""A bulk upsert COPYs its objects while the links are planned: a later problem loses nothing.

The embedded store's upsert starts writing the objects before the links are
checked (:mod:`opencase.graph.ladybug_background`). These tests put the
problem after rows were already COPYed (a link to a missing object, a failing
statement) or in a later object type, and check that the store is exactly as
it was, on a real store on disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate
from opencase.errors import GraphStoreError, ValidationError
from opencase.graph import GraphStore, LinkRecord, ObjectRecord, open_store
from opencase.graph.ladybug_background import in_background
from opencase.graph.store import WriteBatch


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    with open_store(str(tmp_path / "g")) as s:
        s.install_schema()
        list(s.upsert([ObjectRecord("ModelWork", {"model_key": "m0", "name": "Before"})]))
        yield s


def _works(n: int) -> list[ObjectRecord]:
    return [ObjectRecord("ModelWork", {"model_key": f"m{i}", "name": f"M{i}"}) for i in range(1, n)]


def _state(store: GraphStore) -> tuple[int, int, int | None]:
    return store.count("ModelWork"), store.count("Metric"), store.revision()


def test_a_problem_in_a_later_type_writes_nothing(store: GraphStore) -> None:
    before = _state(store)
    bad_metric = ObjectRecord("Metric", {"metric_id": "x", "name": "loss"})  # no value
    with pytest.raises(ValidationError) as caught:
        list(store.upsert([*_works(50), bad_metric]))
    assert "value" in str(caught.value)
    assert _state(store) == before


def test_a_link_problem_rolls_back_the_objects_already_copied(store: GraphStore) -> None:
    before = _state(store)
    link = LinkRecord("model-work-has-version", "model-work:m1", "model-version:nowhere")
    with pytest.raises(ValidationError):
        list(store.upsert(_works(50), [link]))
    assert _state(store) == before


def test_a_failing_background_statement_is_raised_and_rolled_back(store: GraphStore) -> None:
    conn = store._conn  # type: ignore[attr-defined]  # the engine connection itself
    before = _state(store)
    marker = "CREATE (m:OpenCaseMeta {key: $key, revision: 0, text: ''})"
    with pytest.raises(GraphStoreError), conn.transaction(), in_background(conn) as background:
        background.execute(marker, {"key": "first"})
        background.execute("MATCH (n:NoSuchTable) RETURN n")
        background.execute(marker, {"key": "after the failure"})
    assert _state(store) == before
    keys = conn.rows("MATCH (m:OpenCaseMeta) RETURN m.key")
    assert ["first"] not in keys and ["after the failure"] not in keys


def test_background_statements_need_a_transaction(store: GraphStore) -> None:
    with pytest.raises(RuntimeError, match="transaction"), in_background(store._conn):  # type: ignore[attr-defined]
        pass


def test_an_overlapped_load_writes_what_a_plain_one_does(tmp_path: Path) -> None:
    """The same records through upsert (overlapped) and write (one batch, sequential)."""
    objects, links = generate(2_000, seed=5)
    with open_store(str(tmp_path / "a")) as a, open_store(str(tmp_path / "b")) as b:
        a.install_schema()
        b.install_schema()
        list(a.upsert(objects, links))
        b.write(WriteBatch(objects=objects, links=links))
        for type_name in {o.object_type for o in objects}:
            query = (
                f"MATCH (n:{type_name}) RETURN n.id, n.sys_title, n.sys_hash, n.sys_input_hash "
                "ORDER BY n.id"
            )
            rows_a = a._conn.rows(query)  # type: ignore[attr-defined]
            assert rows_a == b._conn.rows(query)  # type: ignore[attr-defined]
            assert rows_a
        edges = "MATCH ()-[r]->() RETURN count(r)"
        assert a._conn.rows(edges) == b._conn.rows(edges) == [[len(links)]]  # type: ignore[attr-defined]


def test_wait_lets_the_holder_read_what_was_queued(store: GraphStore) -> None:
    conn = store._conn  # type: ignore[attr-defined]
    marker = "CREATE (m:OpenCaseMeta {key: $key, revision: 0, text: ''})"
    with pytest.raises(RuntimeError, match="roll back"), conn.transaction():
        with in_background(conn) as background:
            for i in range(20):
                background.execute(marker, {"key": f"k{i}"})
            background.wait()
            found = conn.rows("MATCH (m:OpenCaseMeta) WHERE m.key STARTS WITH 'k' RETURN count(m)")
            assert found == [[20]]
        raise RuntimeError("roll back")
    assert conn.rows("MATCH (m:OpenCaseMeta) WHERE m.key STARTS WITH 'k' RETURN count(m)") == [[0]]


def _threads(conn: object) -> str:
    return str(conn.rows("CALL current_setting('threads') RETURN *")[0][0])  # type: ignore[attr-defined]


def test_engine_threads_change_in_queue_order_and_come_back_after_a_load(
    store: GraphStore,
) -> None:
    """The setting is queued like a statement: it applies to what is queued after it."""
    conn = store._conn  # type: ignore[attr-defined]
    default = _threads(conn)
    with pytest.raises(RuntimeError, match="roll back"), conn.transaction():
        with conn.engine_threads(1), in_background(conn) as background:
            assert _threads(conn) == "1"
            background.engine_threads(0)
            background.wait()
            assert _threads(conn) == default
            background.engine_threads(1)
            background.wait()
            assert _threads(conn) == "1"
        raise RuntimeError("roll back")
    assert _threads(conn) == default
    objects, links = generate(300, seed=3)
    list(store.upsert(objects, links))
    assert _threads(conn) == default
