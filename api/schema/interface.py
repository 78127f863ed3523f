"""``OntologyObject``: the interface every generated object type implements.

``object(id)``, ``search`` and polymorphic links return it; its
``resolve_type`` reads the type straight off the view instead of asking every
generated type in turn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from .views import ObjectView


@strawberry.interface(description="Any object of the ontology.")
class OntologyObject:
    id: strawberry.ID = strawberry.field(
        description="Stable global id: '<object type API name>:<primary key>'."
    )
    objectType: str = strawberry.field(
        name="objectType", description="The object type's API name, e.g. model-work."
    )
    title: str = strawberry.field(description="What a human sees for this object.")
    recordCreatedAt: dt.datetime | None = strawberry.field(
        name="recordCreatedAt",
        description="When OpenCase first wrote the object (not a date of the thing itself).",
    )
    recordUpdatedAt: dt.datetime | None = strawberry.field(
        name="recordUpdatedAt", description="When OpenCase last changed the object."
    )

    @classmethod
    def resolve_type(cls, obj: Any, *_: Any) -> str:
        if isinstance(obj, ObjectView):
            return obj._type_name
        raise TypeError(f"not an ontology object: {type(obj).__name__}")
