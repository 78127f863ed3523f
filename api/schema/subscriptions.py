"""``objectChanged``: a live feed of objects that actions create or change."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.types import Info

from opencase.ontology import ONTOLOGY

from .interface import OntologyObject
from .views import view


@strawberry.type(description="One object an action created or changed.")
class ObjectChange:
    id: strawberry.ID
    objectType: str = strawberry.field(name="objectType", description="API name of its type.")
    change: str = strawberry.field(description="created or updated.")
    actionType: str = strawberry.field(name="actionType")
    logId: strawberry.ID = strawberry.field(name="logId")
    actor: str

    @strawberry.field(description="The object as it is now (null if it has been deleted).")
    async def object(self, info: Info) -> OntologyObject | None:
        # not the dataloader: its cache would serve a stale copy on the next event
        return view(await info.context.call("get_one", str(self.id)))  # type: ignore[return-value]


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Objects changed by actions, as they happen.")
    async def object_changed(
        self,
        info: Info,
        object_types: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these object types (names or API names)."),
        ] = None,
    ) -> AsyncGenerator[ObjectChange, None]:
        wanted = {ONTOLOGY.object_type(n).name for n in object_types} if object_types else None
        async for event in info.context.services.bus.subscribe():
            if wanted is not None and event.object_type not in wanted:
                continue
            yield ObjectChange(
                id=strawberry.ID(event.object_id),
                objectType=ONTOLOGY.object_type(event.object_type).api_name,
                change=event.change,
                actionType=event.action_type,
                logId=strawberry.ID(event.log_id),
                actor=event.actor,
            )
