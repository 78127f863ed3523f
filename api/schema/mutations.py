"""One mutation per ontology action type, with typed arguments from its parameters.

Each resolver checks the caller's write key, runs the action executor (which
validates, applies and writes the ActionLog in one transaction), publishes
``objectChanged`` events, and returns the touched objects. Admin actions are
mutations too; they differ only in what the executor allows.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import strawberry
from strawberry.types import Info

from opencase.ontology import ONTOLOGY, ActionType, Property, PropertyType

from ..events import ObjectEvent
from .build import arg, param, resolver
from .interface import OntologyObject
from .objects import property_annotation
from .views import view


@strawberry.type(description="What an executed action did; its ActionLog holds the same.")
class ActionResult:
    logId: strawberry.ID = strawberry.field(name="logId", description="Global id of the ActionLog.")
    actionType: str = strawberry.field(name="actionType")
    summary: str
    touchedIds: list[strawberry.ID] = strawberry.field(name="touchedIds")
    createdIds: list[strawberry.ID] = strawberry.field(name="createdIds")
    touched: list[OntologyObject] = strawberry.field(description="Objects created or changed.")
    log: OntologyObject | None = strawberry.field(description="The ActionLog entry.")


def _argument(prop: Property, enums: dict[str, type[StrEnum]]) -> inspect.Parameter:
    annotation = property_annotation(prop, enums)
    doc = prop.description
    if prop.default is not None:
        doc += f" Default: {prop.default}."
    default = inspect.Parameter.empty if prop.required else None
    return param(prop.name, arg(annotation, doc), default)


def _value(prop: Property, value: Any) -> Any:
    if prop.type is PropertyType.ENUM and isinstance(value, StrEnum):
        return value.value
    return value


def _mutation(at: ActionType, enums: dict[str, type[StrEnum]]) -> Callable[..., Any]:
    from opencase.api.actions import execute  # the actions package is loaded with the schema

    props = {p.name: p for p in at.parameters}

    async def resolve(info: Info, **kw: Any) -> ActionResult:
        ctx = info.context
        key = ctx.require_scope("write")
        params = {name: _value(props[name], v) for name, v in kw.items() if v is not None}
        outcome = await ctx.run(execute, ctx.store, at.name, params, key.name)
        ids = list(dict.fromkeys([*outcome.created_ids, *outcome.touched_ids]))
        found = await ctx.call("get", [*ids, outcome.log_id])
        created = set(outcome.created_ids)
        for object_id in ids:
            ctx.services.bus.publish(
                ObjectEvent(
                    object_id=object_id,
                    object_type=ONTOLOGY.type_of_id(object_id).name,
                    change="created" if object_id in created else "updated",
                    action_type=at.api_name,  # as the ActionLog and ActionResult spell it
                    log_id=outcome.log_id,
                    actor=key.name,
                )
            )
        return ActionResult(
            logId=strawberry.ID(outcome.log_id),
            actionType=outcome.action_type,
            summary=outcome.summary,
            touchedIds=[strawberry.ID(i) for i in outcome.touched_ids],
            createdIds=[strawberry.ID(i) for i in outcome.created_ids],
            touched=[view(found[i]) for i in ids if i in found],  # type: ignore[misc]
            log=view(found.get(outcome.log_id)),  # type: ignore[arg-type]
        )

    return resolver(
        resolve, [_argument(p, enums) for p in at.parameters], ActionResult, name=at.name
    )


def build_mutation(enums: dict[str, type[StrEnum]]) -> type:
    cls = type("Mutation", (), {"__module__": __name__})
    for at in ONTOLOGY.action_types:
        doc = at.description + (" (admin)" if at.admin else "") + " Needs a write key."
        setattr(
            cls,
            at.name,
            strawberry.mutation(resolver=_mutation(at, enums), name=at.name, description=doc),
        )
    return strawberry.type(cls, name="Mutation", description="The ontology's action types.")
