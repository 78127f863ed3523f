"""``python -m bench.run [--scales 100k,1M] [--only graph]``: run every bench module.

Modules are discovered as ``bench/bench_*.py``; each exposes
``run(args: BenchArgs) -> list[Row]``. Results go to ``bench/results/<name>.json``
and one rich table is printed at the end.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import BenchArgs, Row, print_rows, save_rows

_SUFFIX = {"k": 1_000, "m": 1_000_000}


def parse_scale(text: str) -> int:
    """``100k`` -> 100000, ``1M`` -> 1000000, ``2500`` -> 2500."""
    text = text.strip().lower().replace("_", "")
    if text and text[-1] in _SUFFIX:
        return int(float(text[:-1]) * _SUFFIX[text[-1]])
    return int(text)


def discover() -> list[str]:
    """Names of the bench modules (``graph`` for ``bench/bench_graph.py``), sorted."""
    here = Path(__file__).resolve().parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--scales", default="100k,1M", help="comma-separated object counts")
    parser.add_argument("--only", default="", help="comma-separated bench names (default: all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=200, help="queries per latency metric")
    parser.add_argument("--workdir", default=".opencase/bench", help="scratch directory")
    ns = parser.parse_args(argv)
    args = BenchArgs(
        scales=tuple(parse_scale(s) for s in ns.scales.split(",") if s.strip()),
        seed=ns.seed,
        workdir=Path(ns.workdir),
        queries=ns.queries,
    )
    names = discover()
    wanted = [n.strip() for n in ns.only.split(",") if n.strip()]
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        parser.error(f"unknown bench {', '.join(unknown)}; available: {', '.join(names)}")
    all_rows: list[Row] = []
    for name in wanted or names:
        module = importlib.import_module(f"bench.bench_{name}")
        rows = module.run(args)
        path = save_rows(name, rows, args)
        print(f"{name}: {len(rows)} rows -> {path}", file=sys.stderr)
        all_rows += rows
    print_rows(all_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
