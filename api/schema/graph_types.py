"""Result types of the graph-shaped root fields: lineage, path and aggregate."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from opencase.graph.store import Lineage, LineageNode, Path
from opencase.ontology import ONTOLOGY


def _api_name(type_name: str) -> str:
    return ONTOLOGY.object_type(type_name).api_name


@strawberry.type(description="An object reached by a traversal, with its distance in hops.")
class GraphNode:
    id: strawberry.ID
    objectType: str = strawberry.field(name="objectType", description="The object type's API name.")
    title: str
    depth: int = strawberry.field(description="Hops from the start object.")


@strawberry.type(description="A link between two objects of a traversal.")
class GraphEdge:
    source: strawberry.ID
    target: strawberry.ID
    linkType: str = strawberry.field(name="linkType", description="The link type's API name.")


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


def node_of(node: LineageNode) -> GraphNode:
    return GraphNode(
        id=strawberry.ID(node.id),
        objectType=_api_name(node.object_type),
        title=node.title,
        depth=node.depth,
    )


def lineage_of(lineage: Lineage) -> LineageResult:
    return LineageResult(
        nodes=[node_of(n) for n in lineage.nodes],
        edges=[
            GraphEdge(
                source=strawberry.ID(e.source), target=strawberry.ID(e.target), linkType=e.link_type
            )
            for e in lineage.edges
        ],
        partial=lineage.partial,
    )


def path_of(path: Path) -> PathResult:
    return PathResult(
        nodes=[node_of(n) for n in path.nodes],
        edges=[
            GraphEdge(
                source=strawberry.ID(s.source), target=strawberry.ID(s.target), linkType=s.link_type
            )
            for s in path.steps
        ],
        length=len(path.steps),
    )


def group_of(group: dict[str, Any], count: int) -> GroupCount:
    return GroupCount(group=group, count=count)
