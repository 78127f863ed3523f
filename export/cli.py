"""``opencase export owl``: the ontology and the graph as OWL/RDF for Protégé and other graphs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer
from rich.console import Console

from opencase.config import store_uri
from opencase.graph.store import GraphStore

from .exporter import Exporter, ExportOptions, default_base_iri
from .formats import RdfFormat

export_app = typer.Typer(
    help="Export the ontology and the graph (OWL, RDF, SHACL).", no_args_is_help=True
)
err = Console(stderr=True)


@export_app.command("owl")
def owl(
    store: str | None = typer.Option(
        None,
        "--store",
        "-s",
        help="Store path or bolt:// URI (default: $OPENCASE_STORE or ./.opencase/graph).",
    ),
    schema_only: bool = typer.Option(
        False, "--schema-only", help="Only the schema (TBox); the store is not opened."
    ),
    fmt: RdfFormat = typer.Option(
        RdfFormat.TURTLE,
        "--format",
        "-f",
        case_sensitive=False,
        help="turtle and nt stream in bounded memory; xml (RDF/XML, for Protégé and "
        "owlready2) and json-ld build the graph in memory first.",
    ),
    base_iri: str | None = typer.Option(
        None,
        "--base-iri",
        help="Namespace of the exported individuals "
        "(default: $OPENCASE_BASE_IRI or https://opencase.example.org/id/).",
    ),
    shacl: bool = typer.Option(
        False, "--shacl", help="SHACL shapes in place of the OWL axioms (validate with pyshacl)."
    ),
    include_deleted: bool = typer.Option(
        False, "--include-deleted", help="Also export soft-deleted objects and their links."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (default: standard output)."
    ),
) -> None:
    """Write the ontology as OWL 2 (classes, properties, PROV-O alignment) and the graph's
    objects and links as individuals with IRIs <base-iri><type>/<primary key>."""
    options = ExportOptions(
        format=fmt,
        base_iri=base_iri or default_base_iri(),
        schema_only=schema_only,
        shacl=shacl,
        include_deleted=include_deleted,
    )
    exporter = Exporter(options)
    started = time.perf_counter()
    if schema_only:
        _write(exporter, None, output)
    else:
        from opencase.graph import open_store

        with open_store(store_uri(store), read_only=True) as graph:
            _write(exporter, graph, output)
    if output is not None:
        counts = exporter.counts
        err.print(
            f"wrote {output} ({fmt.value}): {counts.objects:,} objects, {counts.links:,} links, "
            f"{counts.triples:,} instance triples in {time.perf_counter() - started:.1f}s"
        )


@export_app.command("neo4j-import")
def neo4j_import(
    directory: Path = typer.Argument(
        ..., help="Directory to write the CSV files and import.sh to."
    ),
    store: str | None = typer.Option(
        None,
        "--store",
        "-s",
        help="Store path or bolt:// URI (default: $OPENCASE_STORE or ./.opencase/graph).",
    ),
) -> None:
    """Write the graph as neo4j-admin database import CSV files (one per object type and per
    link type) and import.sh with the command that loads them into an empty Neo4j 5 database."""
    from opencase.graph import open_store

    from .neo4j_import import write_import

    started = time.perf_counter()
    with open_store(store_uri(store), read_only=True) as graph:
        files = write_import(graph, directory)
    err.print(
        f"wrote {directory}: {files.objects:,} objects in {len(files.nodes)} node files, "
        f"{files.links:,} links in {len(files.relationships)} relationship files "
        f"in {time.perf_counter() - started:.1f}s; load them with {directory / 'import.sh'}"
    )


def neo4j_kit(
    directory: Path = typer.Argument(..., help="Directory to write the kit to."),
) -> None:
    """Write the Neo4j Browser kit generated from the ontology: opencase.grass (colours and
    captions), guide.html (`:play` it) and the seed questions as favourites (.cypher)."""
    from .neo4j_kit import write_kit

    written = write_kit(directory)
    err.print(f"wrote {len(written)} files to {directory} (the API serves them at /neo4j/)")


def _write(exporter: Exporter, store: GraphStore | None, output: Path | None) -> None:
    if output is None:
        exporter.write(store, sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="\n") as out:
        exporter.write(store, out)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.command("neo4j-kit")(neo4j_kit)
