"""Limits bench: what hostile requests cost a real server, and how fast it serves the next one.

``opencase serve --demo`` runs in its own process (so its resident memory is
its own); one HTTP client sends, in order:

* trivial queries (``modelWorks(first: 1) { totalCount }``) for a baseline;
* three 5,000-term ``OR`` filters written in the document (refused at the
  token limit), three passed as variables (refused at the list limit) and an
  ``in`` list of 100,000 names (refused at the list limit);
* three ``OR`` filters of 100 terms (the most a filter may have; served);
* 500 aliased ``modelWorks(first: 500)`` (refused at the alias limit);
* 200 largest pages (``modelWorks(first: 500)`` with every node's fields).

After each group the first trivial query's latency and the server's RSS are
recorded. Target: after the three 5,000-term filters a trivial query answers
in under 100 ms. ``python -m bench.bench_limits`` runs it alone.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.harness import BenchArgs, Row, print_rows, save_rows

TRIVIAL = {"query": "{ modelWorks(first: 1) { totalCount } }"}
WHERE_QUERY = "query($w: ModelWorkWhere) { modelWorks(where: $w) { totalCount } }"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server:
    def __init__(self, workdir: Path) -> None:
        self.port = int(os.environ.get("OPENCASE_BENCH_PORT") or _free_port())
        store = workdir / "limits-demo"
        self.log = (workdir / "limits-server.log").open("wb")
        command = [sys.executable, "-m", "opencase.cli", "serve", "--demo"]
        command += ["--store", str(store), "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=120)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited; see limits-server.log")
            try:
                if self.http.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not start in 180 s")

    def rss_mib(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / (1 << 20)

    def post(self, body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        start = time.perf_counter()
        response = self.http.post("/graphql", json=body)
        elapsed = (time.perf_counter() - start) * 1000
        return elapsed, response.json() if response.status_code < 500 else {"status": 500}

    def close(self) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def _or_document(terms: int) -> dict[str, Any]:
    parts = ", ".join(f'{{name: {{eq: "m{i}"}}}}' for i in range(terms))
    return {"query": "{ modelWorks(where: {OR: [" + parts + "]}) { totalCount } }"}


def _or_variables(terms: int) -> dict[str, Any]:
    where = {"OR": [{"name": {"eq": f"m{i}"}} for i in range(terms)]}
    return {"query": WHERE_QUERY, "variables": {"w": where}}


def _groups() -> list[tuple[str, list[dict[str, Any]]]]:
    names = [f"model-{i}" for i in range(100_000)]
    aliased = " ".join(f"a{i}: modelWorks(first: 500) {{ totalCount }}" for i in range(500))
    page = "{ modelWorks(first: 500) { edges { node { id name acFamily tags status } } } }"
    return [
        ("3 OR filters of 5,000 terms (document)", [_or_document(5_000)] * 3),
        ("3 OR filters of 5,000 terms (variables)", [_or_variables(5_000)] * 3),
        (
            "in list of 100,000 names",
            [{"query": WHERE_QUERY, "variables": {"w": {"name": {"in": names}}}}],
        ),
        ("3 OR filters of 100 terms (served)", [_or_variables(100)] * 3),
        ("500 aliased modelWorks(first: 500)", [{"query": "{ " + aliased + " }"}]),
        ("200 pages of 500", [{"query": page}] * 200),
    ]


def run(args: BenchArgs) -> list[Row]:
    workdir = Path(tempfile.mkdtemp(prefix="limits-", dir=_ensure(args.workdir)))
    server = _Server(workdir)
    rows: list[Row] = []
    try:
        for _ in range(5):
            server.post(TRIVIAL)  # warm: the first requests compile and cache
        baseline = [server.post(TRIVIAL)[0] for _ in range(30)]
        rows.append(Row("limits", 0, "trivial query p50", statistics.median(baseline), "ms"))
        rows.append(Row("limits", 0, "server RSS at start", server.rss_mib(), "MiB"))
        for name, bodies in _groups():
            took, codes = [], set()
            for body in bodies:
                elapsed, answer = server.post(body)
                took.append(elapsed)
                for error in answer.get("errors") or ():
                    codes.add((error.get("extensions") or {}).get("code", "?"))
                if answer.get("status") == 500:
                    codes.add("HTTP 500")
            after, _ = server.post(TRIVIAL)
            note = "answered: " + (", ".join(sorted(codes)) if codes else "data")
            rows.append(Row("limits", 0, f"{name}: slowest", max(took), "ms", note))
            target = "< 100 ms" if "5,000" in name else ""
            rows.append(Row("limits", 0, f"{name}: next trivial query", after, "ms", "", target))
            rows.append(Row("limits", 0, f"{name}: server RSS after", server.rss_mib(), "MiB"))
        time.sleep(2)
        rows.append(Row("limits", 0, "server RSS at the end", server.rss_mib(), "MiB"))
    finally:
        server.close()
    return rows


def _ensure(path: Path) -> str:
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


if __name__ == "__main__":
    bench_args = BenchArgs()
    result = run(bench_args)
    print_rows(result)
    print(save_rows("limits", result, bench_args))
