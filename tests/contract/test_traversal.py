"""Neighbours (batched), lineage and shortest paths."""

from __future__ import annotations

import itertools

import pytest
from contract_records import link, run

from opencase.errors import ValidationError
from opencase.graph import Direction, GraphStore, ObjectRecord, OrderBy, WriteBatch
from opencase.queries.filters import Cmp


def test_neighbours_batch(seeded: GraphStore) -> None:
    found = seeded.neighbours(
        ["model-work:w1", "model-work:w2", "model-work:w3"],
        link_type="model-work-has-version",
        direction=Direction.OUT,
        order_by=[OrderBy("version", descending=True)],
    )
    assert {k: [n.object.id for n in v] for k, v in found.items()} == {
        "model-work:w1": ["model-version:v2", "model-version:v1"],
        "model-work:w2": ["model-version:v3"],
        "model-work:w3": [],
    }
    first = found["model-work:w1"][0]
    assert first.link_type == "model-work-has-version" and first.direction == Direction.OUT


def test_neighbours_direction_filter_and_limit(seeded: GraphStore) -> None:
    back = seeded.neighbours(["model-version:v1"], direction=Direction.IN)
    assert [(n.object.id, n.direction) for n in back["model-version:v1"]] == [
        ("model-work:w1", Direction.IN)
    ]
    filtered = seeded.neighbours(
        ["model-work:w1"], link_type="model-work-has-version", where=Cmp("version", "eq", "1")
    )
    assert [n.object.id for n in filtered["model-work:w1"]] == ["model-version:v1"]
    limited = seeded.neighbours(
        ["model-work:w1"], link_type="model-work-has-version", limit_per_id=1
    )
    assert len(limited["model-work:w1"]) == 1


def test_neighbours_carry_link_properties(seeded: GraphStore) -> None:
    used = seeded.neighbours(["experiment:e1"], link_type="experiment-used-dataset")
    assert [(n.object.id, n.link_properties["context"]) for n in used["experiment:e1"]] == [
        ("dataset-version:dv1", "training")
    ]


def test_neighbours_filter_on_link_properties(seeded: GraphStore) -> None:
    def used(context: str) -> list[str]:
        found = seeded.neighbours(
            ["experiment:e1"],
            link_type="experiment-used-dataset",
            link_where=Cmp("context", "eq", context),
        )
        return [n.object.id for n in found["experiment:e1"]]

    assert used("training") == ["dataset-version:dv1"]
    assert used("evaluation") == []
    with pytest.raises(ValidationError, match="no property"):
        seeded.neighbours(
            ["experiment:e1"], link_type="experiment-used-dataset", link_where=Cmp("x", "eq", 1)
        )


def test_lineage_both_directions(seeded: GraphStore) -> None:
    """BOTH walks upstream and downstream from the start, never turning round: the
    sibling version v2 (reached only by going up to w1 and down again) stays out."""
    lin = seeded.lineage("model-version:v1", depth=2)
    depths = {n.id: n.depth for n in lin.nodes}
    assert depths == {
        "model-version:v1": 0,
        "model-work:w1": 1,
        "experiment:e1": 1,
        "experiment:e3": 2,
        "dataset-version:dv1": 2,
    }
    assert not lin.partial
    edges = {(e.source, e.target, e.link_type): e.properties for e in lin.edges}
    assert ("model-work:w1", "model-version:v1", "model-work-has-version") in edges
    used = ("experiment:e1", "dataset-version:dv1", "experiment-used-dataset")
    assert dict(edges[used]) == {"context": "training"}
    via = {n.id: (n.via, n.parent) for n in lin.nodes}
    assert via["model-version:v1"] == (None, None)
    assert via["experiment:e1"] == ("model-version-has-experiment", "model-version:v1")
    assert via["dataset-version:dv1"] == ("experiment-used-dataset", "experiment:e1")


@pytest.mark.parametrize(
    ("start", "direction", "expected"),
    [
        ("model-version:v1", Direction.DOWNSTREAM, set()),
        (
            "model-version:v1",
            Direction.UPSTREAM,
            {
                "model-work:w1",
                "experiment:e1",
                "experiment:e3",
                "dataset-version:dv1",
                "dataset:d1",
            },
        ),
        (
            "dataset:d1",
            Direction.DOWNSTREAM,
            {"dataset-version:dv1", "experiment:e1", "model-version:v1"},
        ),
        ("dataset:d1", Direction.UPSTREAM, set()),
        ("model-work:w1", Direction.DOWNSTREAM, {"model-version:v1", "model-version:v2"}),
    ],
)
def test_lineage_direction(
    seeded: GraphStore, start: str, direction: Direction, expected: set[str]
) -> None:
    lin = seeded.lineage(start, direction=direction, depth=4)
    assert {n.id for n in lin.nodes} - {start} == expected


def test_lineage_link_filter_and_depth(seeded: GraphStore) -> None:
    lin = seeded.lineage("model-work:w1", depth=4, link_types=["model-work-has-version"])
    assert {n.id for n in lin.nodes} == {"model-work:w1", "model-version:v1", "model-version:v2"}
    shallow = seeded.lineage("dataset:d1", direction=Direction.DOWNSTREAM, depth=1)
    assert {n.id for n in shallow.nodes} == {"dataset:d1", "dataset-version:dv1"}


def test_lineage_node_budget_marks_partial(graph: GraphStore) -> None:
    children = [run(f"c{i}") for i in range(20)]
    graph.write(
        WriteBatch(
            objects=[run("hub"), *children],
            links=[
                link("experiment-has-child-run", "experiment:hub", f"experiment:c{i}")
                for i in range(20)
            ],
        )
    )
    lin = graph.lineage("experiment:hub", max_nodes=5)
    assert lin.partial and len(lin.nodes) == 5
    node_ids = {n.id for n in lin.nodes}
    assert all(e.source in node_ids and e.target in node_ids for e in lin.edges)
    assert not graph.lineage("experiment:hub", max_nodes=21).partial


def test_lineage_of_unknown_object_is_empty(seeded: GraphStore) -> None:
    lin = seeded.lineage("model-work:nope")
    assert lin.nodes == [] and not lin.partial


def test_shortest_path(seeded: GraphStore) -> None:
    path = seeded.shortest_path("model-version:v2", "dataset:d1")
    assert path is not None
    assert [n.id for n in path.nodes] == [
        "model-version:v2",
        "model-work:w1",
        "model-version:v1",
        "experiment:e1",
        "dataset-version:dv1",
        "dataset:d1",
    ]
    assert path.steps[0].link_type == "model-work-has-version"
    assert (path.steps[0].source, path.steps[0].target) == ("model-work:w1", "model-version:v2")
    assert seeded.shortest_path("model-version:v2", "dataset:d1", max_depth=3) is None
    assert seeded.shortest_path("model-work:w3", "model-work:w1") is None


def _checked(store: GraphStore, path: object, start: str, end: str) -> int:
    """The path's length, after checking it is a chain of real links from start to end."""
    from opencase.graph.store import Path

    assert isinstance(path, Path)
    ids = [n.id for n in path.nodes]
    assert ids[0] == start and ids[-1] == end and len(set(ids)) == len(ids)
    assert [n.depth for n in path.nodes] == list(range(len(ids)))
    for (a, b), step in zip(itertools.pairwise(ids), path.steps, strict=True):
        assert {step.source, step.target} == {a, b}
        out = store.neighbours([step.source], link_type=step.link_type, direction=Direction.OUT)
        assert step.target in {n.object.id for n in out[step.source]}
    return len(path.steps)


def test_shortest_path_from_an_action_to_its_model(graph: GraphStore) -> None:
    """The pair that crashed Ladybug 0.22's own SHORTEST pattern (SIGSEGV)."""
    graph.write(
        WriteBatch(
            objects=[
                ObjectRecord("ModelWork", {"model_key": "A350:72:engine", "name": "Engine"}),
                ObjectRecord(
                    "Action",
                    {
                        "action_id": "a1",
                        "title": "Check drift",
                        "status": "Planned",
                        "source_system": "DAIA_ACTIONS",
                        "source_id": "1",
                    },
                ),
            ],
            links=[link("daia-action-about-model", "action:a1", "model-work:A350:72:engine")],
        )
    )
    assert graph.shortest_path("action:a1", "model-work:A350:72:engine") is None  # context
    wide = ["flow", "context"]
    path = graph.shortest_path("action:a1", "model-work:A350:72:engine", include=wide)
    assert _checked(graph, path, "action:a1", "model-work:A350:72:engine") == 1
    back = graph.shortest_path("model-work:A350:72:engine", "action:a1", include=wide)
    assert back is not None and back.steps == path.steps  # type: ignore[union-attr]


def test_shortest_path_takes_the_short_way_and_skips_deleted_objects(seeded: GraphStore) -> None:
    # a shortcut v2 -> e1 makes v2 .. d1 three hops instead of five
    shortcut = link("model-version-has-experiment", "model-version:v2", "experiment:e1")
    seeded.write(WriteBatch(links=[shortcut]))
    path = seeded.shortest_path("model-version:v2", "dataset:d1")
    assert _checked(seeded, path, "model-version:v2", "dataset:d1") == 3
    seeded.write(WriteBatch(soft_deletes=["experiment:e1"]))  # the only way through
    assert seeded.shortest_path("model-version:v2", "dataset:d1") is None
    assert seeded.shortest_path("model-version:v2", "experiment:e1") is None  # a deleted end


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shortest_path_matches_a_breadth_first_search_of_the_links(
    graph: GraphStore, seed: int
) -> None:
    (
        """Random pairs of a generated graph: same length as plain BFS over the link list
    (with context links included, every link counts)."""
        ""
    )
    import random
    from collections import deque

    from bench.generate import generate

    objects, links = generate(400, seed=seed)
    list(graph.upsert(objects, links))
    adjacent: dict[str, set[str]] = {}
    for lk in links:
        adjacent.setdefault(lk.source_id, set()).add(lk.target_id)
        adjacent.setdefault(lk.target_id, set()).add(lk.source_id)

    def hops(a: str, b: str) -> int | None:
        seen, todo = {a: 0}, deque([a])
        while todo:
            node = todo.popleft()
            if node == b:
                return seen[node]
            for nxt in adjacent.get(node, ()):
                if nxt not in seen:
                    seen[nxt] = seen[node] + 1
                    todo.append(nxt)
        return None

    rng = random.Random(seed)
    ends = sorted(adjacent)
    for _ in range(25):
        a, b = rng.sample(ends, 2)
        expected = hops(a, b)
        path = graph.shortest_path(a, b, max_depth=6, include=["flow", "context"])
        if expected is None or expected > 6:
            assert path is None, (a, b)
        else:
            assert _checked(graph, path, a, b) == expected, (a, b)
