"""`opencase serve` as a separate process on 127.0.0.1, for tests that restart it or weigh it.

A server in its own process is what users run: its resident memory is its
own (not the test runner's), and stopping it and starting another on the same
store is a real restart.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from opencase.api.auth import ApiKeyStore, default_keys_path


def port() -> int:
    """A free port: the first free one of ``$OPENCASE_TEST_PORTS`` (``LOW-HIGH``) if set."""
    span = os.environ.get("OPENCASE_TEST_PORTS", "")
    low, _, high = span.partition("-")
    candidates = range(int(low), int(high) + 1) if low.isdigit() and high.isdigit() else [0]
    for candidate in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError(f"no free port in OPENCASE_TEST_PORTS={span}")


def write_key(store_path: str | Path, name: str) -> str:
    """A new write key in the keys file the server of ``store_path`` reads."""
    return ApiKeyStore(default_keys_path(str(store_path))).create("write", name)


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen[bytes]

    def graphql(
        self,
        client: httpx.Client,
        query: str,
        variables: dict | None = None,
        key: str = "",  # type: ignore[type-arg]
    ) -> dict:  # type: ignore[type-arg]
        response = client.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"X-API-Key": key} if key else {},
        )
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


@contextmanager
def serving(store_path: str | Path, *, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Run ``opencase serve`` on the store until the block ends (then stop it, and wait)."""
    bound = port()
    command = [sys.executable, "-m", "opencase.cli", "serve", "--store", str(store_path)]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(bound)],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{bound}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, "the server exited at start"
            assert time.monotonic() < deadline, "the server did not start in 120 s"
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield Server(url, process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
