"""The request limits of api/limits.py: each refused before the store, with its code and name.

Apps here get small limits so that requests stay small; the defaults are the
same checks with larger numbers.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.api.limits import Limits
from opencase.errors import GraphStoreError, ValidationError
from opencase.graph import GraphStore
from opencase.ontology import ONTOLOGY
from opencase.queries.filters import Cmp, Or, Params
from opencase.queries.where import WhereCompiler

SMALL = Limits(
    max_body_bytes=20_000,
    max_query_tokens=400,
    max_aliases=3,
    max_root_fields=4,
    max_query_cost=1_000,
    max_list_items=20,
    max_filter_terms=5,
    max_string_length=200,
)


@pytest.fixture(scope="module")
def small(seeded_store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    keys = tmp_path_factory.mktemp("keys") / "keys.json"
    c = GraphQLClient(create_app(store=seeded_store, keys_path=keys, limits=SMALL))
    yield c
    c.close()


def _refused(client: GraphQLClient, limit: str, query: str, variables: Any = None) -> Any:
    err = client.error(query, variables)
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED", err
    assert err["extensions"]["limit"] == limit
    assert err["extensions"]["max"] == getattr(SMALL, limit)
    assert SMALL.env_name(limit) in err["extensions"]["suggestion"]
    return err


def test_a_body_over_the_limit_is_refused_unread(small: GraphQLClient) -> None:
    big = {"query": "{ modelWorks { totalCount } }", "variables": {"x": "a" * 30_000}}
    response = small.request("POST", "/graphql", json=big)
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert error["extensions"]["limit"] == "max_body_bytes"

    async def chunks() -> Any:  # no Content-Length: counted as it streams
        for _ in range(30):
            yield b" " * 1_000

    response = small.request(
        "POST", "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_tokens_aliases_root_fields_depth_and_cost(small: GraphQLClient) -> None:
    many = " ".join(f"f{i}: __typename" for i in range(300))
    _refused(small, "max_query_tokens", "{ " + many + " }")
    aliased = " ".join(f"a{i}: modelWorks(first: 1) {{ totalCount }}" for i in range(4))
    _refused(small, "max_aliases", "{ " + aliased + " }")
    roots = "{ modelWorks(first: 1) { totalCount } modelVersions(first: 1) { totalCount } "
    roots += "experiments(first: 1) { totalCount } datasets(first: 1) { totalCount } "
    _refused(small, "max_root_fields", roots + "partners(first: 1) { totalCount } }")
    # 100 model works with 100 versions each may return 10,100 objects
    err = _refused(
        small, "max_query_cost", "{ modelWorks { edges { node { versions { totalCount } } } } }"
    )
    assert "10,100" in err["message"]
    # the same with smaller pages is served
    data = small.data(
        "{ modelWorks(first: 5) { edges { node { versions(first: 5) { totalCount } } } } }"
    )
    assert len(data["modelWorks"]["edges"]) == 3
    hop = "modelWork { versions(first: 1) { edges { node { "
    deep = "{ modelWorks(first: 1) { edges { node { versions(first: 1) { edges { node { "
    deep += hop * 3 + "id"
    deep += " }" * deep.count("{")
    _refused(small, "max_query_depth", deep)


def test_list_items_filter_terms_and_string_length(small: GraphQLClient) -> None:
    query = "query($w: ModelWorkWhere) { modelWorks(where: $w) { totalCount } }"
    names = [f"m{i}" for i in range(21)]
    err = _refused(small, "max_list_items", query, {"w": {"name": {"in": names}}})
    assert err["extensions"]["field"] == "variables.w.name.in"
    terms = [{"name": {"eq": n}} for n in names[:6]]
    _refused(small, "max_filter_terms", query, {"w": {"OR": terms}})
    literal = ", ".join(f'{{name: {{eq: "{n}"}}}}' for n in names[:6])
    _refused(
        small, "max_filter_terms", "{ modelWorks(where: {OR: [" + literal + "]}) { totalCount } }"
    )
    # five terms are served, and an OR of equalities answers as the in list does
    both = small.data(
        query, {"w": {"OR": [{"name": {"eq": "Engine Health"}}, {"name": {"eq": "m1"}}]}}
    )
    listed = small.data(query, {"w": {"name": {"in": ["Engine Health", "m1"]}}})
    assert both == listed and both["modelWorks"]["totalCount"] == 1
    long_id = "model-work:" + "x" * 1_000
    err = _refused(
        small, "max_string_length", "query($id: ID!) { object(id: $id) { id } }", {"id": long_id}
    )
    assert "x" * 100 not in str(err)


def test_errors_quote_only_a_prefix_of_the_input(client: GraphQLClient) -> None:
    long_id = "zzz:" + "y" * 20_000
    body = client.post("query($id: ID!) { object(id: $id) { id } }", {"id": long_id})
    text = str(body["errors"])
    assert "y" * 400 not in text and len(text) < 2_000


def test_text_that_is_not_unicode_is_refused_in_our_words(client: GraphQLClient) -> None:
    as_variable = (
        b'{"query": "query($t: String!) { search(text: $t) { id } }", '
        b'"variables": {"t": "\\ud800x"}}'
    )
    in_document = b'{"query": "{ search(text: \\"\\\\ud800x\\") { id } }"}'
    for body in (as_variable, in_document):
        response = client.request(
            "POST", "/graphql", content=body, headers={"content-type": "application/json"}
        )
        err = response.json()["errors"][0]
        assert "cast" not in str(err) and "pybind" not in str(err).lower()
        if body is as_variable:  # refused as the body is read, or as the arguments are
            assert err["extensions"]["code"] in ("BAD_REQUEST", "BAD_USER_INPUT"), err
            assert "surrogate" in err["message"]
        else:  # the parser refuses such an escape in a document
            assert "Invalid Unicode escape" in err["message"]


class EngineFailure:
    """The real store, whose search fails as the engine fails, in the engine's words."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def search(self, *args: Any, **kwargs: Any) -> Any:
        raise GraphStoreError("the embedded graph store failed: Binder exception: n.secret")


def test_store_errors_carry_no_engine_text(
    seeded_store: GraphStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(store=EngineFailure(seeded_store), keys_path=tmp_path / "k.json")  # type: ignore[arg-type]
    client = GraphQLClient(app)
    try:
        with caplog.at_level(logging.ERROR, logger="opencase.api"):
            err = client.error('{ search(text: "x") { id } }')
    finally:
        client.close()
    assert err["extensions"]["code"] == "STORE_ERROR"
    assert "Binder" not in str(err) and err["extensions"]["errorId"] in err["message"]
    logged = [r for r in caplog.records if err["extensions"]["errorId"] in r.getMessage()]
    assert logged and "Binder" in str(logged[0].exc_info[1])


def test_limits_come_from_the_environment() -> None:
    limits = Limits.from_env({"OPENCASE_MAX_ALIASES": "7", "OPENCASE_REQUEST_TIMEOUT": "2.5"})
    assert limits.max_aliases == 7 and limits.request_timeout == 2.5
    assert dataclasses.replace(limits, max_aliases=30) == Limits.from_env(
        {"OPENCASE_REQUEST_TIMEOUT": "2.5"}
    )
    with pytest.raises(ValidationError) as caught:
        Limits.from_env({"OPENCASE_MAX_PAGE_SIZE": "lots"})
    assert caught.value.problems[0].field == "OPENCASE_MAX_PAGE_SIZE"


def test_an_or_of_equalities_is_one_in_list() -> None:
    params = Params()
    ot = ONTOLOGY.object_type("ModelWork")
    equal = [Cmp("name", "eq", f"m{i}") for i in range(50)]
    node = Or((*equal, Cmp("name", "in", ["x"])))
    fragment = WhereCompiler(params).compile(ot, node, "n")
    assert " OR " not in fragment and list(params.values.values()) == [
        [f"m{i}" for i in range(50)] + ["x"]
    ]


def test_fragments_that_spread_each_other_are_refused_not_walked_forever(
    small: GraphQLClient,
) -> None:
    query = """{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"""
    err = small.error(query)
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
