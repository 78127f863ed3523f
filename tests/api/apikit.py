"""Helpers shared by the API tests: an in-process GraphQL client and a running server."""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI


class GraphQLClient:
    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self._lifespan = app.router.lifespan_context(app)
        self.loop.run_until_complete(self._lifespan.__aenter__())
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.request(method, url, **kw))

    def post(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> dict[str, Any]:
        headers = {"X-API-Key": key} if key else {}
        response = self.request(
            "POST", "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    def data(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> dict[str, Any]:
        """The data of a query that must succeed."""
        body = self.post(query, variables, key)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def error(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> dict[str, Any]:
        """The first error of a query that must fail."""
        body = self.post(query, variables, key)
        assert body.get("errors"), body
        return body["errors"][0]

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.run_until_complete(self._lifespan.__aexit__(None, None, None))
        self.loop.close()


@dataclass
class Running:
    url: str
    app: FastAPI
    write_key: str


def _free_port() -> int:
    """A free port on 127.0.0.1; within ``OPENCASE_TEST_PORTS`` (e.g. ``18200-18249``) if set."""
    low, _, high = os.environ.get("OPENCASE_TEST_PORTS", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError(f"no free port in OPENCASE_TEST_PORTS={low}-{high}")
