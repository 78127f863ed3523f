"""Root query fields over the whole graph: object, search, lineage, impact, path, aggregate."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from opencase.errors import Problem, ValidationError
from opencase.graph.store import Direction
from opencase.ontology import ONTOLOGY, PropertyType

from .connections import MAX_PAGE, check_first
from .enums import LineageDirection, LineageScope
from .graph_types import (
    GroupCount,
    ImpactResult,
    LineageResult,
    PathResult,
    impact_of,
    lineage_of_columns,
    path_of,
)
from .interface import OntologyObject
from .ontology_types import OntologyInfo, ontology_info
from .query_types import missing
from .views import view
from .where import compile_where, property_by_field


def _object_types(names: list[str] | None) -> list[str] | None:
    if names is None:
        return None
    return [ONTOLOGY.object_type(n).name for n in names]


def _bounded(context: Any, value: int, name: str, low: int, limit: str) -> int:
    """``value`` if it is at least ``low`` and at most the request's ``limit`` (api/limits.py)."""
    limits = context.services.settings.limits
    if value > getattr(limits, limit):
        raise limits.refuse(limit, f"{name} is {value:,}", field=name)
    if value < low:
        raise ValidationError(
            Problem(f"must be at least {low}, got {value}", field=name),
            suggestion="narrow the traversal with linkTypes or a smaller depth",
        )
    return value


@strawberry.type
class GraphQueries:
    @strawberry.field(description="Any object by its global id.")
    async def object(self, info: Info, id: strawberry.ID) -> OntologyObject | None:
        ONTOLOGY.type_of_id(id)  # a malformed id is a clear input error
        return view(await info.context.loaders.objects.load(id))  # type: ignore[return-value]

    @strawberry.field(description="Objects whose title or text properties contain `text`.")
    async def search(
        self,
        info: Info,
        text: str,
        object_types: Annotated[
            list[str] | None, strawberry.argument(description="Names or API names to search in.")
        ] = None,
        first: int = 20,
    ) -> list[OntologyObject]:
        found = await info.context.call(
            "search", text, object_types=_object_types(object_types), first=check_first(first)
        )
        return [view(o) for o in found]  # type: ignore[misc]

    @strawberry.field(
        description="Where an object came from and what was made from it, within `depth` "
        "hops. UPSTREAM walks towards the inputs, DOWNSTREAM towards what was built from "
        "the object, BOTH each way; only flow (provenance) links unless `include` adds "
        "CONTEXT (owner, partner, programme...: one hop, as leaves). `linkTypes` narrows to "
        "the named link types. Each node says `via` which link type reached it; each edge "
        "carries the link's `properties`. `partial` is true when `maxNodes` cut it short."
    )
    async def lineage(
        self,
        info: Info,
        id: strawberry.ID,
        direction: LineageDirection = LineageDirection.BOTH,
        depth: int = 3,
        link_types: Annotated[
            list[str] | None, strawberry.argument(description="Link type API names to follow.")
        ] = None,
        max_nodes: int = 500,
        include: Annotated[
            list[LineageScope] | None,
            strawberry.argument(description="Link scopes to follow; default [FLOW]."),
        ] = None,
    ) -> LineageResult:
        return await _lineage(info.context, id, direction, depth, link_types, max_nodes, include)

    @strawberry.field(
        description="If this object is wrong, what is affected: the objects downstream of "
        "it (of `objectTypes`, names or API names; default all), nearest first, each with "
        "the chain of flow links that reaches it."
    )
    async def impact(
        self,
        info: Info,
        id: strawberry.ID,
        object_types: list[str] | None = None,
        depth: int = 8,
        max_nodes: int = 500,
    ) -> ImpactResult:
        ONTOLOGY.type_of_id(id)
        types = _object_types(object_types)
        found = await info.context.call(
            "impact",
            id,
            object_types=types,
            depth=_bounded(info.context, depth, "depth", 1, "max_lineage_depth"),
            max_nodes=_bounded(info.context, max_nodes, "maxNodes", 1, "max_lineage_nodes"),
        )
        if not found.nodes and not await info.context.loaders.objects.load(id):
            raise missing(id)
        return impact_of(found)

    @strawberry.field(
        description="The shortest chain of links between two objects, or null. Provenance "
        "first: flow links only (either direction) unless `include` adds CONTEXT."
    )
    async def path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_depth: int = 6,
        link_types: Annotated[
            list[str] | None, strawberry.argument(description="Link type API names to follow.")
        ] = None,
        include: Annotated[
            list[LineageScope] | None,
            strawberry.argument(description="Link scopes to follow; default [FLOW]."),
        ] = None,
    ) -> PathResult | None:
        for object_id in (from_, to):
            ONTOLOGY.type_of_id(object_id)
        found = await info.context.call(
            "shortest_path",
            from_,
            to,
            max_depth=_bounded(info.context, max_depth, "maxDepth", 1, "max_path_depth"),
            link_types=link_types,
            include=_scopes(include),
        )
        return None if found is None else path_of(found)

    @strawberry.field(
        description="Counts of one object type per combination of `groupBy` properties "
        "(camelCase). `where` is the JSON form of that type's where input, e.g. "
        '{status: {in: ["Planned", "InProgress"]}, model: {some: {acFamily: {eq: "A350"}}}}.'
    )
    async def aggregate(
        self,
        info: Info,
        object_type: str,
        group_by: list[str],
        where: JSON | None = None,
    ) -> list[GroupCount]:
        ot = ONTOLOGY.object_type(object_type)
        columns = []
        for i, name in enumerate(group_by):
            prop = property_by_field(ot, name)
            if prop is None or prop.type in (PropertyType.JSON, PropertyType.STRING_LIST):
                raise ValidationError(
                    Problem(f"{ot.name} has no groupable property {name!r}", field=f"groupBy[{i}]"),
                    suggestion="group by scalar properties, by their camelCase names",
                )
            columns.append((prop.name, name))
        groups = await info.context.call(
            "aggregate", ot.name, [c for c, _ in columns], where=compile_where(ot, where)
        )
        return [
            GroupCount(group={label: _json(g.group.get(c)) for c, label in columns}, count=g.count)
            for g in groups
        ]

    @strawberry.field(description="The ontology the API is generated from.")
    def ontology(self) -> OntologyInfo:
        return ontology_info()


def _scopes(include: list[LineageScope] | None) -> list[str] | None:
    return None if include is None else [scope.value for scope in include]


async def _lineage(
    context: Any,
    id: str,
    direction: LineageDirection,
    depth: int,
    link_types: list[str] | None,
    max_nodes: int,
    include: list[LineageScope] | None = None,
) -> LineageResult:
    ONTOLOGY.type_of_id(id)
    # as columns: the answer is shaped into the API's node and edge objects, never
    # read as the store's records
    result = await context.call(
        "lineage_columns",
        id,
        direction=Direction(direction.value),
        depth=_bounded(context, depth, "depth", 0, "max_lineage_depth"),
        link_types=link_types,
        max_nodes=_bounded(context, max_nodes, "maxNodes", 1, "max_lineage_nodes"),
        include=_scopes(include),
    )
    if not result.node_ids:
        raise missing(id)
    return lineage_of_columns(result)


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


__all__ = ["MAX_PAGE", "GraphQueries"]
