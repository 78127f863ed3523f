"""A real ``opencase serve`` process and concurrent GraphQL clients, for the service bench.

The server runs in its own process (its resident memory is its own, as in
production) on 127.0.0.1; the clients are asyncio tasks on one httpx
connection pool each, so the bench process costs as little CPU as it can on a
machine it shares with the server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

#: (query, variables) of the i-th request of a workload.
Request = Callable[[int], tuple[str, dict[str, Any]]]


def free_port() -> int:
    """``$OPENCASE_BENCH_PORT`` if set, else a port the OS says is free."""
    wanted = os.environ.get("OPENCASE_BENCH_PORT", "")
    if wanted.isdigit():
        return int(wanted)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def rss_mib(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / 2**20


@contextmanager
def serving(store: Path) -> Iterator[Server]:
    """``opencase serve`` on ``store`` until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "opencase.cli", "serve", "--store", str(store)]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                raise RuntimeError("the server exited at start")
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in 300 s")
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


@dataclass
class Outcome:
    """What one workload measured: latencies of the answered requests, errors, wall time."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]


def drive(
    server: Server,
    request: Request,
    total: int,
    clients: int,
    key: str,
    on_done: Callable[[int], None] | None = None,
) -> Outcome:
    """Send ``total`` requests from ``clients`` concurrent clients; ``on_done(i)`` after each."""
    return asyncio.run(_drive(server, request, total, clients, key, on_done))


async def _drive(
    server: Server,
    request: Request,
    total: int,
    clients: int,
    key: str,
    on_done: Callable[[int], None] | None,
) -> Outcome:
    outcome = Outcome()
    counter = iter(range(total))
    headers = {"X-API-Key": key} if key else {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits) as http:

        async def client() -> None:
            for i in counter:
                query, variables = request(i)
                start = time.perf_counter()
                try:
                    response = await http.post(
                        "/graphql", json={"query": query, "variables": variables}, headers=headers
                    )
                    body = response.json()
                    failed = response.status_code != 200 or bool(body.get("errors"))
                except (httpx.HTTPError, ValueError) as exc:
                    failed, body = True, {"errors": [{"message": repr(exc)}]}
                if failed:
                    outcome.errors += 1
                    outcome.first_error = outcome.first_error or str(body.get("errors"))[:300]
                else:
                    outcome.latencies_ms.append((time.perf_counter() - start) * 1000)
                if on_done is not None:
                    on_done(i)

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        outcome.seconds = time.perf_counter() - began
    return outcome
