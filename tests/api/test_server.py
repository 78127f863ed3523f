"""A real uvicorn server on 127.0.0.1: HTTP queries, mutations and a live subscription."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets
from apikit import Running

pytestmark = pytest.mark.slow


def test_http_query_and_health(server: Running) -> None:
    health = httpx.get(f"http://{server.url}/healthz").json()
    assert health["status"] == "ok"
    body = httpx.post(
        f"http://{server.url}/graphql", json={"query": "{ modelWorks { totalCount } }"}
    ).json()
    assert body == {"data": {"modelWorks": {"totalCount": 3}}}


SUBSCRIBE = """subscription { objectChanged(objectTypes: ["ModelWork"]) {
  id objectType change actionType actor object { title } } }"""
MUTATE = 'mutation { registerModel(name: "Live Model", acFamily: A350) { createdIds } }'


async def _subscribe_then_mutate(server: Running) -> tuple[dict, list[str]]:
    async with websockets.connect(
        f"ws://{server.url}/graphql", subprotocols=["graphql-transport-ws"]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        bus = server.app.state.services.bus
        for _ in range(200):  # wait until the subscription listens before firing the action
            if bus.subscriber_count:
                break
            await asyncio.sleep(0.05)
        async with httpx.AsyncClient() as http:
            response = await http.post(
                f"http://{server.url}/graphql",
                json={"query": MUTATE},
                headers={"X-API-Key": server.write_key},
            )
        created = response.json()["data"]["registerModel"]["createdIds"]
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
        await ws.send(json.dumps({"id": "1", "type": "complete"}))
        return message, created


def test_subscription_fires_on_action(server: Running) -> None:
    message, created = asyncio.run(_subscribe_then_mutate(server))
    assert message["type"] == "next"
    assert message["id"] == "1"
    change = message["payload"]["data"]["objectChanged"]
    assert change["id"] in created
    assert change == {
        "id": change["id"],
        "objectType": "model-work",
        "change": "created",
        "actionType": "register-model",
        "actor": "ws-tester",
        "object": {"title": "Live Model"},
    }
