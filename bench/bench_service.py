"""Service benchmark: a real ``opencase serve`` on the demo store, under concurrent clients.

What it measures, in one run, each workload on the same server process:

* ``reads``: a five-row listing, sequential and with 16 concurrent clients;
* ``lineage``: a depth-4 lineage from a demo model, 16 clients;
* ``actions``: mixed small writes (registerModel, addStatusUpdate,
  upsertObject), sequential and with 16 clients;
* ``mixed``: 16 clients, eight reads, one lineage and one action in ten;
* ``engine``: beside them, the engine's own small-transaction rate on a
  scratch database in the same process tree: each transaction MERGEs two
  nodes and the link between them (the yardstick the action rate is judged
  against: at least half of it);
* ``soak``: ``$OPENCASE_BENCH_SOAK`` (default 10,000) sequential actions, with
  the server's resident memory after the first thousand and at the end.

Every workload row carries throughput, p50/p99 latency (of answered
requests, through HTTP on 127.0.0.1, client included), errors and the
server's RSS after it. The machine may be shared: the saved results carry
the load average (see :mod:`bench.harness`). ``$OPENCASE_BENCH_PORT`` picks
the server's port.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import ladybug

from bench.harness import BenchArgs, Row
from bench.service_load import Outcome, Request, Server, drive, serving
from opencase.api.auth import ApiKeyStore, default_keys_path
from opencase.graph import open_store
from opencase.loaders.demo import build_demo

NAME = "service"
CLIENTS = 16
SOAK = int(os.environ.get("OPENCASE_BENCH_SOAK", "10000"))

READ = "{ modelWorks(first: 5) { edges { node { id title } } } }"
LINEAGE = """query($id: ID!) { lineage(id: $id, depth: 4, maxNodes: 500) {
  nodes { id title depth } edges { source target linkType } } }"""
REGISTER = "mutation($n: String!) { registerModel(name: $n, acFamily: A350) { logId } }"
NOTE = "mutation($a: String!, $b: String!) { addStatusUpdate(actionId: $a, body: $b) { logId } }"
UPSERT = 'mutation($p: JSON!) { upsertObject(objectType: "partner", properties: $p) { logId } }'


def _ids(server: Server, listing: str) -> list[str]:
    import httpx

    query = f"{{ {listing}(first: 100) {{ edges {{ node {{ id }} }} }} }}"
    body = httpx.post(f"{server.url}/graphql", json={"query": query}, timeout=120).json()
    return [e["node"]["id"] for e in body["data"][listing]["edges"]]


def _workloads(server: Server) -> dict[str, Request]:
    actions, models = _ids(server, "actions"), _ids(server, "modelWorks")
    stamp, fresh = time.time_ns(), itertools.count()  # every registered model is new

    def action(i: int) -> tuple[str, dict[str, Any]]:
        kind = i % 3
        if kind == 0:
            return REGISTER, {"n": f"Bench model {stamp} {next(fresh)}"}
        if kind == 1:
            return NOTE, {"a": actions[i % len(actions)], "b": f"bench note {i}"}
        return UPSERT, {"p": {"name": f"Bench partner {i % 50}", "country": f"C{i}"}}

    def lineage(i: int) -> tuple[str, dict[str, Any]]:
        return LINEAGE, {"id": models[i % len(models)]}

    def mixed(i: int) -> tuple[str, dict[str, Any]]:
        if i % 10 == 8:
            return lineage(i)
        if i % 10 == 9:
            return action(i)
        return READ, {}

    return {"reads": lambda i: (READ, {}), "lineage": lineage, "actions": action, "mixed": mixed}


def _rows(what: str, outcome: Outcome, rss: float, target: str = "") -> list[Row]:
    note = f"{outcome.requests} requests, {outcome.errors} errors"
    if outcome.first_error:
        note += f"; first: {outcome.first_error[:120]}"
    return [
        Row(NAME, 0, f"{what} throughput", outcome.per_second, "/s", note, target),
        Row(NAME, 0, f"{what} p50", outcome.percentile(50), "ms", note),
        Row(NAME, 0, f"{what} p99", outcome.percentile(99), "ms", note),
        Row(NAME, 0, f"{what} errors", float(outcome.errors), "", note, "0"),
        Row(NAME, 0, f"{what} server RSS after", rss, "MiB", note),
    ]


def engine_rate(directory: Path, transactions: int = 500) -> float:
    """Small transactions a second on a bare engine database: MERGE two nodes and a link each."""
    db = ladybug.Database(str(directory / "engine"), buffer_pool_size=256 << 20)
    conn = ladybug.Connection(db)
    conn.set_max_threads_for_exec(1)
    conn.execute("CREATE NODE TABLE A(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE NODE TABLE B(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE R(FROM A TO B)")
    start = time.perf_counter()
    for i in range(transactions):
        conn.execute("BEGIN TRANSACTION")
        conn.execute(
            "MERGE (a:A {id: $a}) MERGE (b:B {id: $b}) MERGE (a)-[:R]->(b)",
            {"a": f"a{i}", "b": f"b{i % 50}"},
        )
        conn.execute("COMMIT")
    rate = transactions / (time.perf_counter() - start)
    conn.close()
    db.close()
    return rate


def run(args: BenchArgs) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="service-", dir=_workdir(args)))
    try:
        store = work / "graph"
        with open_store(str(store)) as graph:
            graph.install_schema()
            build_demo(graph)
        key = ApiKeyStore(default_keys_path(str(store))).create("write", "bench")
        rows: list[Row] = []
        with serving(store) as server:
            loads = _workloads(server)
            n = args.queries
            plan = [
                ("reads sequential", "reads", 2 * n, 1, ""),
                ("reads 16 clients", "reads", 5 * n, CLIENTS, ">= 1,000/s"),
                ("lineage 16 clients", "lineage", 2 * n, CLIENTS, ""),
                ("actions sequential", "actions", 2 * n, 1, ">= 150/s, p99 < 200 ms"),
                ("actions 16 clients", "actions", 2 * n, CLIENTS, ">= 150/s, p99 < 200 ms"),
                ("mixed 16 clients", "mixed", 5 * n, CLIENTS, ""),
            ]
            engine = engine_rate(work)
            note = "MERGE of 2 nodes and a link per transaction"
            rows.append(Row(NAME, 0, "engine small transactions", engine, "/s", note))
            for label, load, total, clients, target in plan:
                outcome = drive(server, loads[load], total, clients, key)
                rows += _rows(label, outcome, server.rss_mib(), target)
                if load == "actions":
                    ratio = outcome.per_second / engine
                    rows.append(Row(NAME, 0, f"{label} / engine", ratio, "x", "", ">= 0.5"))
            rows += _soak(server, loads["actions"], key)
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _soak(server: Server, request: Request, key: str) -> list[Row]:
    """``SOAK`` sequential actions; the server's RSS after the first thousand and at the end."""
    marks: dict[str, float] = {"start": server.rss_mib()}

    def seen(i: int) -> None:
        if i == min(999, SOAK // 10):
            marks["after first 1k"] = server.rss_mib()

    outcome = drive(server, request, SOAK, 1, key, seen)
    marks["end"] = server.rss_mib()
    growth = marks["end"] - marks.get("after first 1k", marks["start"])
    note = f"{outcome.requests} sequential actions, {outcome.errors} errors"
    return [
        Row(NAME, SOAK, "soak actions throughput", outcome.per_second, "/s", note),
        Row(NAME, SOAK, "soak errors", float(outcome.errors), "", note, "0"),
        Row(NAME, SOAK, "soak RSS at start", marks["start"], "MiB", note),
        Row(NAME, SOAK, "soak RSS after first 1k", marks.get("after first 1k", 0.0), "MiB", note),
        Row(NAME, SOAK, "soak RSS at end", marks["end"], "MiB", note),
        Row(NAME, SOAK, "soak RSS growth after 1k", growth, "MiB", note, "< 200"),
    ]


def _workdir(args: BenchArgs) -> Path:
    args.workdir.mkdir(parents=True, exist_ok=True)
    return args.workdir
