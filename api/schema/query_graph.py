"""Root query fields over the whole graph: object, search, lineage, path, aggregate."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from opencase.errors import Problem, ValidationError
from opencase.graph.store import Direction
from opencase.ontology import ONTOLOGY, PropertyType

from .connections import MAX_PAGE, check_first
from .enums import LineageDirection
from .graph_types import GroupCount, LineageResult, PathResult, lineage_of_columns, path_of
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
        description="Objects linked to one object within `depth` hops. DOWNSTREAM follows "
        "links in their declared direction (ModelWork -> ModelVersion -> Experiment -> "
        "Metric), UPSTREAM against it. `partial` is true when `maxNodes` cut it short."
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
    ) -> LineageResult:
        return await _lineage(info.context, id, direction, depth, link_types, max_nodes)

    @strawberry.field(description="The shortest chain of links between two objects, or null.")
    async def path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_depth: int = 6,
    ) -> PathResult | None:
        for object_id in (from_, to):
            ONTOLOGY.type_of_id(object_id)
        found = await info.context.call(
            "shortest_path",
            from_,
            to,
            max_depth=_bounded(info.context, max_depth, "maxDepth", 1, "max_path_depth"),
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


async def _lineage(
    context: Any,
    id: str,
    direction: LineageDirection,
    depth: int,
    link_types: list[str] | None,
    max_nodes: int,
) -> LineageResult:
    for i, name in enumerate(link_types or ()):
        if not ONTOLOGY.has_link_type(name):
            raise ValidationError(
                Problem(f"unknown link type {name!r}", field=f"linkTypes[{i}]"),
                suggestion="use link type API names from ontology { linkTypes { apiName } }",
            )
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
    )
    if not result.node_ids:
        raise missing(id)
    return lineage_of_columns(result)


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


__all__ = ["MAX_PAGE", "GraphQueries"]
