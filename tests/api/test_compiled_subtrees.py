"""Compiled subtrees (api/schema/execution.py) answer exactly what the generic executor does.

Each query runs twice on the same seeded store: with the executor's compiled
completion of object subtrees, and with it switched off; the whole responses
(data, nulls, errors with their paths and codes) must be identical. The
queries cover what the compiled path handles (aliases, ``__typename``, paging
and ordering on link fields, filters, variables, single links) and what it
must hand back to the generic path (fragments, directives, polymorphic
links, merged fields, links not loaded ahead, argument errors, failing
store calls).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apikit import GraphQLClient, compiled_and_generic

from opencase.api.app import create_app
from opencase.api.schema import execution
from opencase.graph import GraphStore

ENGINE = "model-work:A350:72:engine-health"

NESTED = """query($after: String, $n: Int!) { modelWorks(first: $n, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { __typename id title name tags dueDate priority
    versions { totalCount edges { cursor node { id title version status
      experiments { edges { node { id runId seed startTime } } } } } } } } } }"""

QUERIES: list[tuple[str, dict[str, Any]]] = [
    (NESTED, {"n": 50}),
    (NESTED, {"n": 1}),
    (
        """{ modelWorks(orderBy: [{field: name, direction: DESC}]) { edges { node {
        name first: versions(first: 1, orderBy: [{field: version, direction: DESC}]) {
          totalCount pageInfo { hasNextPage endCursor } edges { cursor node { version } } }
        all: versions(where: {status: {in: [Approved, Draft]}}) {
          edges { node { version modelWork { name } } } } } } } }""",
        {},
    ),
    (
        """query($w: ModelVersionWhere) { modelVersions(where: $w) { edges { node {
        version modelWork { __typename name versions { totalCount } }
        experiments(first: 1, orderBy: [{field: runId}]) { edges { node { runId
          metrics { edges { node { name value compliant } } } } } } } } } }""",
        {"w": {"status": {"ne": "Draft"}}},
    ),
    # fragments, directives and merged fields: the generic path
    (
        """query($skip: Boolean!) { modelWorks { edges { node { ...W
        versions @skip(if: $skip) { totalCount } } } } }
        fragment W on ModelWork { name versions { edges { node { version } } } }""",
        {"skip": False},
    ),
    (
        """{ modelWorks { edges { node { name name versions { totalCount }
        versions { edges { node { ... on ModelVersion { version } } } } } } } }""",
        {},
    ),
    # a single object root: its links are loaded as they are reached, not ahead
    (
        """query($id: ID!) { modelWork(id: $id) { name versions { edges { node { version
        experiments { totalCount edges { node { runId } } } } } } } }""",
        {"id": ENGINE},
    ),
    # polymorphic results and the graph queries
    (
        """query($id: ID!) { object(id: $id) { __typename id ... on ModelWork { name } } }""",
        {"id": ENGINE},
    ),
    (
        """query($id: ID!) { lineage(id: $id, depth: 3) {
        nodes { id objectType title depth } edges { source target linkType } partial } }""",
        {"id": ENGINE},
    ),
    # argument errors under a listing: reported at every parent, with their paths
    ("""{ modelWorks { edges { node { name versions(first: 1000) { totalCount } } } } }""", {}),
    (
        """{ modelWorks { edges { node { versions(after: "garbage!") { totalCount } } } } }""",
        {},
    ),
    (
        """query($after: String) { modelWorks(where: {name: {eq: "Engine Health"}}) { edges { node {
        versions(first: 1, after: $after) { edges { cursor node { version } } } } } } }""",
        {"after": None},
    ),
]


@pytest.mark.parametrize(("query", "variables"), QUERIES)
def test_compiled_answers_like_the_generic_path(
    client: GraphQLClient, query: str, variables: dict[str, Any]
) -> None:
    compiled, generic = compiled_and_generic(client, query, variables)
    assert compiled == generic


def test_errors_keep_their_code_and_path(client: GraphQLClient) -> None:
    body = client.post(QUERIES[9][0])
    assert body["data"] is None
    err = body["errors"][0]
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert err["path"][:3] == ["modelWorks", "edges", 0]


def test_paging_a_link_field_continues_after_its_cursor(client: GraphQLClient) -> None:
    """A nested link's ``after`` given by a variable (the listing's look-ahead reads it too)."""
    query, _ = QUERIES[11]
    nodes = client.data(query, {"after": None})["modelWorks"]["edges"]
    first = nodes[0]["node"]["versions"]["edges"]
    assert len(first) == 1
    rest = client.data(query, {"after": first[0]["cursor"]})["modelWorks"]["edges"]
    after = rest[0]["node"]["versions"]["edges"]
    assert [e["node"]["version"] for e in after] == ["1.1"]
    assert first[0]["node"]["version"] == "1.0"
    compiled, generic = compiled_and_generic(client, query, {"after": first[0]["cursor"]})
    assert compiled == generic


def test_the_nested_listing_takes_the_compiled_path(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The three-level listing is completed in one compiled call, not field by field."""
    compiled: list[str] = []
    original = execution._Compiler.value

    def spy(self: Any, return_type: Any, node: Any) -> Any:
        complete = original(self, return_type, node)
        compiled.append(node.name.value)
        return complete

    monkeypatch.setattr(execution._Compiler, "value", spy)
    generic_fields: list[str] = []
    parent = execution.PlainFieldExecutor.execute_field

    def count(self: Any, parent_type: Any, *args: Any) -> Any:
        generic_fields.append(parent_type.name)
        return parent(self, parent_type, *args)

    monkeypatch.setattr(execution.PlainFieldExecutor, "execute_field", count)
    assert client.data(NESTED, {"n": 50})["modelWorks"]["edges"]
    assert "modelWorks" in compiled
    assert generic_fields == ["Query"]  # only the root field went through execute_field


class FailingNeighbours:
    """Delegates to the real store, but its neighbours call fails like a driver bug would."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def neighbours(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("MATCH (n:ModelVersion) RETURN n -- at line 7")


def test_failing_link_loads_stay_masked(seeded_store: GraphStore, tmp_path: Path) -> None:
    client = GraphQLClient(
        create_app(store=FailingNeighbours(seeded_store), keys_path=tmp_path / "k.json")  # type: ignore[arg-type]
    )
    try:
        for query, variables in (QUERIES[0], QUERIES[6]):
            compiled, generic = compiled_and_generic(client, query, variables)
            assert compiled["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
            assert "MATCH" not in str(compiled)
            # error ids differ per request; everything else must not
            for body in (compiled, generic):
                for err in body["errors"]:
                    err["message"] = err["extensions"].pop("errorId")[:0]
            assert compiled == generic
    finally:
        client.close()
