"""``opencase ontology``: see what the ontology declares, or export it as JSON / JSON Schema.

The summary is for people (grouped by area, with counts); ``--json`` and
``--jsonschema`` are for tools, and come from the generators in
``ontology/generators`` so the CLI never formats a declaration by hand.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from . import ONTOLOGY
from .generators.jsongen import ontology_json
from .generators.jsonschemagen import write_json_schemas
from .registry import Ontology


def register(app: typer.Typer) -> None:
    app.command("ontology")(ontology_command)


def ontology_command(
    as_json: bool = typer.Option(False, "--json", help="Print the whole ontology as JSON."),
    jsonschema_dir: Path | None = typer.Option(
        None,
        "--jsonschema",
        metavar="DIR",
        help="Write one JSON Schema (draft 2020-12) per object type into DIR.",
    ),
) -> None:
    """Show the object, link and action types (or export them as JSON / JSON Schema)."""
    if jsonschema_dir is not None:
        paths = write_json_schemas(jsonschema_dir)
        Console(stderr=True).print(f"wrote {len(paths)} JSON Schemas to {jsonschema_dir}")
        return
    if as_json:
        typer.echo(json.dumps(ontology_json(), indent=2, ensure_ascii=False))
        return
    print_summary(ONTOLOGY, Console())


def print_summary(onto: Ontology, console: Console) -> None:
    """Counts, then one table of object types per area, then link and action types."""
    console.print(
        f"[bold]OpenCase ontology {onto.version}[/]: {len(onto.object_types)} object types, "
        f"{len(onto.link_types)} link types, {len(onto.action_types)} action types, "
        f"{len(onto.enums)} enums"
    )
    by_area: dict[str, list[str]] = defaultdict(list)
    for ot in onto.object_types:
        by_area[ot.area or "other"].append(ot.name)
    for area, names in by_area.items():
        table = Table(title=f"{area} ({len(names)} object types)", title_justify="left")
        for col in ("object type", "API name", "primary key", "properties", "links out/in"):
            table.add_column(col)
        for name in names:
            ot = onto.object_type(name)
            table.add_row(
                ot.name,
                ot.api_name,
                ot.primary_key,
                str(len(ot.properties)),
                f"{len(onto.links_from(name))}/{len(onto.links_to(name))}",
            )
        console.print(table)
    links = Table(title=f"link types ({len(onto.link_types)})", title_justify="left")
    for col in ("API name", "source", "targets", "cardinality", "fields"):
        links.add_column(col)
    for lt in onto.link_types:
        targets = ", ".join(lt.targets) if len(lt.targets) <= 3 else f"{len(lt.targets)} types"
        links.add_row(
            lt.api_name,
            lt.source,
            targets,
            lt.cardinality.value,
            f"{lt.forward_field} / {lt.reverse_field}",
        )
    console.print(links)
    actions = Table(title=f"action types ({len(onto.action_types)})", title_justify="left")
    for col in ("action", "parameters", "touches", "admin"):
        actions.add_column(col)
    for at in onto.action_types:
        actions.add_row(
            at.name,
            ", ".join(p.name for p in at.parameters),
            ", ".join(at.touches),
            "yes" if at.admin else "",
        )
    console.print(actions)
