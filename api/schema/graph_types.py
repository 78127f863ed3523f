"""Result types of the graph-shaped root fields: lineage, path and aggregate."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from opencase.graph.store import Impact, LineageColumns, Path
from opencase.ontology import ONTOLOGY, snake_to_camel


@strawberry.type(description="An object reached by a traversal, with its distance in hops.")
class GraphNode:
    id: strawberry.ID
    object_type: str = strawberry.field(
        name="objectType", description="The object type's API name."
    )
    title: str
    depth: int = strawberry.field(description="Hops from the start object.")
    via: str | None = strawberry.field(
        default=None,
        description="The link type (API name) of the link that reached it; null at the start.",
    )


@strawberry.type(description="A link between two objects of a traversal.")
class GraphEdge:
    source: strawberry.ID
    target: strawberry.ID
    link_type: str = strawberry.field(name="linkType", description="The link type's API name.")
    properties: JSON = strawberry.field(
        default_factory=dict,
        description="The link's stored properties (declared on its link type), camelCase.",
    )

    @strawberry.field(description="The link type's lineage role: 'flow' or 'context'.")
    def role(self) -> str:
        return str(ONTOLOGY.link_type(self.link_type).role)


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


@strawberry.type(description="One object on the chain that reaches an affected object.")
class PathNode:
    id: strawberry.ID
    object_type: str = strawberry.field(
        name="objectType", description="The object type's API name."
    )


@strawberry.type(description="An object affected by a change to the start object.")
class ImpactNode:
    id: strawberry.ID
    object_type: str = strawberry.field(
        name="objectType", description="The object type's API name."
    )
    title: str
    depth: int = strawberry.field(description="Hops downstream from the start object.")
    via: str | None = strawberry.field(description="The link type of the chain's last hop.")
    path: list[PathNode] = strawberry.field(
        description="The chain of flow links from the start object to this one, both included."
    )


@strawberry.type(description="What a change to one object affects downstream.")
class ImpactResult:
    nodes: list[ImpactNode] = strawberry.field(description="Nearest first.")
    partial: bool = strawberry.field(
        description="True when maxNodes (or the walk's own budget) cut the answer short."
    )


@strawberry.type(description="How many objects share one combination of grouped values.")
class GroupCount:
    group: JSON = strawberry.field(description="The grouped properties (camelCase) and values.")
    count: int


def _api_name(type_name: str) -> str:
    return ONTOLOGY.object_type(type_name).api_name


def _nodes(
    ids: list[str],
    types: list[str],
    titles: list[str],
    depths: list[int],
    vias: list[str | None],
) -> list[Any]:
    """Traversal nodes as the API shows them: the object type by its API name."""
    api_names = {name: _api_name(name) for name in set(types)}
    return [
        GraphNode(id=i, object_type=api_names[t], title=title, depth=d, via=via)
        for i, t, title, d, via in zip(ids, types, titles, depths, vias, strict=True)
    ]


def _camel(properties: Any) -> dict[str, Any]:
    """Link properties as the API names them (camelCase), values as JSON."""
    return {snake_to_camel(k): _json_value(v) for k, v in properties.items()} if properties else {}


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def lineage_of_columns(lineage: LineageColumns) -> LineageResult:
    """The result shaped straight from the store's columns: one object per node and edge."""
    vias = lineage.node_vias or [None] * len(lineage.node_ids)
    nodes = _nodes(
        lineage.node_ids, lineage.node_types, lineage.node_titles, lineage.node_depths, vias
    )
    props = lineage.edge_properties or [{}] * len(lineage.edge_sources)
    edges = [
        GraphEdge(source=s, target=t, link_type=lt, properties=_camel(p))
        for s, t, lt, p in zip(
            lineage.edge_sources, lineage.edge_targets, lineage.edge_link_types, props, strict=True
        )
    ]
    return LineageResult(nodes=nodes, edges=edges, partial=lineage.partial)


def path_of(path: Path) -> PathResult:
    nodes = _nodes(
        [n.id for n in path.nodes],
        [n.object_type for n in path.nodes],
        [n.title for n in path.nodes],
        [n.depth for n in path.nodes],
        [None, *(s.link_type for s in path.steps)],
    )
    edges = [
        GraphEdge(
            source=s.source, target=s.target, link_type=s.link_type, properties=_camel(s.properties)
        )
        for s in path.steps
    ]
    return PathResult(nodes=nodes, edges=edges, length=len(path.steps))


def impact_of(impact: Impact) -> ImpactResult:
    api = {ot.name: ot.api_name for ot in ONTOLOGY.object_types}
    return ImpactResult(
        nodes=[
            ImpactNode(
                id=n.id,
                object_type=api[n.object_type],
                title=n.title,
                depth=n.depth,
                via=n.via,
                path=[PathNode(id=i, object_type=api[t]) for i, t in n.path],
            )
            for n in impact.nodes
        ],
        partial=impact.partial,
    )


def group_of(group: dict[str, Any], count: int) -> GroupCount:
    return GroupCount(group=group, count=count)
