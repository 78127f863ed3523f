"""What every bench module returns, and how results are shown and saved.

A bench module is ``bench/bench_<name>.py`` with ``run(args: BenchArgs) -> list[Row]``;
``python -m bench.run`` discovers them, so adding a benchmark (loaders, API,
MLflow sync, RDF export) is one new file and no edit here.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class BenchArgs:
    """What the command line asked for; modules ignore what does not concern them."""

    scales: tuple[int, ...] = (100_000, 1_000_000)
    seed: int = 7
    workdir: Path = Path(".opencase/bench")
    queries: int = 200


@dataclass(frozen=True)
class Row:
    """One measured number: which bench, at which scale, what, how much, in what unit."""

    bench: str
    scale: int
    metric: str
    value: float
    unit: str
    note: str = ""
    target: str = ""
    extra: dict[str, float] = field(default_factory=dict)


def _fmt(value: float, unit: str) -> str:
    if unit in ("/s", "elements/s"):
        return f"{value:,.0f}"
    if unit == "MiB":
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if unit != "x" else f"{value:.2f}"


def print_rows(rows: list[Row], console: Console | None = None) -> None:
    console = console or Console(width=max(Console().width, 150))
    table = Table(title="OpenCase benchmarks", title_justify="left")
    for col in ("bench", "scale", "metric", "value", "unit", "target", "note"):
        table.add_column(col, justify="right" if col in ("scale", "value") else "left")
    for r in rows:
        table.add_row(
            r.bench, f"{r.scale:,}", r.metric, _fmt(r.value, r.unit), r.unit, r.target, r.note
        )
    console.print(table)


def save_rows(name: str, rows: list[Row], args: BenchArgs) -> Path:
    """``bench/results/<name>.json``: the rows plus the machine they were measured on."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    doc = {
        "bench": name,
        "scales": list(args.scales),
        "seed": args.seed,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": _cpus(),
            # the machine may be shared: the load says how much CPU the bench really had
            "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        },
        "rows": [asdict(r) for r in rows],
    }
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0
