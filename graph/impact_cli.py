"""``opencase impact ID``: what a bad object affects downstream, as a readable tree.

The tree merges the chains that reach each affected object (a dataset version
reaches two deployments through one run and one model version: the run and the
version are shown once). ``--json`` prints the same answer as the API's
``impact`` field for scripts.
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.tree import Tree

from opencase.config import store_uri
from opencase.errors import ValidationError
from opencase.ontology import ONTOLOGY

from . import open_store
from .cli import StoreOption
from .store import Impact

out = Console()


def impact(
    object_id: str = typer.Argument(..., metavar="ID", help="Global id, e.g. dataset-version:x."),
    types: list[str] = typer.Option(
        None,
        "--types",
        "-t",
        help="Object types to report (names or API names; repeat or comma-separate). "
        "Default: everything downstream.",
    ),
    depth: int = typer.Option(8, "--depth", help="How many hops downstream to walk."),
    max_nodes: int = typer.Option(500, "--max", help="Report at most this many objects."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
    store: str | None = StoreOption,
) -> None:
    """If this object is wrong, what is affected: the objects built from it, as a tree."""
    wanted = [t.strip() for item in types or () for t in item.split(",") if t.strip()] or None
    start_type = ONTOLOGY.type_of_id(object_id)
    for name in wanted or ():
        ONTOLOGY.object_type(name)  # an unknown type fails with the ontology's message
    with open_store(store_uri(store), read_only=True) as graph:
        start = graph.get_one(object_id)
        if start is None:
            raise ValidationError(
                f"no object {object_id!r} in the store",
                suggestion="check the id with `opencase store info` or the API's search",
            )
        found = graph.impact(object_id, object_types=wanted, depth=depth, max_nodes=max_nodes)
    if as_json:
        out.print_json(json.dumps(_as_json(found)))
        return
    root = Tree(f"[bold]{start_type.api_name}[/] {object_id}  {start.title}")
    branches: dict[str, Tree] = {object_id: root}
    titles = {n.id: n.title for n in found.nodes}
    for node in found.nodes:
        for (parent, _), (oid, type_name) in zip(node.path, node.path[1:], strict=False):
            if oid in branches:
                continue
            api = ONTOLOGY.object_type(type_name).api_name
            hit = oid == node.id
            label = f"[bold]{api}[/] {oid}  {titles.get(oid, '')}" if hit else f"[dim]{api} {oid}"
            branches[oid] = branches[parent].add(label)
    out.print(root)
    what = f" of type {', '.join(wanted)}" if wanted else ""
    cut = " (partial: raise --depth or --max to see more)" if found.partial else ""
    out.print(f"{len(found.nodes)} affected object(s){what}{cut}")


def _as_json(found: Impact) -> dict[str, Any]:
    api = {ot.name: ot.api_name for ot in ONTOLOGY.object_types}
    return {
        "nodes": [
            {
                "id": n.id,
                "objectType": api[n.object_type],
                "title": n.title,
                "depth": n.depth,
                "via": n.via,
                "path": [{"id": i, "objectType": api[t]} for i, t in n.path],
            }
            for n in found.nodes
        ],
        "partial": found.partial,
    }


def register(app: typer.Typer) -> None:
    app.command("impact")(impact)
