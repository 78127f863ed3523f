"""Lineage latency alone, on a store built once and reused: the quick loop for traversal work.

``python -m bench.lineage_only build --scale 1000000 --path /tmp/lineage1m/store``
generates and loads a store (minutes at 1M); ``python -m bench.lineage_only run
--scale 1000000 --path /tmp/lineage1m/store`` times random starts on it with the
same sampling as :func:`bench.graph_scale.lineage_latencies` (same seed, so the
same start ids), and prints p50 / p99 / CPU per query for each depth. Rebuilding
a 1M store for every traversal change would cost more than the change itself.
``--walk cypher`` times the Cypher level walk alone (the path taken when the
store's in-memory link snapshot is stale), for before/after comparisons; the
default ``store`` is what callers get, and the first (untimed) warm-up query
pays the snapshot build, which is printed separately.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench.generate import generate
from bench.graph_scale import _ids, _pct, lineage_latencies, store_load
from opencase.graph import open_store
from opencase.graph.lineage_walk import LevelWalk


def build(scale: int, seed: int, path: Path) -> None:
    """Generate ``scale`` objects and load them through the store at ``path``."""
    t0 = time.perf_counter()
    objects, links = generate(scale, seed)
    print(f"generated {len(objects):,} objects + {len(links):,} links", flush=True)
    wall, cpu = store_load(path, objects, links)
    print(f"loaded in {wall:.1f} s wall, {cpu:.1f} CPU-s ({time.perf_counter() - t0:.1f} s total)")


def cypher_latencies(
    path: Path, ids: list[str], queries: int, seed: int
) -> dict[int, tuple[list[float], float]]:
    """:func:`bench.graph_scale.lineage_latencies` (same starts), through the Cypher walk only."""
    return lineage_latencies(path, ids, queries, seed, walk=LevelWalk.lineage)


def snapshot_build_s(path: Path) -> float:
    """Seconds to build the link snapshot of the store at ``path`` (what a first lineage pays)."""
    from opencase.graph.ladybug_adjacency import Adjacency, fingerprint

    with open_store(str(path)) as store:
        t0 = time.perf_counter()
        Adjacency(store._conn, fingerprint(str(path), 0))  # type: ignore[attr-defined,arg-type]
        return time.perf_counter() - t0


def run(scale: int, seed: int, path: Path, queries: int, walk: str) -> None:
    """Time ``queries`` random starts per depth on an existing store."""
    objects, _ = generate(scale, seed)
    ids = _ids(objects)
    del objects
    measure = cypher_latencies if walk == "cypher" else lineage_latencies
    if walk != "cypher":
        print(f"snapshot build: {snapshot_build_s(path):.2f} s")
    for depth, (times, cpu_ms) in measure(path, ids, queries, seed).items():
        print(
            f"depth {depth}: p50 {statistics.median(times):8.1f} ms  "
            f"p99 {_pct(times, 0.99):8.1f} ms  max {max(times):8.1f} ms  "
            f"CPU/query {cpu_ms:7.1f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("build", "run"))
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--walk", choices=("store", "cypher"), default="store")
    ns = parser.parse_args()
    if ns.mode == "build":
        build(ns.scale, ns.seed, Path(ns.path))
    else:
        run(ns.scale, ns.seed, Path(ns.path), ns.queries, ns.walk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
