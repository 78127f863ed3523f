"""Fuzzing a real server: generated GraphQL requests and raw bodies never make it fail.

``opencase serve`` runs in its own process on a seeded store, so its resident
memory is its own. Hypothesis sends requests built from the schema the server
introspects (every root query and mutation field, arguments of the right kind
and of the wrong kind), then raw bodies of every shape and the bodies known
to have broken servers. Every answer must be a 2xx or 4xx; no error may be a
masked internal or store error (a timeout is allowed); the server log must
hold no traceback; and the server must end under 1 GiB resident. The number
of examples is fixed, so the run is bounded whatever the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from api_seed import seed
from apikit import _free_port
from fuzzkit import HOSTILE_BODIES, RAW_BODIES, encode, requests
from graphql import build_client_schema, get_introspection_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencase.graph import open_store

#: Codes that mean the server failed rather than the request.
FAILURES = {"INTERNAL_SERVER_ERROR", "STORE_ERROR", "STORE_CAPACITY"}
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
RSS_LIMIT = 1 << 30


class Server:
    def __init__(self, tmp: Path) -> None:
        path = str(tmp / "graph")
        with open_store(path) as store:
            store.install_schema()
            seed(store)
        self.port = _free_port()
        self.log = tmp / "server.log"
        env = {**os.environ, "OPENCASE_REQUEST_TIMEOUT": "10"}
        command = [sys.executable, "-m", "opencase.cli", "serve", "--store", path]
        command += ["--port", str(self.port)]
        self.process = subprocess.Popen(
            command, stdout=self.log.open("wb"), stderr=subprocess.STDOUT, env=env
        )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the server did not start in 60 s"
            try:
                if self.http.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)

    def rss(self) -> int:
        return int(psutil.Process(self.process.pid).memory_info().rss)

    def post(self, body: bytes, content_type: str = "application/json") -> httpx.Response:
        return self.http.post("/graphql", content=body, headers={"content-type": content_type})

    def close(self) -> None:
        self.http.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = Server(tmp_path_factory.mktemp("fuzz"))
    yield s
    s.close()


def _check(response: httpx.Response, sent: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500], sent)
    if "json" not in response.headers.get("content-type", ""):
        return
    body = response.json()
    errors = body.get("errors") if isinstance(body, dict) else None
    for error in errors or ():
        code = (error.get("extensions") or {}).get("code")
        assert code not in FAILURES, (error, str(sent)[:500])
    assert len(response.content) < 200_000 or not errors, "an error echoed its input"


def test_schema_fuzz(server: Server) -> None:
    introspected = server.http.post("/graphql", json={"query": get_introspection_query()})
    schema = build_client_schema(introspected.json()["data"])
    before = server.rss()

    @FUZZ
    @given(st.one_of(requests(schema, "query"), requests(schema, "mutation")))
    def one(request: dict[str, Any]) -> None:
        _check(server.post(encode(request)), request)

    one()
    print(f"server RSS before the schema fuzz {before >> 20} MiB, after {server.rss() >> 20} MiB")
    assert server.rss() < RSS_LIMIT


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=lambda b: repr(b[:24]))
def test_hostile_bodies(server: Server, body: bytes) -> None:
    _check(server.post(body), body[:100])


def test_raw_body_fuzz(server: Server) -> None:
    @FUZZ
    @given(RAW_BODIES, st.sampled_from(["application/json", "text/plain", "application/graphql"]))
    def one(body: bytes, content_type: str) -> None:
        _check(server.post(body, content_type), body[:200])

    one()
    health = server.http.get("/healthz")
    assert health.status_code == 200, health.text
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    print(f"server RSS after the fuzz {server.rss() >> 20} MiB")
    assert server.rss() < RSS_LIMIT
