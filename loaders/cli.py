"""``opencase load tracker|work-packages|jsonl|openlineage`` and ``opencase demo``.

Reports go to stdout (a table, or JSON with ``--json``); the progress bar and
errors go to stderr, so ``--json`` output can be piped into ``jq`` as is.
The exit status is 1 when a record was rejected, 2 when the source or the
store cannot be used at all (raised as an ``OpenCaseError``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from opencase.config import store_uri
from opencase.graph.store import GraphStore

from .journal import journaled
from .progress import LoadProgress
from .report import LoadReport

load_app = typer.Typer(
    name="load",
    help="Load tracker CSVs, work-package lists, JSONL exports and OpenLineage events.",
    no_args_is_help=True,
)

STORE = typer.Option(
    None,
    "--store",
    help="Store path or bolt:// URI (default: OPENCASE_STORE or ./.opencase/graph).",
)
STRICT = typer.Option(False, "--strict", help="Write nothing if any record has a problem.")
JSON = typer.Option(False, "--json", help="Print the report as JSON on stdout.")
BATCH = typer.Option(
    None,
    "--batch-size",
    min=1,
    help="Records validated and applied at a time (default: the store's own; the "
    "embedded store still commits once per load).",
)
FORCE = typer.Option(
    False,
    "--force",
    help="Read the file even if the store already took it and was not written since.",
)
FILE = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="Input file.")


def register(app: typer.Typer) -> None:
    app.add_typer(load_app, name="load")
    app.command("demo")(demo_command)


@contextmanager
def open_graph(store: str | None) -> Iterator[GraphStore]:
    """The configured store with the ontology's schema installed (idempotent)."""
    from opencase.graph import open_store

    with open_store(store_uri(store)) as graph:
        graph.install_schema()
        yield graph


def _run(
    store: str | None,
    as_json: bool,
    load: Callable[[GraphStore, LoadProgress], LoadReport],
    journal: tuple[str, Path, dict[str, Any], bool] | None = None,
) -> None:
    """Run one load; ``journal`` = (loader, file, options, force) lets an unchanged re-run skip."""
    with open_graph(store) as graph, LoadProgress() as progress:
        if journal is None:
            report = load(graph, progress)
        else:
            loader, file, options, force = journal
            report = journaled(
                graph, loader, file, options, lambda: load(graph, progress), force=force
            )
    if as_json:
        typer.echo(report.to_json())
    else:
        report.print(Console())
    raise typer.Exit(report.exit_code)


@load_app.command("tracker")
def tracker_command(
    file: Path = FILE,
    source_system: str = typer.Option(
        "DAIA_ACTIONS",
        "--source-system",
        help="Tracker the rows come from (part of each action id).",
    ),
    strict: bool = STRICT,
    as_json: bool = JSON,
    store: str | None = STORE,
    batch_size: int | None = BATCH,
    force: bool = FORCE,
) -> None:
    """Load a tracker CSV: one Action per row, its updates, owner, partner, program, model."""
    from .tracker import load_tracker

    _run(
        store,
        as_json,
        lambda g, p: load_tracker(
            g, file, source_system=source_system, strict=strict, progress=p, batch_size=batch_size
        ),
        ("tracker", file, {"source_system": source_system, "strict": strict}, force),
    )


@load_app.command("work-packages")
def work_packages_command(
    file: Path = FILE,
    strict: bool = STRICT,
    as_json: bool = JSON,
    store: str | None = STORE,
    batch_size: int | None = BATCH,
    force: bool = FORCE,
) -> None:
    """Load a work-package list: one ModelWork per 'ATAnn: name' line, under its section."""
    from .workpackages import load_work_packages

    _run(
        store,
        as_json,
        lambda g, p: load_work_packages(g, file, strict=strict, progress=p, batch_size=batch_size),
        ("work-packages", file, {"strict": strict}, force),
    )


@load_app.command("jsonl")
def jsonl_command(
    file: Path = FILE,
    strict: bool = STRICT,
    as_json: bool = JSON,
    store: str | None = STORE,
    batch_size: int | None = BATCH,
    force: bool = FORCE,
) -> None:
    """Load generic {objectType, properties} / {linkType, source, target} records (.jsonl/.json)."""
    from .jsonl import load_jsonl

    _run(
        store,
        as_json,
        lambda g, p: load_jsonl(g, file, strict=strict, progress=p, batch_size=batch_size),
        ("jsonl", file, {"strict": strict}, force),
    )


@load_app.command("openlineage")
def openlineage_command(
    file: Path = FILE,
    strict: bool = STRICT,
    as_json: bool = JSON,
    store: str | None = STORE,
    batch_size: int | None = BATCH,
    force: bool = FORCE,
) -> None:
    """Load OpenLineage events (JSON lines, as the file transport and Marquez write them)."""
    from .openlineage import load_openlineage

    _run(
        store,
        as_json,
        lambda g, p: load_openlineage(g, file, strict=strict, progress=p, batch_size=batch_size),
        ("openlineage", file, {"strict": strict}, force),
    )


def demo_command(store: str | None = STORE, as_json: bool = JSON) -> None:
    """Build the demo graph (every seed system) from loaders/demo_data through the real loaders."""
    from .demo import build_demo

    _run(store, as_json, lambda g, _p: build_demo(g))
