"""The executor's short path for plain fields answers exactly what the generic path does.

Every scalar and enum field of every generated type is selected, three levels
deep, once through the short path and once with it switched off; the two
responses (data, nulls and errors) must be identical.
"""

from __future__ import annotations

from apikit import GraphQLClient
from graphql import GraphQLObjectType

from opencase.api.schema import build_schema
from opencase.ontology import ONTOLOGY


def _leaves(type_name: str) -> str:
    executor = build_schema().execution_context_class
    return " ".join(name for (owner, name) in executor.plain if owner == type_name)


def _nested_query() -> str:
    schema = build_schema()._schema
    work = schema.get_type("ModelWork")
    assert isinstance(work, GraphQLObjectType)
    return f"""{{ modelWorks(first: 20) {{ totalCount pageInfo {{ hasNextPage endCursor }}
      edges {{ cursor node {{ {_leaves("ModelWork")}
        versions(first: 5, orderBy: [{{field: version, direction: DESC}}]) {{
          pageInfo {{ hasNextPage endCursor }}
          edges {{ cursor node {{ {_leaves("ModelVersion")}
            experiments {{ totalCount edges {{ node {{ {_leaves("Experiment")} }} }} }}
          }} }} }} }} }} }} }}"""


def test_every_object_type_has_short_path_fields() -> None:
    for ot in ONTOLOGY.object_types:
        assert "id" in _leaves(ot.name).split(), ot.name


def test_short_path_answers_like_the_generic_path(client: GraphQLClient) -> None:
    query = _nested_query()
    short = client.post(query)
    assert not short.get("errors"), short.get("errors")
    assert short["data"]["modelWorks"]["edges"], "the seeded store has model works"
    executor = build_schema().execution_context_class
    table, executor.plain = executor.plain, {}
    try:
        generic = client.post(query)
    finally:
        executor.plain = table
    assert short == generic
