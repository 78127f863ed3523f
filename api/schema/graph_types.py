"""Result types of the graph-shaped root fields: lineage, path and aggregate."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from opencase.graph.store import LineageColumns, Path
from opencase.ontology import ONTOLOGY


@strawberry.type(description="An object reached by a traversal, with its distance in hops.")
class GraphNode:
    id: strawberry.ID
    object_type: str = strawberry.field(
        name="objectType", description="The object type's API name."
    )
    title: str
    depth: int = strawberry.field(description="Hops from the start object.")


@strawberry.type(description="A link between two objects of a traversal.")
class GraphEdge:
    source: strawberry.ID
    target: strawberry.ID
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


def _api_name(type_name: str) -> str:
    return ONTOLOGY.object_type(type_name).api_name


def _nodes(ids: list[str], types: list[str], titles: list[str], depths: list[int]) -> list[Any]:
    """Traversal nodes as the API shows them: the object type by its API name."""
    api_names = {name: _api_name(name) for name in set(types)}
    return [
        GraphNode(id=i, object_type=api_names[t], title=title, depth=d)
        for i, t, title, d in zip(ids, types, titles, depths, strict=True)
    ]


def lineage_of_columns(lineage: LineageColumns) -> LineageResult:
    """The result shaped straight from the store's columns: one object per node and edge."""
    nodes = _nodes(lineage.node_ids, lineage.node_types, lineage.node_titles, lineage.node_depths)
    edges = [
        GraphEdge(source=s, target=t, link_type=lt)
        for s, t, lt in zip(
            lineage.edge_sources, lineage.edge_targets, lineage.edge_link_types, strict=True
        )
    ]
    return LineageResult(nodes=nodes, edges=edges, partial=lineage.partial)


def path_of(path: Path) -> PathResult:
    nodes = _nodes(
        [n.id for n in path.nodes],
        [n.object_type for n in path.nodes],
        [n.title for n in path.nodes],
        [n.depth for n in path.nodes],
    )
    edges = [GraphEdge(source=s.source, target=s.target, link_type=s.link_type) for s in path.steps]
    return PathResult(nodes=nodes, edges=edges, length=len(path.steps))


def group_of(group: dict[str, Any], count: int) -> GroupCount:
    return GroupCount(group=group, count=count)
