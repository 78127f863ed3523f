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
    replayed: bool = strawberry.field(
        description="True when this is the stored result of an earlier request with the same "
        "idempotencyKey: nothing was written this time."
    )

    @strawberry.field(description="Objects created or changed (read only when asked for).")
    async def touched(self, info: Info) -> list[OntologyObject]:
        ids = list(dict.fromkeys([*self.createdIds, *self.touchedIds]))
        found = await info.context.loaders.objects.load_many(ids)
        return [view(o) for o in found if o is not None]  # type: ignore[misc]

    @strawberry.field(description="The ActionLog entry (read only when asked for).")
    async def log(self, info: Info) -> OntologyObject | None:
        found = await info.context.loaders.objects.load(self.logId)
        return None if found is None else view(found)  # type: ignore[return-value]


#: The argument every mutation takes beside its action's parameters.
IDEMPOTENCY_KEY = param(
    "idempotency_key",
    arg(
        str | None,
        "Send the same key again to retry this request safely: a repeat (same key, same "
        "API key) returns the first result and writes nothing; the same key with other "
        "arguments is refused. Kept with the ActionLog entry, so it survives restarts.",
    ),
    None,
)


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
        retry_key = kw.pop("idempotency_key", None)
        params = {name: _value(props[name], v) for name, v in kw.items() if v is not None}
        outcome = await ctx.run(
            execute, ctx.store, at.name, params, key.name, idempotency_key=retry_key
        )
        ids = list(dict.fromkeys([*outcome.created_ids, *outcome.touched_ids]))
        created = set(outcome.created_ids)
        for object_id in [] if outcome.replayed else ids:
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
            replayed=outcome.replayed,
        )

    arguments = [_argument(p, enums) for p in at.parameters]
    return resolver(resolve, [*arguments, IDEMPOTENCY_KEY], ActionResult, name=at.name)


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
