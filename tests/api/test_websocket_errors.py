"""Errors sent over the WebSocket carry ``extensions.code``, as over HTTP.

Both subscription protocols, against a real uvicorn server: a document that
fails validation and a subscription whose arguments are refused when it
starts each answer with an error whose code a client can branch on.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from apikit import Running

pytestmark = pytest.mark.slow

INVALID = "subscription { noSuchField }"
REFUSED = 'subscription { objectChanged(objectTypes: ["NoSuchType"]) { id } }'


async def _transport_ws(server: Running, query: str) -> dict[str, Any]:
    async with websockets.connect(
        f"ws://{server.url}/graphql", subprotocols=["graphql-transport-ws"]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        return json.loads(await asyncio.wait_for(ws.recv(), timeout=30))  # type: ignore[no-any-return]


async def _graphql_ws(server: Running, query: str) -> dict[str, Any]:
    async with websockets.connect(f"ws://{server.url}/graphql", subprotocols=["graphql-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "start", "payload": {"query": query}}))
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
            if message["type"] != "ka":  # keep-alive
                return message  # type: ignore[no-any-return]


def _codes(message: dict[str, Any]) -> list[str]:
    payload = message["payload"]
    errors = payload if isinstance(payload, list) else payload.get("errors", [payload])
    return [e.get("extensions", {}).get("code") for e in errors]


@pytest.mark.parametrize(
    "query, code",
    [(INVALID, "GRAPHQL_VALIDATION_FAILED"), (REFUSED, "BAD_USER_INPUT")],
)
def test_websocket_errors_carry_a_code(server: Running, query: str, code: str) -> None:
    message = asyncio.run(_transport_ws(server, query))
    assert message["type"] in ("error", "next"), message
    assert _codes(message) == [code], message
    legacy = asyncio.run(_graphql_ws(server, query))
    assert legacy["type"] in ("error", "data"), legacy
    assert _codes(legacy) == [code], legacy
