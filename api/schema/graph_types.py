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


#: object type name -> API name, for the objectType of every traversal node
_API_NAMES: dict[str, str] = {}


class NodeValue:
    """What a :class:`GraphNode` field reads: the same attributes, in plain slots.

    A 500-node lineage made a thousand Strawberry dataclass instances per request
    (with their checks); the fields only ever read these attributes. Edges need
    no such copy: :class:`GraphEdge` reads the store's LineageEdge and PathStep.
    """

    __slots__ = ("depth", "id", "objectType", "title")

    def __init__(self, node: LineageNode) -> None:
        type_name = node.object_type
        api_name = _API_NAMES.get(type_name)
        if api_name is None:
            api_name = _API_NAMES[type_name] = _api_name(type_name)
        self.id = node.id
        self.objectType = api_name
        self.title = node.title
        self.depth = node.depth


def node_of(node: LineageNode) -> GraphNode:
    return NodeValue(node)  # type: ignore[return-value]


def lineage_of(lineage: Lineage) -> LineageResult:
    return LineageResult(
        nodes=[NodeValue(n) for n in lineage.nodes],  # type: ignore[misc]
        edges=lineage.edges,  # type: ignore[arg-type]
        partial=lineage.partial,
    )


def path_of(path: Path) -> PathResult:
    return PathResult(
        nodes=[NodeValue(n) for n in path.nodes],  # type: ignore[misc]
        edges=path.steps,  # type: ignore[arg-type]
        length=len(path.steps),
    )


def group_of(group: dict[str, Any], count: int) -> GroupCount:
    return GroupCount(group=group, count=count)
