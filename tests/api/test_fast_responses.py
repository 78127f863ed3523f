"""The lineage fast path answers exactly what the generic path does, encoded as JSON was.

Covers the generated object completions (api/schema/object_codegen.py): the
lineage and path answers read the store's own edge records, selections with
aliases, ``__typename`` and enums on generated types, and values that fail
the inline checks (they must reach the same leaf completion and the same
errors). Also the orjson response encoding, its fallback to the standard
encoder, and the collector freeze that lasts exactly as long as the app.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from apikit import GraphQLClient, compiled_and_generic
from graphql import GraphQLError, GraphQLID, GraphQLInt, GraphQLString

from opencase.api.app import _Router, create_app
from opencase.api.schema import build_schema, execution, graph_types
from opencase.api.schema.object_codegen import (
    Call,
    Constant,
    LeafRead,
    TableRead,
    object_completion,
)
from opencase.api.schema.plain_fields import Bail, leaf_completion, leaf_passes
from opencase.graph import GraphStore
from opencase.ontology import ONTOLOGY

ENGINE = "model-work:A350:72:engine-health"

QUERIES: list[tuple[str, dict[str, Any]]] = [
    (
        """query($id: ID!) { lineage(id: $id, depth: 4, maxNodes: 500) {
        nodes { id objectType title depth } edges { source target linkType } partial } }""",
        {"id": ENGINE},
    ),
    (
        """query($id: ID!) { lineage(id: $id, depth: 2, direction: DOWNSTREAM, maxNodes: 3) {
        partial n: nodes { __typename depth key: id }
        edges { linkType __typename t: target } } }""",
        {"id": ENGINE},
    ),
    (
        """query($id: ID!) { lineage(id: $id, depth: 4) { edges { linkType linkType } } }""",
        {"id": ENGINE},
    ),
    (
        """{ modelWorks { edges { node { __typename id title name priority
        versions { edges { node { id version status } } } } } } }""",
        {},
    ),
    # a fragment: the generic path calls objectType's resolver on each node
    (
        """query($id: ID!) { lineage(id: $id, depth: 2) { nodes { id ...N } } }
        fragment N on GraphNode { objectType t: objectType depth }""",
        {"id": ENGINE},
    ),
]


@pytest.mark.parametrize(("query", "variables"), QUERIES)
def test_generated_completion_answers_like_the_generic_path(
    client: GraphQLClient, query: str, variables: dict[str, Any]
) -> None:
    compiled, generic = compiled_and_generic(client, query, variables)
    assert "errors" not in compiled
    assert compiled == generic


def test_path_edges_read_the_store_steps(client: GraphQLClient, seeded_store: GraphStore) -> None:
    lineage = seeded_store.lineage(ENGINE, depth=2)
    far = next(n for n in lineage.nodes if n.depth == 2)
    query = """query($a: ID!, $b: ID!) { path(from: $a, to: $b) {
      length nodes { id depth } edges { source target linkType } } }"""
    compiled, generic = compiled_and_generic(client, query, {"a": ENGINE, "b": far.id})
    assert compiled == generic
    path = compiled["data"]["path"]
    assert path["length"] == 2
    assert {e["source"] for e in path["edges"]} | {e["target"] for e in path["edges"]} == {
        n["id"] for n in path["nodes"]
    }


def test_lineage_of_a_missing_object_is_still_a_clear_error(client: GraphQLClient) -> None:
    body = client.post(
        """{ lineage(id: "model-work:A350:72:nope") { nodes { id } } }""",
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


class _Plain:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def _completion(non_null_title: bool = True) -> Any:
    def admit(value: Any) -> bool:
        if value is None:
            return False
        settled.add(type(value))
        return True

    settled: set[type] = set()
    fields = [
        LeafRead("id", "id", None, leaf_passes(GraphQLID, "{x}"), leaf_completion(GraphQLID, True)),
        LeafRead(
            "title",
            "title",
            None,
            leaf_passes(GraphQLString, "{x}"),
            leaf_completion(GraphQLString, non_null_title),
        ),
        LeafRead(
            "depth",
            "depth",
            None,
            leaf_passes(GraphQLInt, "{x}"),
            leaf_completion(GraphQLInt, True),
        ),
        Constant("__typename", "GraphNode"),
        Call("twice", lambda source: source.depth * 2),
    ]
    return object_completion(fields, view_type=None, non_null=False, settled=settled, admit=admit)


def test_inline_checks_pass_exact_values_and_coerce_the_rest() -> None:
    complete = _completion()
    node = _Plain(id="a", title="T", depth=3)
    typename = {"__typename": "GraphNode"}
    assert complete(node) == {"id": "a", "title": "T", "depth": 3, **typename, "twice": 6}
    # an int id and a float depth that is whole: coerced as graphql-core coerces them
    odd = _Plain(id=7, title="T", depth=2.0)
    assert complete(odd) == {"id": "7", "title": "T", "depth": 2, **typename, "twice": 4.0}
    assert complete(None) is None
    assert complete.many([node, None, odd]) == [complete(node), None, complete(odd)]


def test_inline_checks_bail_where_the_generic_path_must_judge() -> None:
    complete = _completion()
    with pytest.raises(Bail):
        complete(_Plain(id="a", title=None, depth=1))  # null on a non-null field
    with pytest.raises(GraphQLError, match="32-bit"):  # the executor falls back on any error
        complete(_Plain(id="a", title="T", depth=2**40))
    nullable = _completion(non_null_title=False)
    assert nullable(_Plain(id="a", title=None, depth=1))["title"] is None


def test_responses_decode_to_what_the_standard_encoder_gives() -> None:
    router = _Router(build_schema())
    data = {"data": {"a": "é ☃ \u2028", "n": [1, 2.5, None, True], "deep": {"x": [{"y": "z"}]}}}
    encoded = router.encode_json(data)
    assert isinstance(encoded, str)  # websockets send text frames for text only
    assert json.loads(encoded) == data
    # past 64 bits orjson refuses: the standard encoder answers instead
    big = {"data": {"group": {"n": 2**70}}}
    assert json.loads(router.encode_json(big)) == big


def test_the_collector_freeze_lasts_as_long_as_the_app(
    seeded_store: GraphStore, tmp_path: Path
) -> None:
    c = GraphQLClient(create_app(store=seeded_store, keys_path=tmp_path / "k.json"))
    try:
        assert gc.get_freeze_count() > 0
        assert c.data("{ __typename }") == {"__typename": "Query"}
    finally:
        c.close()
    assert gc.get_freeze_count() == 0


def test_table_reads_answer_from_the_table_and_fall_back_to_the_function() -> None:
    table = {"ModelWork": "model-work", "Odd": 7}
    missed: list[Any] = []

    def fallback(source: Any) -> Any:
        missed.append(source.kind)
        return f"computed-{source.kind}"

    def admit(value: Any) -> bool:
        return value is not None

    passes = leaf_passes(GraphQLString, "{x}")
    assert passes is not None
    fields = [TableRead("kind", "kind", table.get, passes, fallback)]
    complete = object_completion(fields, view_type=None, non_null=False, settled=set(), admit=admit)
    assert complete(_Plain(kind="ModelWork")) == {"kind": "model-work"}
    # not in the table, or a value that is not already a string: the function decides
    assert complete.many([_Plain(kind="Metric"), _Plain(kind="Odd")]) == [
        {"kind": "computed-Metric"},
        {"kind": "computed-Odd"},
    ]
    assert missed == ["Metric", "Odd"]


LINEAGE_TYPES = """query($id: ID!) { lineage(id: $id, depth: 3) { nodes { id objectType } } }"""


def test_object_types_not_in_the_table_yet_are_answered_and_learned(
    client: GraphQLClient,
) -> None:
    saved = dict(graph_types.API_NAMES)
    graph_types.API_NAMES.clear()
    try:
        nodes = client.data(LINEAGE_TYPES, {"id": ENGINE})["lineage"]["nodes"]
        expected = {n["id"]: ONTOLOGY.type_of_id(n["id"]).api_name for n in nodes}
        assert {n["id"]: n["objectType"] for n in nodes} == expected
        assert set(graph_types.API_NAMES.values()) == set(expected.values())
        again = client.data(LINEAGE_TYPES, {"id": ENGINE})["lineage"]["nodes"]
        assert again == nodes
    finally:
        graph_types.API_NAMES.update(saved)


def test_selections_without_links_are_compiled_once_for_all_requests(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    original = execution._Compiler.value

    def spy(self: Any, return_type: Any, node: Any) -> Any:
        compiled.append(node.name.value)
        return original(self, return_type, node)

    monkeypatch.setattr(execution._Compiler, "value", spy)
    # a document no other test sends, so that it is compiled here first
    lineage = """query($id: ID!, $d: Int!) { once: lineage(id: $id, depth: $d) {
      nodes { id objectType title depth } edges { source target linkType } } }"""
    answers = [client.data(lineage, {"id": ENGINE, "d": d})["once"] for d in (1, 3, 1)]
    assert compiled.count("lineage") == 1
    assert answers[0] == answers[2] != answers[1]
    # link fields use the request (its loaders, its variables): compiled per request
    listing = """query($n: Int!) { modelWorks(first: $n) { edges { node { name
      versions { edges { node { version } } } } } } }"""
    compiled.clear()
    for n in (1, 2):
        client.data(listing, {"n": n})
    assert compiled.count("modelWorks") == 2
