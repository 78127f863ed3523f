"""The root ``lineage`` field's graphql-core resolver answers as Strawberry's own did.

``resolve_lineage_directly`` (api/schema/query_graph.py) skips Strawberry's
per-call argument conversion; the same requests through the resolver
Strawberry builds for the field must give the same answers and errors
(direction given, defaulted or passed as a variable, link types, caps, ids).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from apikit import GraphQLClient

from opencase.api.schema import build_schema

ENGINE = "model-work:A350:72:engine-health"
FIELDS = "nodes { id objectType title depth } edges { source target linkType } partial"

REQUESTS: list[tuple[str, dict[str, Any]]] = [
    (f'{{ lineage(id: "{ENGINE}") {{ {FIELDS} }} }}', {}),
    (f'{{ lineage(id: "{ENGINE}", direction: DOWNSTREAM, depth: 2) {{ {FIELDS} }} }}', {}),
    (f'{{ lineage(id: "{ENGINE}", direction: UPSTREAM, maxNodes: 2) {{ {FIELDS} }} }}', {}),
    (
        "query($id: ID!, $dir: LineageDirection!, $links: [String!]) {"
        f" lineage(id: $id, direction: $dir, linkTypes: $links) {{ {FIELDS} }} }}",
        {"id": ENGINE, "dir": "BOTH", "links": ["model-work-has-version"]},
    ),
    (
        "query($id: ID!, $dir: LineageDirection!) {"
        f" lineage(id: $id, direction: $dir, depth: 1) {{ {FIELDS} }} }}",
        {"id": "model-version:A350:72:engine-health@1.0", "dir": "UPSTREAM"},
    ),
    (f'{{ lineage(id: "{ENGINE}", linkTypes: ["a", "nope"]) {{ partial }} }}', {}),
    (f'{{ lineage(id: "{ENGINE}", depth: -1) {{ partial }} }}', {}),
    (f'{{ lineage(id: "{ENGINE}", maxNodes: 0) {{ partial }} }}', {}),
    ('{ lineage(id: "model-work:missing") { partial } }', {}),
    ('{ lineage(id: "no-type") { partial } }', {}),
    ('{ a: lineage(id: "model-work:missing") { partial } b: __typename }', {}),
]


@pytest.fixture(scope="module")
def strawberry_lineage() -> Iterator[Any]:
    """Strawberry's resolver for the field (what ``lineage`` resolved through before)."""
    schema = build_schema()
    field = schema._schema.query_type.fields["lineage"]  # type: ignore[union-attr]
    definition = field.extensions["strawberry-definition"]
    yield schema.schema_converter.from_resolver(definition)


@pytest.mark.parametrize("query, variables", REQUESTS)
def test_the_direct_resolver_answers_as_strawberrys(
    client: GraphQLClient, strawberry_lineage: Any, query: str, variables: dict[str, Any]
) -> None:
    field = build_schema()._schema.query_type.fields["lineage"]  # type: ignore[union-attr]
    direct = field.resolve
    try:
        field.resolve = strawberry_lineage
        before = client.post(query, variables)
    finally:
        field.resolve = direct
    assert client.post(query, variables) == before
