"""A lineage completed from the store's columns answers exactly as from its records.

The ``lineage`` field resolves to nodes and edges held as columns
(api/schema/rows.py); a compiled selection of plain fields completes them
column by column, anything else (graphql-core's generic path) from records
made of the same columns. Both must give the answer the records of
``store.lineage`` give, byte for byte, whatever the selection.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from apikit import GraphQLClient, compiled_and_generic
from graphql import GraphQLInt, GraphQLString

from opencase.api.schema.graph_types import API_NAMES
from opencase.api.schema.object_codegen import (
    Constant,
    LeafRead,
    TableRead,
    columns_completion,
)
from opencase.api.schema.plain_fields import Bail, leaf_completion, leaf_passes
from opencase.api.schema.rows import Rows
from opencase.graph import GraphStore
from opencase.graph.store import LineageNode
from opencase.ontology import ONTOLOGY

ENGINE = "model-work:A350:72:engine-health"
FULL = """query($id: ID!, $d: Int!, $n: Int!) { lineage(id: $id, depth: $d, maxNodes: $n) {
  nodes { id objectType title depth } edges { source target linkType } partial } }"""

SELECTIONS = [
    "nodes { id } edges { linkType }",
    "partial edges { target source } nodes { depth title }",
    "nodes { __typename a: id b: id objectType } edges { __typename }",
    "nodes { ...N } edges { source ... on GraphEdge { target } }",
    "nodes { id title @skip(if: true) depth @include(if: true) }",
    "nodes { id id objectType } edges { linkType linkType }",
    "__typename nodes { __typename }",
]


def _starts(store: GraphStore) -> list[str]:
    found = store.lineage(ENGINE, depth=6, max_nodes=5000)
    return [n.id for n in found.nodes]


def _from_records(store: GraphStore, start: str, depth: int, max_nodes: int) -> dict[str, Any]:
    """The answer built from ``store.lineage``'s records, as the API answered before."""
    found = store.lineage(start, depth=depth, max_nodes=max_nodes)
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


def test_every_start_answers_as_the_stores_records(
    client: GraphQLClient, seeded_store: GraphStore
) -> None:
    starts = _starts(seeded_store)
    assert len(starts) > 10
    for start in starts:
        for depth, max_nodes in ((1, 500), (4, 500), (6, 3)):
            variables = {"id": start, "d": depth, "n": max_nodes}
            compiled, generic = compiled_and_generic(client, FULL, variables)
            expected = {"data": {"lineage": _from_records(seeded_store, start, depth, max_nodes)}}
            assert compiled == generic == expected, variables
            # the same bytes as the records' answer, encoded as the API encodes
            raw = client.request("POST", "/graphql", json={"query": FULL, "variables": variables})
            assert raw.content == orjson.dumps(expected)


@pytest.mark.parametrize("selection", SELECTIONS)
def test_other_selections_answer_as_the_generic_path(client: GraphQLClient, selection: str) -> None:
    query = f"""query($id: ID!) {{ lineage(id: $id, depth: 3) {{ {selection} }} }}"""
    if "...N" in selection:
        query += " fragment N on GraphNode { id objectType }"
    compiled, generic = compiled_and_generic(client, query, {"id": ENGINE})
    assert compiled == generic
    assert "errors" not in compiled


def _node_fields() -> list[Any]:
    text = leaf_passes(GraphQLString, "{x}")
    assert text is not None
    return [
        LeafRead("id", "id", None, text, leaf_completion(GraphQLString, True)),
        TableRead("objectType", "object_type", API_NAMES.get, text, lambda v: "slow"),
        Constant("__typename", "GraphNode"),
        LeafRead("depth", "depth", None, leaf_passes(GraphQLInt, "{x}"), lambda v: v),
    ]


def test_columns_completion_vouches_only_for_exact_values() -> None:
    complete = columns_completion(_node_fields())
    assert complete is not None
    API_NAMES.setdefault("ModelWork", "model-work")
    rows = Rows(
        {"id": ["a", "b"], "object_type": ["ModelWork"] * 2, "title": ["", ""], "depth": [0, 1]},
        LineageNode,
    )
    assert complete(rows) == [
        {"id": "a", "objectType": "model-work", "__typename": "GraphNode", "depth": 0},
        {"id": "b", "objectType": "model-work", "__typename": "GraphNode", "depth": 1},
    ]
    odd = [
        {"id": ["a", None]},  # a null: the generic path reports it
        {"id": ["a", 7]},  # not a string: the scalar decides
        {"depth": [0, 2**40]},  # past 32 bits
        {"object_type": ["ModelWork", "NotInTheTableYet"]},  # the resolver decides
    ]
    for change in odd:
        with pytest.raises(Bail):
            complete(Rows({**rows.columns, **change}, LineageNode))
    with pytest.raises(KeyError):  # a column the rows lack: the records decide
        complete(Rows({"id": ["a"]}, lambda i: i))


def test_rows_are_records_on_demand() -> None:
    rows = Rows(
        {"id": ["a", "b"], "object_type": ["X", "Y"], "title": ["t", ""], "depth": [0, 1]},
        LineageNode,
    )
    assert len(rows) == 2
    assert list(rows) == [LineageNode("a", "X", "t", 0), LineageNode("b", "Y", "", 1)]
    assert rows.records() is rows.records()  # built once
    assert rows[1].object_type == "Y"
    with pytest.raises(ValueError, match="lengths"):
        Rows({"id": ["a"], "title": []}, LineageNode)


def test_the_full_selection_is_completed_without_records(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = {"id": ENGINE, "d": 4, "n": 500}
    warm = client.data(FULL, variables)  # object types learned (graph_types.API_NAMES)
    built: list[int] = []
    records = Rows.records

    def counted(self: Rows) -> list[Any]:
        built.append(self.length)
        return records(self)

    monkeypatch.setattr(Rows, "records", counted)
    assert client.data(FULL, variables) == warm
    assert built == []
