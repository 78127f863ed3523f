"""One scale of the graph benchmark, in its own process so that peak RSS means something.

``python -m bench.graph_scale --scale 100000`` prints the rows as JSON on stdout.
Order: generate, load through the store (validation included), lineage
latencies on that store, then the raw COPY of the same data into a fresh one.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import ladybug

from bench.copy_tables import node_tables, rel_tables
from bench.generate import generate
from bench.harness import Row
from opencase.graph import open_store
from opencase.queries.dialect import ident

DEPTHS = (2, 4, 6)
NAME = "graph"


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def store_load(path: Path, objects: list, links: list) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of the upsert through the store."""
    with open_store(str(path)) as store:
        store.install_schema()
        start, cpu = time.perf_counter(), time.process_time()
        for _ in store.upsert(objects, links):
            pass
        return time.perf_counter() - start, time.process_time() - cpu


def lineage_latencies(
    path: Path,
    ids: list[str],
    queries: int,
    seed: int,
    walk: Callable[..., Any] | None = None,
) -> dict[int, tuple[list[float], float]]:
    """Per depth: wall milliseconds per query, and mean CPU milliseconds per query.

    ``walk(store, id, depth=...)`` replaces ``store.lineage`` (e.g. to time one path alone).
    """
    rng = random.Random(seed)
    out: dict[int, tuple[list[float], float]] = {}
    with open_store(str(path)) as store:
        lineage = store.lineage if walk is None else partial(walk, store)
        for warm in rng.sample(ids, 20):
            lineage(warm, depth=2)
        for depth in DEPTHS:
            times = []
            cpu = time.process_time()
            for start_id in rng.sample(ids, queries):
                t0 = time.perf_counter()
                lineage(start_id, depth=depth)
                times.append((time.perf_counter() - t0) * 1000)
            out[depth] = (times, (time.process_time() - cpu) * 1000 / queries)
    return out


def raw_copy(path: Path, objects: list, links: list) -> tuple[float, float, float]:
    """(seconds building the Arrow tables, wall and CPU seconds of COPY + commit).

    One transaction for the whole load: the engine's fastest way in, so the ratio
    store / raw COPY is measured against the strictest baseline.
    """
    with open_store(str(path)) as store:
        store.install_schema()
    t0 = time.perf_counter()
    nodes, rels = node_tables(objects), rel_tables(links)
    t1 = time.perf_counter()
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    try:
        t2, cpu = time.perf_counter(), time.process_time()
        conn.execute("BEGIN TRANSACTION")  # measured: one commit beats one per COPY by ~2x
        for name, table in nodes.items():
            conn.execute(f"COPY {ident(name)} FROM $rows", {"rows": table})
        for rel in rels:
            conn.execute(
                f"COPY {ident(rel.rel_type)} FROM $rows (from='{rel.source}', to='{rel.target}')",
                {"rows": rel.table},
            )
        conn.execute("COMMIT")
        t3, cpu = time.perf_counter(), time.process_time() - cpu
    finally:
        conn.close()
        db.close()
    return t1 - t0, t3 - t2, cpu


def measure(scale: int, seed: int, workdir: Path, queries: int) -> list[Row]:
    root = workdir / f"graph-{scale}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    t0 = time.perf_counter()
    objects, links = generate(scale, seed)
    gen_s = time.perf_counter() - t0
    n_obj, n_links = len(objects), len(links)
    elements = n_obj + n_links
    shape = f"{n_obj:,} objects + {n_links:,} links"
    try:
        load_s, load_cpu = store_load(root / "store", objects, links)
        lat = lineage_latencies(root / "store", _ids(objects), queries, seed)
        peak = _rss_mib()
        prep_s, copy_s, copy_cpu = raw_copy(root / "copy", objects, links)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    big = scale >= 1_000_000
    store_rate, copy_rate = elements / load_s, elements / copy_s
    rows = [
        Row(NAME, scale, "generate", elements / gen_s, "elements/s", shape),
        Row(
            NAME,
            scale,
            "store upsert",
            store_rate,
            "elements/s",
            f"{load_s:.1f} s wall, validated",
            ">= 100,000" if big else "",
        ),
        Row(
            NAME,
            scale,
            "store upsert per CPU-s",
            elements / load_cpu,
            "elements/s",
            f"{load_cpu:.1f} CPU-s (contention-free view)",
        ),
        Row(
            NAME,
            scale,
            "raw COPY",
            copy_rate,
            "elements/s",
            f"{copy_s:.1f} s wall, one transaction (+{prep_s:.1f} s Arrow tables)",
        ),
        Row(
            NAME,
            scale,
            "raw COPY per CPU-s",
            elements / copy_cpu,
            "elements/s",
            f"{copy_cpu:.1f} CPU-s",
        ),
        Row(
            NAME,
            scale,
            "store / raw COPY",
            store_rate / copy_rate,
            "x",
            "wall",
            ">= 0.33" if big else "",
        ),
    ]
    rows.append(
        Row(NAME, scale, "store / raw COPY per CPU-s", copy_cpu / load_cpu, "x", "CPU time")
    )
    for depth, (times, cpu_ms) in lat.items():
        note = f"{len(times)} random starts, both ways, max 500 nodes"
        what = f"lineage depth {depth}"
        target = "< 10" if depth == 4 and big else ""
        rows.append(Row(NAME, scale, f"{what} p50", statistics.median(times), "ms", note))
        rows.append(Row(NAME, scale, f"{what} p99", _pct(times, 0.99), "ms", note, target))
        rows.append(Row(NAME, scale, f"{what} CPU/query", cpu_ms, "ms", "mean"))
    rows.append(Row(NAME, scale, "peak RSS", peak, "MiB", "generate + store load + queries"))
    return rows


def _ids(objects: list) -> list[str]:
    from opencase.ontology import ONTOLOGY

    out = []
    for record in objects:
        ot = ONTOLOGY.object_type(record.object_type)
        out.append(f"{ot.api_name}:{record.properties[ot.primary_key]}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", default=".opencase/bench")
    parser.add_argument("--queries", type=int, default=200)
    ns = parser.parse_args()
    rows = measure(ns.scale, ns.seed, Path(ns.workdir), ns.queries)
    json.dump([asdict(r) for r in rows], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
