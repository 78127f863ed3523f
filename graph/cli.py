"""``opencase store ...``: look at the graph store and install or upgrade its schema."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from opencase.config import store_uri

from . import open_store

store_app = typer.Typer(
    help="The graph store: what it holds, and its schema.", no_args_is_help=True
)
out = Console()

StoreOption = typer.Option(
    None,
    "--store",
    "-s",
    help="Store path or bolt:// URI (default: $OPENCASE_STORE or ./.opencase/graph).",
)


@store_app.command("info")
def info(store: str | None = StoreOption) -> None:
    """Backend, location and how many objects and links of each type the store holds."""
    uri = store_uri(store)
    with open_store(uri) as graph:
        counts = graph.stats()
        backend = graph.backend
    out.print(f"backend: [bold]{backend}[/]   store: {uri}")
    table = Table("type", "count")
    for name, count in sorted(counts.items()):
        table.add_row(name, f"{count:,}")
    if counts:
        out.print(table)
    else:
        out.print("the store is empty")


@store_app.command("install")
def install(store: str | None = StoreOption) -> None:
    """Create the schema, or upgrade it to the current ontology (no data is lost)."""
    uri = store_uri(store)
    with open_store(uri) as graph:
        changes = graph.install_schema()
    for line in changes:
        out.print(f"  {line}")
    out.print(f"{len(changes)} change(s); the schema of {uri} is up to date")


def register(app: typer.Typer) -> None:
    app.add_typer(store_app, name="store")
