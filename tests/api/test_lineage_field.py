"""The ``lineage`` field answers what ``store.lineage`` walks, in any selection shape.

The resolver shapes the store's columns into the API's node and edge objects;
whatever the selection (aliases, fragments, ``__typename``, variables), the
nodes, edges and order are the store's own, object types by their API names.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_seed import mw
from apikit import GraphQLClient

from opencase.graph import GraphStore
from opencase.graph.store import Direction
from opencase.ontology import ONTOLOGY

ENGINE = mw("A350:72:engine-health")
FIELDS = "nodes { id objectType title depth } edges { source target linkType } partial"


def _expected(store: GraphStore, start: str, **kw: Any) -> dict[str, Any]:
    found = store.lineage(start, **kw)
    return {
        "nodes": [
            {
                "id": n.id,
                "objectType": ONTOLOGY.object_type(n.object_type).api_name,
                "title": n.title,
                "depth": n.depth,
            }
            for n in found.nodes
        ],
        "edges": [
            {"source": e.source, "target": e.target, "linkType": e.link_type} for e in found.edges
        ],
        "partial": found.partial,
    }


@pytest.mark.parametrize(
    "args, kw",
    [
        ("", {}),
        ("direction: DOWNSTREAM, depth: 2", {"direction": Direction.OUT, "depth": 2}),
        ("direction: UPSTREAM, maxNodes: 2", {"direction": Direction.IN, "max_nodes": 2}),
        (
            'linkTypes: ["model-work-has-version"]',
            {"link_types": ["model-work-has-version"]},
        ),
    ],
)
def test_lineage_is_the_stores_walk(
    client: GraphQLClient, seeded_store: GraphStore, args: str, kw: dict[str, Any]
) -> None:
    query = f'{{ lineage(id: "{ENGINE}"{", " + args if args else ""}) {{ {FIELDS} }} }}'
    assert client.data(query)["lineage"] == _expected(seeded_store, ENGINE, **kw)


def test_lineage_through_variables_fragments_and_aliases(
    client: GraphQLClient, seeded_store: GraphStore
) -> None:
    query = """
    query($id: ID!, $dir: LineageDirection!) {
      first: lineage(id: $id, direction: $dir, depth: 2) { ...all }
      again: lineage(id: $id, direction: $dir, depth: 2) {
        nodes { __typename ident: id } partial
      }
    }
    fragment all on LineageResult {
      nodes { id objectType title depth } edges { source target linkType } partial
    }"""
    data = client.data(query, {"id": ENGINE, "dir": "DOWNSTREAM"})
    expected = _expected(seeded_store, ENGINE, direction=Direction.OUT, depth=2)
    assert data["first"] == expected
    assert data["again"]["nodes"] == [
        {"__typename": "GraphNode", "ident": n["id"]} for n in expected["nodes"]
    ]


@pytest.mark.parametrize(
    "args, code, field",
    [
        ('linkTypes: ["nope"]', "BAD_USER_INPUT", "linkTypes[0]"),
        ("depth: -1", "BAD_USER_INPUT", "depth"),
        ("maxNodes: 0", "BAD_USER_INPUT", "maxNodes"),
    ],
)
def test_bad_lineage_arguments_are_named(
    client: GraphQLClient, args: str, code: str, field: str
) -> None:
    error = client.error(f'{{ lineage(id: "{ENGINE}", {args}) {{ partial }} }}')
    assert error["extensions"]["code"] == code
    assert error["extensions"]["field"] == field


def test_unknown_start_is_not_found(client: GraphQLClient) -> None:
    body = client.post('{ a: lineage(id: "model-work:missing") { partial } b: __typename }')
    assert body["data"] is None  # lineage is non-null: the error nulls the whole data
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert body["errors"][0]["path"] == ["a"]
