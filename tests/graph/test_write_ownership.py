"""The embedded write path's ownership rule, on a real store on disk.

One thread owns the connection for a whole write (see
:mod:`opencase.graph.ladybug_conn`): a transaction is never silently nested,
another thread's statement waits for the owner's commit, and a problem found
anywhere in a bulk upsert (a later object type, a link, a failing statement)
leaves the store exactly as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate
from opencase.errors import GraphStoreError, ValidationError
from opencase.graph import GraphStore, LinkRecord, ObjectRecord, open_store
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


def test_a_failing_statement_inside_a_transaction_rolls_it_all_back(store: GraphStore) -> None:
    conn = store._conn  # type: ignore[attr-defined]  # the engine connection itself
    before = _state(store)
    marker = "CREATE (m:OpenCaseMeta {key: $key, revision: 0, text: ''})"
    with pytest.raises(GraphStoreError), conn.transaction():
        conn.execute(marker, {"key": "first"})
        conn.execute("MATCH (n:NoSuchTable) RETURN n")
    assert _state(store) == before
    assert ["first"] not in conn.rows("MATCH (m:OpenCaseMeta) RETURN m.key")


def test_a_nested_transaction_is_an_error_not_a_silent_join(store: GraphStore) -> None:
    conn = store._conn  # type: ignore[attr-defined]
    marker = "CREATE (m:OpenCaseMeta {key: 'outer', revision: 0, text: ''})"
    with pytest.raises(RuntimeError, match="already open"), conn.transaction():
        conn.execute(marker)
        with conn.transaction():
            pass  # pragma: no cover - never reached
    assert not conn.in_transaction
    assert ["outer"] not in conn.rows("MATCH (m:OpenCaseMeta) RETURN m.key")


def test_another_thread_waits_for_the_owner_to_commit(store: GraphStore) -> None:
    """A reader on another thread never sees a transaction's uncommitted rows."""
    conn = store._conn  # type: ignore[attr-defined]
    seen: list[int] = []
    started = threading.Event()

    def count() -> None:
        started.set()
        seen.append(store.count("ModelWork"))

    with conn.transaction():
        list_before = store.count("ModelWork")
        reader = threading.Thread(target=count)
        reader.start()
        started.wait()
        conn.execute("CREATE (n:ModelWork {id: 'model-work:x', model_key: 'x', name: 'X'})")
        assert reader.is_alive()  # blocked on the owner's lock until the commit
    reader.join()
    assert seen == [list_before + 1]


def test_a_bulk_load_writes_what_a_plain_write_does(tmp_path: Path) -> None:
    """The same records through upsert (bulk session) and write (one batch)."""
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
