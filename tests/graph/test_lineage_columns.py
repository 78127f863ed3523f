"""``lineage_columns`` is ``lineage`` as columns: same nodes, edges and order, on every path.

The embedded store builds the columns straight from its link snapshot (and its
``lineage`` makes records from them); without a valid snapshot, and on any
backend using the interface's default (Neo4j), they are the records of
``lineage`` taken apart. Every check runs on a real store.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np
import pytest

from bench.generate import generate
from opencase.graph import Direction, WriteBatch, open_store
from opencase.graph.embedded import EmbeddedStore
from opencase.graph.ladybug_adjacency import _first_rows
from opencase.graph.lineage_walk import LevelWalk
from opencase.graph.store import GraphStore, Lineage, LineageColumns


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """A small generated lineage graph with hubs and a few soft-deleted objects."""
    path = tmp_path_factory.mktemp("columns") / "graph"
    objects, links = generate(1500, 4)
    with open_store(str(path)) as s:
        s.install_schema()
        for _ in s.upsert(objects, links):
            pass
        ids = sorted(r[0] for r in s._conn.rows("MATCH (n) RETURN n.id") if r[0] is not None)
        s.write(WriteBatch(soft_deletes=ids[::89]))
    with open_store(str(path), read_only=True) as s:
        assert isinstance(s, EmbeddedStore)
        yield s


def _ids(store: EmbeddedStore) -> list[str]:
    return sorted(r[0] for r in store._conn.rows("MATCH (n) RETURN n.id") if r[0] is not None)


def _cases(store: EmbeddedStore, n: int, seed: int) -> Iterator[tuple[str, dict[str, object]]]:
    rng = random.Random(seed)
    ids = _ids(store)
    link_types = ["tool-used-in", "experiment-produced-metric", "model-version-has-experiment"]
    for _ in range(n):
        kw: dict[str, object] = {
            "direction": rng.choice(list(Direction)),
            "depth": rng.choice([0, 1, 2, 4, 6]),
            "max_nodes": rng.choice([1, 3, 40, 500]),
        }
        if rng.random() < 0.3:
            kw["include"] = ["flow", "context"]
        if rng.random() < 0.25:
            kw["link_types"] = rng.sample(link_types, 2)
            kw["include"] = ["flow", "context"]  # tool-used-in is a context link
        yield rng.choice(ids), kw


def test_columns_are_the_lineage_from_the_snapshot(generated: EmbeddedStore) -> None:
    for start, kw in _cases(generated, 150, 3):
        columns = generated.lineage_columns(start, **kw)  # type: ignore[arg-type]
        lineage = generated.lineage(start, **kw)  # type: ignore[arg-type]
        assert columns == LineageColumns.from_lineage(lineage), (start, kw)
        assert columns.to_lineage() == lineage
        assert lineage == LevelWalk.lineage(generated, start, **kw)  # type: ignore[arg-type]
    assert generated._adjacency().snapshot is not None  # the snapshot answered


def test_the_interface_default_gives_the_same_columns(generated: EmbeddedStore) -> None:
    """What a backend without its own ``lineage_columns`` (Neo4j) answers."""
    for start, kw in _cases(generated, 40, 4):
        default = GraphStore.lineage_columns(generated, start, **kw)  # type: ignore[arg-type]
        assert default == generated.lineage_columns(start, **kw), (start, kw)  # type: ignore[arg-type]


def test_empty_for_unknown_deleted_and_malformed_starts(generated: EmbeddedStore) -> None:
    deleted = _ids(generated)[0]  # soft-deleted by the fixture
    empty = LineageColumns([], [], [], [], [], [], [], False)
    for start in (deleted, "experiment:nope", "not-an-id"):
        assert generated.lineage_columns(start) == empty
        assert empty.to_lineage() == Lineage(nodes=[], edges=[], partial=False)


def test_columns_without_a_snapshot_come_from_the_cypher_walk(store_path: str) -> None:
    """Inside an open transaction the snapshot stands aside: the walk's records, as columns."""
    objects, links = generate(300, 5)
    with open_store(store_path) as store:
        assert isinstance(store, EmbeddedStore)
        store.install_schema()
        for _ in store.upsert(objects, links):
            pass
        starts = random.Random(6).sample(_ids(store), 15)
        outside = [store.lineage_columns(s, depth=3) for s in starts]
        assert store._adjacency().snapshot is not None
        with store._conn.transaction():
            inside = [store.lineage_columns(s, depth=3) for s in starts]
            assert inside == [
                LineageColumns.from_lineage(store.lineage(s, depth=3)) for s in starts
            ]
        assert inside == outside


def test_first_rows_keeps_the_first_of_each_link_in_order() -> None:
    rng = np.random.default_rng(7)
    a, b, rel = (rng.integers(0, 6, 400) for _ in range(3))
    expected: dict[tuple[int, int, int], int] = {}
    for i, key in enumerate(zip(a.tolist(), b.tolist(), rel.tolist(), strict=True)):
        expected.setdefault(key, i)
    wanted = sorted(expected.values())
    assert _first_rows(a, b, rel, 6, 6).tolist() == wanted
    # past what one int64 key holds: the three-column form, same rows
    assert _first_rows(a, b, rel, 2**31, 6).tolist() == wanted
