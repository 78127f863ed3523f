"""OpenLineage ingest: 10,000 run events (3 datasets each), over HTTP and from a file.

Targets: through a real uvicorn server in batches of 100 events, at least 2,000
events/s; the same events as a file through ``opencase load openlineage``'s
loader, at least 10,000 events/s; sending them all again writes nothing and
takes under 20 % of the first pass. Events are what pipelines send: START and
COMPLETE pairs of runs of 50 jobs, each reading two datasets and writing one,
so most datasets are shared between runs.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bench.harness import BenchArgs, Row
from opencase.api.app import create_app
from opencase.api.auth import ApiKeyStore
from opencase.graph import open_store
from opencase.loaders.openlineage import load_openlineage

EVENTS = 10_000
BATCH = 100
JOBS = 50
TABLES = 400


def run(args: BenchArgs) -> list[Row]:
    events = _events(min(EVENTS, *args.scales), args.seed)
    work = Path(args.workdir) / "openlineage"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    n = len(events)
    http_first, http_again = _over_http(work, events)
    file = work / "events.jsonl"
    file.write_text("".join(json.dumps(e) + "\n" for e in events))
    with open_store(str(work / "file-graph")) as store:
        store.install_schema()
        load_first, report = _timed(lambda: load_openlineage(store, file))
        load_again, again = _timed(lambda: load_openlineage(store, file))
    assert report.ok and again.created == again.updated == again.links_created == 0
    return [
        Row("openlineage", n, "HTTP ingest, batches of 100", n / http_first, "/s",
            target=">= 2,000", note=f"{http_first:.1f} s, real uvicorn server"),
        Row("openlineage", n, "HTTP re-send / first pass", http_again / http_first * 100, "%",
            target="< 20", note="writes nothing"),
        Row("openlineage", n, "opencase load openlineage (file)", n / load_first, "/s",
            target=">= 10,000", note=f"{load_first:.1f} s, {report.created:,} objects"),
        Row("openlineage", n, "file re-load / first load", load_again / load_first * 100, "%",
            target="< 20", note="writes nothing"),
    ]  # fmt: skip


def _over_http(work: Path, events: list[dict[str, Any]]) -> tuple[float, float]:
    path = str(work / "http-graph")
    keys = work / "keys.json"
    key = ApiKeyStore(keys).create("write", "bench")
    app = create_app(path, keys_path=keys)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/v1/lineage"
    try:
        with httpx.Client(headers={"Authorization": f"Bearer {key}"}, timeout=120) as client:
            passes = []
            for _ in range(2):
                start = time.perf_counter()
                for i in range(0, len(events), BATCH):
                    answer = client.post(url, json=events[i : i + BATCH])
                    assert answer.status_code == 201, answer.text[:500]
                passes.append(time.perf_counter() - start)
                if len(passes) == 2:
                    assert answer.json()["created"] == 0
    finally:
        server.should_exit = True
        thread.join(timeout=60)
    return passes[0], passes[1]


def _events(count: int, seed: int) -> list[dict[str, Any]]:
    """START/COMPLETE pairs in time order, as a scheduler emits them."""
    rng = uuid.UUID(int=seed)
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    out: list[dict[str, Any]] = []
    for i in range(count // 2):
        run_id = str(uuid.uuid5(rng, str(i)))
        job = {"namespace": "airflow-bench", "name": f"dag_{i % JOBS}.task"}
        inputs = [_dataset(i * 7 % TABLES), _dataset((i * 7 + 1) % TABLES)]
        output = _dataset(TABLES + i % (TABLES // 2))
        for state, minutes, io in (
            ("START", 0, {"inputs": inputs}),
            ("COMPLETE", 3, {"outputs": [output]}),
        ):
            out.append(
                {
                    "eventType": state,
                    "eventTime": (base + dt.timedelta(minutes=i * 5 + minutes)).isoformat(),
                    "producer": "https://example.org/bench",
                    "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                    "run": {"runId": run_id, "facets": {}},
                    "job": job,
                    "inputs": [],
                    "outputs": [],
                    **io,
                }
            )  # fmt: skip
    return out


def _dataset(n: int) -> dict[str, Any]:
    return {"namespace": "postgres://warehouse:5432", "name": f"analytics.table_{n}", "facets": {}}


def _timed(call):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result
