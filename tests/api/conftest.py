"""API test fixtures: the real app on a real embedded store, driven over HTTP.

``server`` runs the app in a real uvicorn server on 127.0.0.1 (a free port),
on a store the app opens itself, as ``opencase serve`` does.

``GraphQLClient`` wraps an ``httpx.AsyncClient`` on ``httpx.ASGITransport``
with its own event loop so tests stay plain functions; it runs the app's
lifespan like a server would. Read-only tests share one seeded store per
module; tests that write get a fresh one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from api_seed import seed
from apikit import DemoApi, GraphQLClient, Running, _free_port

from opencase.api.app import create_app
from opencase.api.auth import SCOPES, ApiKeyStore
from opencase.graph import GraphStore, open_store
from opencase.loaders.demo import build_demo


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with open_store(str(tmp_path_factory.mktemp("api") / "graph")) as store:
        store.install_schema()
        seed(store)
        yield store


@pytest.fixture(scope="module")
def client(
    seeded_store: GraphStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphQLClient]:
    """A client on the shared seeded store (for tests that only read)."""
    keys = tmp_path_factory.mktemp("keys") / "keys.json"
    c = GraphQLClient(create_app(store=seeded_store, keys_path=keys))
    yield c
    c.close()


@pytest.fixture
def keys_path(tmp_path: Path) -> Path:
    return tmp_path / "apikeys.json"


@pytest.fixture
def write_key(keys_path: Path) -> str:
    return ApiKeyStore(keys_path).create("write", "tester")


@pytest.fixture
def read_key(keys_path: Path) -> str:
    return ApiKeyStore(keys_path).create("read", "reader")


@pytest.fixture
def writable(store: GraphStore, keys_path: Path) -> Iterator[GraphQLClient]:
    """A client on a fresh seeded store of its own (for tests that write)."""
    seed(store)
    c = GraphQLClient(create_app(store=store, keys_path=keys_path))
    yield c
    c.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    path = str(tmp_path / "graph")
    with open_store(path) as store:  # the server opens (and locks) it itself afterwards
        store.install_schema()
        seed(store)
    keys = tmp_path / "keys.json"
    write_key = ApiKeyStore(keys).create("write", "ws-tester")
    app = create_app(path, keys_path=keys)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive(), "the server failed to start"
        assert time.monotonic() < deadline, "the server did not start in 30 s"
        time.sleep(0.05)
    try:
        yield Running(f"127.0.0.1:{port}", app, write_key)
    finally:
        srv.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoApi]:
    """The demo graph behind the real app, shared by a module's tests (writes included:
    each test works on objects of its own, or reads what it wrote)."""
    root = tmp_path_factory.mktemp("demo")
    with open_store(str(root / "graph")) as store:
        store.install_schema()
        report = build_demo(store)
        assert report.ok, report.problems
        keys_store = ApiKeyStore(root / "keys.json")
        keys = {scope: keys_store.create(scope, f"{scope}-key") for scope in SCOPES}
        c = GraphQLClient(create_app(store=store, keys_path=root / "keys.json"))
        yield DemoApi(c, keys, store)
        c.close()
