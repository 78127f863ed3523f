"""Result types of the graph-shaped root fields: lineage, path and aggregate."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from opencase.graph.store import LineageColumns, LineageEdge, LineageNode, Path
from opencase.ontology import ONTOLOGY

from .rows import Rows


def _api_name(type_name: str) -> str:
    return ONTOLOGY.object_type(type_name).api_name


#: object type name -> API name, for the objectType of every traversal node
API_NAMES: dict[str, str] = {}


def api_name_of(node: LineageNode) -> str:
    """The API name of a traversal node's object type (filling :data:`API_NAMES`)."""
    type_name = node.object_type
    api_name = API_NAMES.get(type_name)
    if api_name is None:
        api_name = API_NAMES[type_name] = _api_name(type_name)
    return api_name


def _object_type(root: strawberry.Parent[LineageNode]) -> str:
    return api_name_of(root)


#: the compiled path (execution.py) reads objectType inline from this table, as
#: ``API_NAMES.get(node.object_type)``, and calls ``api_name_of`` for a name not in it yet
_object_type.projection = ("object_type", API_NAMES, api_name_of)  # type: ignore[attr-defined]


@strawberry.type(description="An object reached by a traversal, with its distance in hops.")
class GraphNode:
    """Its values are the store's LineageNode records themselves, not copies.

    A 500-node lineage made 500 objects per request only to rename one
    attribute (object_type, as its API name); ``objectType`` now reads the
    record through :func:`api_name_of`, which the compiled path inlines.
    """

    id: strawberry.ID
    object_type: str = strawberry.field(
        name="objectType", resolver=_object_type, description="The object type's API name."
    )
    title: str
    depth: int = strawberry.field(description="Hops from the start object.")


@strawberry.type(description="A link between two objects of a traversal.")
class GraphEdge:
    source: strawberry.ID
    target: strawberry.ID
    # read from the store's LineageEdge / PathStep as they are (no copy per edge)
    link_type: str = strawberry.field(name="linkType", description="The link type's API name.")


@strawberry.type(description="Objects around one object and the links between them.")
class LineageResult:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    partial: bool = strawberry.field(
        description="True when maxNodes cut the traversal short: more objects lie beyond."
    )


@strawberry.type(description="The shortest chain of links between two objects.")
class PathResult:
    nodes: list[GraphNode] = strawberry.field(description="From the start to the end object.")
    edges: list[GraphEdge] = strawberry.field(description="One per hop, in order.")
    length: int = strawberry.field(description="Number of hops.")


@strawberry.type(description="How many objects share one combination of grouped values.")
class GroupCount:
    group: JSON = strawberry.field(description="The grouped properties (camelCase) and values.")
    count: int


def lineage_of_columns(lineage: LineageColumns) -> LineageResult:
    """The result from the store's columns: nodes and edges as :class:`Rows` (see rows.py),
    whose records are the LineageNode and LineageEdge values ``store.lineage`` returns."""
    nodes = Rows(
        {
            "id": lineage.node_ids,
            "object_type": lineage.node_types,
            "title": lineage.node_titles,
            "depth": lineage.node_depths,
        },
        LineageNode,
    )
    edges = Rows(
        {
            "source": lineage.edge_sources,
            "target": lineage.edge_targets,
            "link_type": lineage.edge_link_types,
        },
        LineageEdge,
    )
    return LineageResult(nodes=nodes, edges=edges, partial=lineage.partial)  # type: ignore[arg-type]


def path_of(path: Path) -> PathResult:
    return PathResult(
        nodes=path.nodes,  # type: ignore[arg-type]
        edges=path.steps,  # type: ignore[arg-type]
        length=len(path.steps),
    )


def group_of(group: dict[str, Any], count: int) -> GroupCount:
    return GroupCount(group=group, count=count)
