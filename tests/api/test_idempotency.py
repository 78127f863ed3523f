"""Idempotency keys through GraphQL on a real server: a retry returns the first result.

The server runs as its own process and is restarted on the same store, so the
key is shown to live in the graph, not in the server's memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_seed import seed
from serverkit import serving, write_key

from opencase.graph import open_store

pytestmark = pytest.mark.slow

REGISTER = """mutation($name: String!, $key: String) {
  registerModel(name: $name, acFamily: A350, idempotencyKey: $key) {
    logId createdIds touchedIds summary replayed } }"""
UPDATE = """mutation($action: String!, $body: String!, $key: String) {
  addStatusUpdate(actionId: $action, body: $body, idempotencyKey: $key) {
    logId createdIds replayed } }"""
COUNTS = "{ modelWorks { totalCount } statusUpdates { totalCount } actionLogs { totalCount } }"


@pytest.fixture
def store_path(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "graph")
    with open_store(path) as store:
        store.install_schema()
        seed(store)
    yield path


def _counts(server, http: httpx.Client) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    data = server.graphql(http, COUNTS)["data"]
    return tuple(data[k]["totalCount"] for k in ("modelWorks", "statusUpdates", "actionLogs"))  # type: ignore[return-value]


def test_a_retry_returns_the_first_result_and_writes_nothing(store_path: str) -> None:
    alice, bob = write_key(store_path, "alice"), write_key(store_path, "bob")
    with serving(store_path) as server, httpx.Client(timeout=60) as http:
        first = server.graphql(http, REGISTER, {"name": "Retried", "key": "req-1"}, alice)
        first = first["data"]["registerModel"]
        assert first["replayed"] is False and len(first["createdIds"]) == 1
        after_first = _counts(server, http)

        again = server.graphql(http, REGISTER, {"name": "Retried", "key": "req-1"}, alice)
        assert again["data"]["registerModel"] == {**first, "replayed": True}
        assert _counts(server, http) == after_first

        update = {"action": "action:a1", "body": "called the partner", "key": "note-7"}
        noted = server.graphql(http, UPDATE, update, alice)["data"]["addStatusUpdate"]
        retried = server.graphql(http, UPDATE, update, alice)["data"]["addStatusUpdate"]
        assert retried == {**noted, "replayed": True}
        models, updates, logs = _counts(server, http)
        assert (models, updates, logs) == (after_first[0], after_first[1] + 1, after_first[2] + 1)

        other = server.graphql(http, REGISTER, {"name": "Something else", "key": "req-1"}, alice)
        error = other["errors"][0]
        assert "already used for a different request" in error["message"]
        assert _counts(server, http) == (models, updates, logs)

        # keys are per caller: bob's req-1 is his own request
        bobs = server.graphql(http, REGISTER, {"name": "Bob's", "key": "req-1"}, bob)
        assert bobs["data"]["registerModel"]["replayed"] is False
        assert bobs["data"]["registerModel"]["logId"] != first["logId"]

        blank = server.graphql(http, REGISTER, {"name": "Blank", "key": " "}, alice)
        assert "idempotency key" in blank["errors"][0]["message"]

    with serving(store_path) as server, httpx.Client(timeout=60) as http:  # a restart
        before = _counts(server, http)
        again = server.graphql(http, REGISTER, {"name": "Retried", "key": "req-1"}, alice)
        assert again["data"]["registerModel"] == {**first, "replayed": True}
        assert _counts(server, http) == before
        log = server.graphql(
            http,
            "query($id: ID!) { object(id: $id) { ... on ActionLog { actor idempotencyKey } } }",
            {"id": first["logId"]},
        )
        assert log["data"]["object"] == {"actor": "alice", "idempotencyKey": "req-1"}
