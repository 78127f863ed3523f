"""Limits (page size, query depth, lineage caps, time) and how errors look to clients."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.graph import GraphStore


def test_page_size_is_capped(client: Any) -> None:
    err = client.error("{ modelWorks(first: 501) { totalCount } }")
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert err["extensions"]["limit"] == "max_page_size" and err["extensions"]["max"] == 500
    assert "500" in err["message"] and "after" in err["message"]
    assert "OPENCASE_MAX_PAGE_SIZE" in err["extensions"]["suggestion"]
    err = client.error(
        '{ modelWork(id: "A350:72:engine-health") { versions(first: 1000) { totalCount } } }'
    )
    assert "500" in err["message"]


def test_query_depth_is_limited(client: Any) -> None:
    hop = "modelWork { versions(first: 1) { edges { node { "
    nested = (
        "{ modelWorks(first: 1) { edges { node { versions(first: 1) { edges { node { "
        + hop * 4
        + "id"
        + " }" * 22
        + " }"
    )
    err = client.error(nested)
    assert err["extensions"]["limit"] == "max_query_depth"
    assert "16 deep" in err["message"]


def test_lineage_depth_and_node_caps(client: Any) -> None:
    err = client.error('{ lineage(id: "model-work:A350:72:engine-health", depth: 50) { partial } }')
    assert err["extensions"]["field"] == "depth"
    assert err["extensions"]["limit"] == "max_lineage_depth"
    err = client.error(
        '{ lineage(id: "model-work:A350:72:engine-health", maxNodes: 5001) { partial } }'
    )
    assert err["extensions"]["field"] == "maxNodes"
    assert err["extensions"]["code"] == "LIMIT_EXCEEDED"
    err = client.error('{ lineage(id: "model-work:A350:72:engine-health", depth: -1) { partial } }')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    err = client.error(
        '{ lineage(id: "model-work:A350:72:engine-health", linkTypes: ["no-such-link"]) '
        "{ partial } }"
    )
    assert err["extensions"]["field"] == "linkTypes[0]"


def test_bad_ids_and_cursors_are_input_errors(client: Any) -> None:
    err = client.error('{ object(id: "not-an-id") { id } }')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert "model-work:" in err["extensions"]["suggestion"]
    err = client.error('{ lineage(id: "model-work:missing") { partial } }')
    assert err["extensions"]["code"] == "NOT_FOUND"
    err = client.error('{ modelWorks(after: "garbage!") { totalCount } }')
    assert "cursor" in err["message"]


def test_unknown_aggregate_type_and_group(client: Any) -> None:
    err = client.error('{ aggregate(objectType: "Spaceship", groupBy: ["name"]) { count } }')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    err = client.error('{ aggregate(objectType: "ModelWork", groupBy: ["tags"]) { count } }')
    assert err["extensions"]["field"] == "groupBy[0]"


class FailingSearch:
    """Delegates to the real store, but its search fails like a driver bug would."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def search(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("MATCH (n:ModelWork) WHERE n.secret = $p0 RETURN n -- at line 42")


def test_unexpected_errors_are_masked(seeded_store: GraphStore, tmp_path: Path) -> None:
    client = GraphQLClient(
        create_app(store=FailingSearch(seeded_store), keys_path=tmp_path / "k.json")
    )  # type: ignore[arg-type]
    try:
        err = client.error('{ search(text: "x") { id } }')
    finally:
        client.close()
    assert err["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "MATCH" not in str(err) and "Traceback" not in str(err)
    assert err["extensions"]["errorId"] in err["message"]


def test_request_timeout(seeded_store: GraphStore, tmp_path: Path) -> None:
    # a zero time limit: every store call is past the deadline, deterministically
    client = GraphQLClient(
        create_app(store=seeded_store, keys_path=tmp_path / "k.json", request_timeout=0)
    )
    try:
        err = client.error("{ modelWorks { totalCount } }")
    finally:
        client.close()
    assert err["extensions"]["code"] == "TIMEOUT"


@pytest.mark.parametrize("via", ["flag", "env"])
def test_reads_can_require_a_key(
    seeded_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    from opencase.api.auth import ApiKeyStore

    keys = tmp_path / "k.json"
    read_key = ApiKeyStore(keys).create("read", "reader")
    if via == "env":
        monkeypatch.setenv("OPENCASE_REQUIRE_READ_KEY", "1")
    client = GraphQLClient(
        create_app(store=seeded_store, keys_path=keys, require_read_key=via == "flag")
    )
    try:
        err = client.error("{ modelWorks { totalCount } }")
        assert err["extensions"]["code"] == "UNAUTHENTICATED"
        assert (
            client.data("{ modelWorks { totalCount } }", key=read_key)["modelWorks"]["totalCount"]
            == 3
        )
        # the playground page itself still opens, so a browser can send its key
        assert client.request("GET", "/graphql", headers={"Accept": "text/html"}).status_code == 200
        assert client.request("GET", "/healthz").json()["requireReadKey"] is True
    finally:
        client.close()


def test_reads_are_open_by_default(client: Any) -> None:
    assert client.data("{ modelWorks { totalCount } }")["modelWorks"]["totalCount"] == 3
    health = client.request("GET", "/healthz").json()
    assert health == {"status": "ok", "backend": "embedded", "requireReadKey": False}
