"""The embedded store's in-memory link snapshot gives exactly the Cypher walk's lineage.

The snapshot (``opencase.graph.ladybug_adjacency``) must agree with the level
walk row for row (nodes with depth in the same order, edges, ``partial``) and
must never be used once a write changed the store. Every check compares the
store's ``lineage`` with the Cypher walk (``LevelWalk.lineage``) on the same
real store.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator

import pytest

from bench.generate import generate
from opencase.errors import OpenCaseError
from opencase.graph import Direction, LinkKey, LinkRecord, ObjectRecord, WriteBatch, open_store
from opencase.graph.embedded import EmbeddedStore
from opencase.graph.ladybug_adjacency import AdjacencyCache
from opencase.graph.lineage_walk import LevelWalk
from opencase.graph.store import Lineage


def _run(key: str, **extra: object) -> ObjectRecord:
    return ObjectRecord(
        "Experiment", {"run_key": key, "run_id": key, "tracking_system": "mlflow", **extra}
    )


def _child(parent: str, child: str) -> LinkRecord:
    return LinkRecord("experiment-has-child-run", f"experiment:{parent}", f"experiment:{child}")


def _cypher(store: EmbeddedStore, object_id: str, **kw: object) -> Lineage:
    return LevelWalk.lineage(store, object_id, **kw)  # type: ignore[arg-type]


def _eager(store: EmbeddedStore) -> AdjacencyCache:
    """The store's snapshot cache, set to rebuild as soon as it is stale."""
    cache = store._adjacency()
    cache.eager = True
    return cache


@pytest.fixture
def embedded(store_path: str) -> Iterator[EmbeddedStore]:
    with open_store(store_path) as s:
        assert isinstance(s, EmbeddedStore)
        yield s


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """A small generated lineage graph (hubs included: tools, programs, partners)."""
    path = tmp_path_factory.mktemp("lineage") / "graph"
    objects, links = generate(1500, 3)
    with open_store(str(path)) as s:
        s.install_schema()
        for _ in s.upsert(objects, links):
            pass
        # a few soft-deleted objects, so the snapshot's "alive" flags are exercised
        s.write(WriteBatch(soft_deletes=_ids(s)[::97]))
    with open_store(str(path), read_only=True) as s:
        assert isinstance(s, EmbeddedStore)
        yield s


def _ids(store: EmbeddedStore) -> list[str]:
    rows = store._conn.rows("MATCH (n) RETURN n.id")
    return sorted(r[0] for r in rows if r[0] is not None)  # the meta table has no ids


def test_snapshot_matches_cypher_walk_on_generated_graph(generated: EmbeddedStore) -> None:
    rng = random.Random(11)
    ids = _ids(generated)
    link_types = ["tool-used-in", "experiment-produced-metric", "model-version-has-experiment"]
    for _ in range(120):
        start = rng.choice(ids)
        kw: dict[str, object] = {
            "direction": rng.choice(list(Direction)),
            "depth": rng.choice([1, 2, 4, 6]),
            "max_nodes": rng.choice([3, 40, 500]),
        }
        if rng.random() < 0.3:
            kw["include"] = ["flow", "context"]
        if rng.random() < 0.25:
            kw["link_types"] = rng.sample(link_types, 2)
            kw["include"] = ["flow", "context"]
        assert generated.lineage(start, **kw) == _cypher(generated, start, **kw), (start, kw)
    assert generated._adjacency().snapshot is not None  # the snapshot answered


def test_budget_cut_keeps_the_same_nodes(generated: EmbeddedStore) -> None:
    tool = next(i for i in _ids(generated) if i.startswith("tool:"))
    wide = ["flow", "context"]  # a tool is linked by context links only
    everything = len(generated.lineage(tool, depth=3, max_nodes=5000, include=wide).nodes)
    assert everything > 3
    for budget in sorted({1, 2, everything // 2, everything - 1}):
        lin = generated.lineage(tool, depth=3, max_nodes=budget, include=wide)
        assert lin.partial and len(lin.nodes) == budget
        assert lin == _cypher(generated, tool, depth=3, max_nodes=budget, include=wide)


def test_unknown_deleted_and_malformed_starts(generated: EmbeddedStore) -> None:
    deleted = _ids(generated)[0]  # soft-deleted by the fixture
    for start in (deleted, "experiment:nope", "not-an-id"):
        assert generated.lineage(start) == Lineage(nodes=[], edges=[], partial=False)


def test_lineage_follows_every_kind_of_write(embedded: EmbeddedStore) -> None:
    cache = _eager(embedded)
    embedded.write(WriteBatch(objects=[_run("a"), _run("b"), _run("c")], links=[_child("a", "b")]))

    def check() -> set[str]:
        lin = embedded.lineage("experiment:a", depth=3)
        assert cache.snapshot is not None  # answered from a snapshot built after the write
        assert lin == _cypher(embedded, "experiment:a", depth=3)
        return {n.id for n in lin.nodes}

    assert check() == {"experiment:a", "experiment:b"}
    embedded.write(WriteBatch(links=[_child("b", "c")]))
    assert check() == {"experiment:a", "experiment:b", "experiment:c"}
    embedded.write(WriteBatch(soft_deletes=["experiment:b"]))
    assert check() == {"experiment:a"}
    embedded.write(WriteBatch(restores=["experiment:b"]))
    assert check() == {"experiment:a", "experiment:b", "experiment:c"}
    embedded.write(WriteBatch(objects=[_run("c", run_name="Renamed run")]))
    check()
    titles = {n.id: n.title for n in embedded.lineage("experiment:a", depth=3).nodes}
    assert titles["experiment:c"] == "Renamed run"
    embedded.write(
        WriteBatch(unlinks=[LinkKey("experiment-has-child-run", "experiment:a", "experiment:b")])
    )
    assert check() == {"experiment:a"}
    embedded.write(WriteBatch(links=[_child("a", "c")]))
    assert check() == {"experiment:a", "experiment:c"}
    embedded.write(WriteBatch(hard_deletes=["experiment:c"]))
    assert check() == {"experiment:a"}


def test_stale_snapshot_is_never_used(embedded: EmbeddedStore) -> None:
    """Default policy: after a write the Cypher walk answers until a rebuild pays off."""
    embedded.write(WriteBatch(objects=[_run("a"), _run("b")]))
    assert len(embedded.lineage("experiment:a").nodes) == 1
    cache = embedded._adjacency()
    built = cache.snapshot
    assert built is not None
    embedded.write(WriteBatch(links=[_child("a", "b")]))
    lin = embedded.lineage("experiment:a")
    assert {n.id for n in lin.nodes} == {"experiment:a", "experiment:b"}
    assert cache.snapshot is not built


def test_invalidate_hook_drops_the_snapshot(embedded: EmbeddedStore) -> None:
    embedded.write(WriteBatch(objects=[_run("a")]))
    embedded.lineage("experiment:a")
    assert embedded._adjacency().snapshot is not None
    embedded.invalidate_lineage_cache()
    assert embedded._adjacency().snapshot is None


def test_lineage_inside_an_open_write_sees_its_rows(embedded: EmbeddedStore) -> None:
    """Uncommitted rows are visible only to statements: the snapshot must stand aside."""
    cache = _eager(embedded)
    embedded.write(WriteBatch(objects=[_run("a"), _run("b")]))
    assert len(embedded.lineage("experiment:a").nodes) == 1
    assert cache.snapshot is not None
    with embedded._conn.transaction():
        embedded._conn.execute(
            "MATCH (a:Experiment {id: 'experiment:a'}), (b:Experiment {id: 'experiment:b'}) "
            "CREATE (a)-[:EXPERIMENT_HAS_CHILD_RUN]->(b)"
        )
        inside = embedded.lineage("experiment:a")
        assert {n.id for n in inside.nodes} == {"experiment:a", "experiment:b"}
    assert embedded.lineage("experiment:a") == inside


@pytest.mark.parametrize("eager", [True, False])
def test_random_writes_interleaved_with_lineage(embedded: EmbeddedStore, eager: bool) -> None:
    """Small writes in quick succession: each lineage right after must see the write."""
    embedded._adjacency().eager = eager
    rng = random.Random(5)
    keys = [f"r{i}" for i in range(12)]
    embedded.write(WriteBatch(objects=[_run(k) for k in keys]))
    for step in range(40):
        a, b = rng.sample(keys, 2)
        pick = rng.random()
        if pick < 0.45:
            batch = WriteBatch(links=[_child(a, b)])
        elif pick < 0.7:
            batch = WriteBatch(
                unlinks=[LinkKey("experiment-has-child-run", f"experiment:{a}", f"experiment:{b}")]
            )
        elif pick < 0.8:
            batch = WriteBatch(soft_deletes=[f"experiment:{a}"])
        elif pick < 0.9:
            batch = WriteBatch(restores=[f"experiment:{a}"])
        else:
            batch = WriteBatch(objects=[_run(a, run_name=f"run {step}")])
        with contextlib.suppress(OpenCaseError):  # e.g. restoring a live object: refused
            embedded.write(batch)
        start = f"experiment:{rng.choice(keys)}"
        kw = {"depth": rng.choice([1, 3, 6]), "max_nodes": rng.choice([4, 500])}
        assert embedded.lineage(start, **kw) == _cypher(embedded, start, **kw), step
