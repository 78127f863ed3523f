"""The HTTP fast path (api/fast_path/) answers exactly as FastAPI and Strawberry's view do.

Two apps on the same seeded store, one with the fast path and one without,
get the same corpus of requests; every answer must match: status code, every
header, and the body byte for byte. The fast path's ``answered`` count shows
which requests it took itself (plain JSON queries) and which it passed on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.api.auth import ApiKeyStore
from opencase.api.fast_path import GraphQLFastPath
from opencase.graph import GraphStore

ENGINE = "model-work:A350:72:engine-health"
LINEAGE = """query($id: ID!, $depth: Int = 2) { lineage(id: $id, depth: $depth) {
  nodes { id objectType title depth } edges { source target linkType } partial } }"""
NESTED = """query Models($first: Int) { modelWorks(first: $first) { totalCount edges { node {
  id title acFamily versions { edges { node { id status } } } } } } }"""
TWO_OPERATIONS = """query A { modelWorks { totalCount } }
query B { lineage(id: "model-work:A350:72:engine-health", depth: 1) { partial } }"""
REGISTER = 'mutation { registerModel(name: "Fast Path", acFamily: A320) { logId } }'

#: (query, variables, operationName): plain JSON queries the fast path answers itself
ANSWERED: list[tuple[str, Any, Any]] = [
    ("{ __typename }", None, None),
    (LINEAGE, {"id": ENGINE}, None),
    (LINEAGE, {"id": ENGINE, "depth": 1}, None),
    (NESTED, {"first": 2}, "Models"),
    (NESTED, {}, None),
    (TWO_OPERATIONS, None, "A"),
    (TWO_OPERATIONS, None, "B"),
    (TWO_OPERATIONS, None, None),  # graphql-core asks for an operation name
    # errors found while executing: the same error objects, codes and paths
    (LINEAGE, {"id": "model-work:missing"}, None),  # NOT_FOUND
    (LINEAGE, {"id": "not-an-id"}, None),  # BAD_USER_INPUT
    (LINEAGE, {"id": ENGINE, "depth": 50}, None),  # a lineage cap
    (LINEAGE, {}, None),  # a missing required variable
    (LINEAGE, {"id": 12}, None),  # an Int for an ID: coerced
    (LINEAGE, {"id": ENGINE, "depth": "two"}, None),  # a variable of the wrong type
    (LINEAGE, {"id": ENGINE, "depth": 2**40}, None),  # past 32 bits
    ("{ modelWorks(first: 501) { totalCount } }", None, None),
    (f'{{ lineage(id: "{ENGINE}", linkTypes: ["nope"]) {{ partial }} }}', None, None),
    ('{ modelWorks(after: "garbage!") { totalCount } }', None, None),
]

#: request bodies the fast path hands to the full stack untouched
PASSED_ON: list[dict[str, Any] | list[Any] | str] = [
    {"query": "{ modelWorks { totalCount }", "variables": None},  # a syntax error
    {"query": "{ noSuchField }"},  # a validation error
    {"query": TWO_OPERATIONS, "operationName": "C"},  # no such operation
    {"query": REGISTER},  # a mutation without a key
    {"query": "subscription { objectChanged { id } }"},  # not over POST
    {"query": ""},
    {"query": None},
    {},
    {"query": 12},
    {"query": "{ __typename }", "variables": [1]},
    {"query": "{ __typename }", "extensions": "x"},
    {"query": "{ __typename }", "operationName": 3},
    [{"query": "{ __typename }"}],  # a batch
    "[]",
    "not json",
    '{"query": "{ __typename }"',
]

#: raw bodies that only the standard library's decoder (the view's) reads as they must be
#: read: the fast path decodes with it too, and answers them
DECODED_ALIKE = [
    '{"query": "query($n: Int) { modelWorks(first: $n) { totalCount } }", "variables": {"n": NaN}}',
    '{"query": "query($n: Int) { modelWorks(first: $n) { totalCount } }", '
    '"variables": {"n": 18446744073709551616}}',
    '{"query": "query($id: ID!) { object(id: $id) { id } }", "variables": {"id": "\\ud800"}}',
    "\ufeff" + json.dumps({"query": "{ __typename }"}),  # a byte order mark
]


def _fast_path(app: Any) -> GraphQLFastPath:
    """The app's fast path middleware (its stack is built at the first request)."""
    layer = app.middleware_stack
    while not isinstance(layer, GraphQLFastPath):
        layer = layer.app
    return layer


def _masked(content: bytes) -> bytes:
    """The body with the random id of each internal error (logged, quoted) blanked out."""
    try:
        errors = json.loads(content).get("errors") or []
    except (ValueError, AttributeError):
        return content
    for error in errors:
        error_id = (error.get("extensions") or {}).get("errorId")
        if error_id:
            content = content.replace(error_id.encode(), b"<error id>")
    return content


class Pair:
    """The same requests to an app with the fast path and to one without."""

    def __init__(self, store: GraphStore, **options: Any) -> None:
        self.fast = GraphQLClient(create_app(store=store, **options))
        self.full = GraphQLClient(create_app(store=store, fast_path=False, **options))

    def answers(self, method: str, url: str, **kw: Any) -> httpx.Response:
        """Both answers, asserted equal; the fast app's is returned."""
        fast = self.fast.request(method, url, **kw)
        full = self.full.request(method, url, **kw)
        assert fast.status_code == full.status_code, (fast.text, full.text)
        assert fast.headers.multi_items() == full.headers.multi_items()
        assert _masked(fast.content) == _masked(full.content)
        return fast

    @property
    def answered(self) -> int:
        return _fast_path(self.fast.app).answered

    def close(self) -> None:
        self.fast.close()
        self.full.close()


@pytest.fixture(scope="module")
def pair(seeded_store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    keys = tmp_path_factory.mktemp("fast-keys") / "keys.json"
    p = Pair(seeded_store, keys_path=keys)
    p.answers("POST", "/graphql", json={"query": "{ __typename }"})  # builds the stack
    yield p
    p.close()


def _post(pair: Pair, body: Any, **headers: str) -> httpx.Response:
    if isinstance(body, str):
        content = body.encode()
        headers = {"content-type": "application/json", **headers}
        return pair.answers("POST", "/graphql", content=content, headers=headers)
    return pair.answers("POST", "/graphql", json=body, headers=headers)


@pytest.mark.parametrize("query, variables, operation", ANSWERED)
def test_plain_json_queries_are_answered_by_the_fast_path_alike(
    pair: Pair, query: str, variables: Any, operation: Any
) -> None:
    body: dict[str, Any] = {"query": query, "variables": variables}
    if operation is not None:
        body["operationName"] = operation
    for _ in range(2):  # the first prepares the document, the second reuses it
        before = pair.answered
        response = _post(pair, body)
        assert pair.answered == before + 1
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("body", PASSED_ON, ids=lambda b: repr(b)[:40])
def test_everything_else_is_passed_on_to_the_full_stack(pair: Pair, body: Any) -> None:
    for _ in range(2):
        before = pair.answered
        _post(pair, body)
        assert pair.answered == before


@pytest.mark.parametrize("body", DECODED_ALIKE, ids=lambda b: repr(b)[:40])
def test_bodies_are_decoded_as_the_view_decodes_them(pair: Pair, body: str) -> None:
    before = pair.answered
    _post(pair, body)
    assert pair.answered == before + 1


def test_other_methods_paths_and_content_types_are_passed_on(pair: Pair) -> None:
    body = json.dumps({"query": "{ modelWorks { totalCount } }"}).encode()
    before = pair.answered
    pair.answers("GET", "/graphql", params={"query": "{ modelWorks { totalCount } }"})
    pair.answers("GET", "/graphql", headers={"accept": "text/html"})  # the playground
    pair.answers("POST", "/graphql", content=body, headers={"content-type": "text/plain"})
    pair.answers("POST", "/graphql", content=body)  # no content type at all
    pair.answers("POST", "/graphql", content=body, headers={"content-type": "Application/JSON"})
    pair.answers(
        "POST",
        "/graphql",
        content=b"--b\r\n",
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    pair.answers("POST", "/graphql?apiKey=oc_nope", content=body, headers=_json())
    pair.answers("POST", "/graphql/", content=body, headers=_json())
    pair.answers("PUT", "/graphql", content=body, headers=_json())
    pair.answers("POST", "/graphql", content=body, headers=_json(accept="multipart/mixed"))
    pair.answers("POST", "/graphql", content=body, headers=_json(accept="text/event-stream"))
    pair.answers("GET", "/healthz")
    assert pair.answered == before
    # a charset parameter is still JSON, as the view reads it
    content_type = {"content-type": "application/json; charset=utf-8"}
    pair.answers("POST", "/graphql", content=body, headers=content_type)
    assert pair.answered == before + 1


def _json(**more: str) -> dict[str, str]:
    return {"content-type": "application/json", **more}


def test_keys_are_checked_alike_when_reads_need_one(
    seeded_store: GraphStore, tmp_path: Path
) -> None:
    keys_path = tmp_path / "keys.json"
    keys = ApiKeyStore(keys_path)
    read, write = keys.create("read", "reader"), keys.create("write", "writer")
    pair = Pair(seeded_store, keys_path=keys_path, require_read_key=True)
    try:
        body = {"query": LINEAGE, "variables": {"id": ENGINE}}
        pair.answers("POST", "/graphql", json={"query": "{ __typename }"})
        answered = pair.answered
        for key in (None, "oc_0000_not-a-key", read, write):
            headers = {"X-API-Key": key} if key else {}
            found = _post(pair, body, **headers).json()
            assert bool(found.get("errors")) == (key in (None, "oc_0000_not-a-key"))
            if key != write:  # refused: nothing is written by either app
                mutation = _post(pair, {"query": REGISTER}, **headers).json()
                code = mutation["errors"][0]["extensions"]["code"]
                assert code == ("FORBIDDEN" if key == read else "UNAUTHENTICATED")
        # the queries were the fast path's, the mutations the full stack's
        assert pair.answered == answered + 4
    finally:
        pair.close()


def test_a_request_past_its_time_limit_times_out_alike(
    seeded_store: GraphStore, tmp_path: Path
) -> None:
    # a limit of zero: every store call is already late, so the answer never depends on speed
    pair = Pair(seeded_store, keys_path=tmp_path / "keys.json", request_timeout=0)
    try:
        body = {"query": LINEAGE, "variables": {"id": ENGINE}}
        first = _post(pair, body).json()
        assert first["errors"][0]["extensions"]["code"] == "TIMEOUT"
        _post(pair, {"query": NESTED, "variables": {"first": 1}})
        assert pair.answered == 2
    finally:
        pair.close()


def test_a_mutation_with_a_write_key_still_writes(store: GraphStore, tmp_path: Path) -> None:
    from api_seed import seed

    seed(store)
    keys = tmp_path / "keys.json"
    key = ApiKeyStore(keys).create("write", "writer")
    client = GraphQLClient(create_app(store=store, keys_path=keys))
    try:
        assert client.data(REGISTER, key=key)["registerModel"]["logId"]
        assert _fast_path(client.app).answered == 0
        assert client.data("{ modelWorks { totalCount } }")["modelWorks"]["totalCount"] == 4
        assert _fast_path(client.app).answered == 1
    finally:
        client.close()


def test_this_strawberry_has_what_the_fast_path_calls() -> None:
    """Else ``create_app`` quietly leaves the fast path out (see ``fast_path.supported``)."""
    from opencase.api.fast_path import supported
    from opencase.api.schema import build_schema

    assert supported(build_schema())
    assert not supported(object())
