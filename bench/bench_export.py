"""RDF export benchmark: streaming N-Triples from the store vs rdflib's ``Graph.serialize``.

Per scale: generate the synthetic graph (``bench.generate``) and load it into an
embedded store (kept in the workdir and reused when scale and seed match), then,
each in a fresh process so peak RSS is its own:

* ``opencase`` export: ``Exporter`` streaming schema and instances to an .nt file
  (store scan + rendering + writing, all included in the time);
* rdflib baseline: the first ``--baseline-triples`` lines of that same file
  parsed into a ``Graph`` (not timed), then ``Graph.serialize(format="nt")``
  timed alone. A sample, because rdflib needs several GiB per ten million
  triples; its rate hardly depends on the graph's size.

``python -m bench.run --only export --scales 1M`` runs it through the harness.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.harness import BenchArgs, Row

NAME = "export"
BASELINE_TRIPLES = 1_000_000


def run(args: BenchArgs) -> list[Row]:
    """The harness entry point: one child process per scale, rows back as JSON."""
    rows: list[Row] = []
    for scale in args.scales:
        cmd = [sys.executable, "-m", "bench.bench_export", "--scale", str(scale)]
        cmd += ["--seed", str(args.seed), "--workdir", str(args.workdir)]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        rows += [Row(**r) for r in json.loads(done.stdout)]
    return rows


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(*args: str) -> dict[str, float]:
    cmd = [sys.executable, "-m", "bench.bench_export", *args]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def prepare_store(scale: int, seed: int, workdir: Path) -> tuple[Path, dict[str, float]]:
    """The loaded store for ``(scale, seed)``, built once and reused by later runs."""
    root = workdir / f"export-{scale}"
    marker = root / "built.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        if info.get("seed") == seed:
            return root / "store", info
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    info = _child("--build", str(root / "store"), "--scale", str(scale), "--seed", str(seed))
    info["seed"] = seed
    marker.write_text(json.dumps(info))
    return root / "store", info


def measure(scale: int, seed: int, workdir: Path) -> list[Row]:
    store, built = prepare_store(scale, seed, workdir)
    out = store.parent / "export.nt"
    ours = _child("--export", str(store), "--out", str(out))
    base = _child("--baseline", str(out), "--limit", str(BASELINE_TRIPLES))
    out.unlink(missing_ok=True)
    shape = f"{int(built['objects']):,} objects + {int(built['links']):,} links"
    triples = ours["triples"]
    end_to_end = triples / ours["seconds"]
    writer = triples / (ours["seconds"] - ours["scan_seconds"])
    base_rate = base["triples"] / base["seconds"]
    big = scale >= 1_000_000
    return [
        Row(
            NAME,
            scale,
            "opencase nt, end to end",
            end_to_end,
            "/s",
            f"triples/s; {int(triples):,} triples in {ours['seconds']:.1f} s, "
            f"{ours['scan_seconds']:.1f} s of it in the store's scans; {shape}",
        ),
        Row(
            NAME,
            scale,
            "opencase nt writer",
            writer,
            "/s",
            "triples/s; same run without the time inside the store's scans",
        ),
        Row(
            NAME,
            scale,
            "rdflib Graph.serialize nt",
            base_rate,
            "/s",
            f"triples/s; first {int(base['triples']):,} triples of the same export, "
            "serialize only (parse not timed)",
        ),
        Row(
            NAME,
            scale,
            "writer vs rdflib",
            writer / base_rate,
            "x",
            "both without reading the data",
            ">= 3" if big else "",
        ),
        Row(NAME, scale, "end to end vs rdflib", end_to_end / base_rate, "x", "scan included"),
        Row(
            NAME,
            scale,
            "export peak RSS",
            ours["peak_mib"],
            "MiB",
            "fresh process: open store, stream to file",
            "< 1024" if big else "",
        ),
        Row(
            NAME,
            scale,
            "rdflib peak RSS",
            base["peak_mib"],
            "MiB",
            f"graph of {int(base['triples']):,} triples + serialize",
        ),
    ]


# ---- child processes ---------------------------------------------------------------------


def _build(path: Path, scale: int, seed: int) -> dict[str, float]:
    from bench.generate import generate
    from opencase.graph import open_store

    objects, links = generate(scale, seed)
    start = time.perf_counter()
    with open_store(str(path)) as store:
        store.install_schema()
        for _ in store.upsert(objects, links):
            pass
    return {"objects": len(objects), "links": len(links), "load_s": time.perf_counter() - start}


class _TimedScans:
    """Delegates the scans the exporter uses and adds up the time spent inside them."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.seconds = 0.0

    def _timed(self, batches: Iterator[Any]) -> Iterator[Any]:
        while True:
            start = time.perf_counter()
            batch = next(batches, None)
            self.seconds += time.perf_counter() - start
            if batch is None:
                return
            yield batch

    def scan_objects(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return self._timed(self.store.scan_objects(*args, **kwargs))

    def scan_links(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return self._timed(self.store.scan_links(*args, **kwargs))


def _export(path: Path, out: Path) -> dict[str, float]:
    from opencase.export import Exporter, ExportOptions, RdfFormat
    from opencase.graph import open_store

    start = time.perf_counter()
    exporter = Exporter(ExportOptions(format=RdfFormat.NT))
    with open_store(str(path), read_only=True) as store, out.open("w", encoding="utf-8") as fh:
        timed = _TimedScans(store)
        exporter.write(timed, fh)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    with out.open("rb") as fh:
        triples = sum(1 for _ in fh)
    return {
        "seconds": seconds,
        "scan_seconds": timed.seconds,
        "triples": triples,
        "peak_mib": _peak_mib(),
    }


def _baseline(nt: Path, limit: int) -> dict[str, float]:
    import io

    from rdflib import Graph

    with nt.open(encoding="utf-8") as fh:
        sample = "".join(itertools.islice(fh, limit))
    graph = Graph()
    graph.parse(data=sample, format="nt")
    del sample
    sink = io.BytesIO()
    start = time.perf_counter()
    graph.serialize(destination=sink, format="nt", encoding="utf-8")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "triples": len(graph), "peak_mib": _peak_mib()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", default=".opencase/bench")
    parser.add_argument("--build", type=Path, help="child: generate and load a store here")
    parser.add_argument("--export", type=Path, help="child: export this store")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--baseline", type=Path, help="child: rdflib on this .nt file")
    parser.add_argument("--limit", type=int, default=BASELINE_TRIPLES)
    ns = parser.parse_args()
    result: object
    if ns.build:
        result = _build(ns.build, ns.scale, ns.seed)
    elif ns.export:
        result = _export(ns.export, ns.out)
    elif ns.baseline:
        result = _baseline(ns.baseline, ns.limit)
    else:
        result = [asdict(r) for r in measure(ns.scale, ns.seed, Path(ns.workdir))]
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
