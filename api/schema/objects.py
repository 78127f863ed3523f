"""One GraphQL object type per ontology object type, with its connection types.

Properties are plain fields read off an :class:`ObjectView`; link ends are
resolver fields (see link_fields.py). Nothing here names an object type: a new
declaration in the ontology appears in the API on the next start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType

from .build import fill, resolver, shell
from .connections import EdgeValue, PageInfo
from .inputs import Inputs
from .interface import OntologyObject
from .link_fields import many_field, single_field
from .links import LinkSide, link_sides
from .naming import property_field
from .views import RENAMED_PREFIX, ObjectView

_SCALARS: dict[PropertyType, Any] = {
    PropertyType.STRING: str,
    PropertyType.INT: int,
    PropertyType.FLOAT: float,
    PropertyType.BOOL: bool,
    PropertyType.DATE: dt.date,
    PropertyType.DATETIME: dt.datetime,
    PropertyType.STRING_LIST: list[str],
    PropertyType.JSON: JSON,
}


@dataclass
class ObjectTypes:
    objects: dict[str, type]
    #: connection type per object type name; None: the polymorphic OntologyObject one
    connections: dict[str | None, type]


def property_annotation(prop: Property, enums: dict[str, type[StrEnum]]) -> Any:
    base = enums[prop.enum or ""] if prop.type is PropertyType.ENUM else _SCALARS[prop.type]
    return base if prop.required else base | None


def _connection(label: str, node: Any, extra: dict[str, tuple[Any, Any]] | None = None) -> type:
    edge = shell(f"{label}Edge")
    fill(
        edge,
        {
            "cursor": (str, strawberry.field(description="Continue after this edge.")),
            "node": (node, strawberry.field()),
            **(extra or {}),
        },
    )
    edge = strawberry.type(edge, name=f"{label}Edge", description=f"One {label} in a page.")
    conn = shell(f"{label}Connection")
    fill(
        conn,
        {
            "totalCount": (
                int,
                strawberry.field(name="totalCount", description="Matches in all pages."),
            ),
            "edges": (list[edge], strawberry.field()),
            "pageInfo": (PageInfo, strawberry.field(name="pageInfo")),
        },
    )
    return strawberry.type(
        conn, name=f"{label}Connection", description=f"A page of {label} objects."
    )


def _link_property_fields(
    side: LinkSide, enums: dict[str, type[StrEnum]]
) -> dict[str, tuple[Any, Any]]:
    """One edge field per property of the link type, read off the edge's link."""
    fields: dict[str, tuple[Any, Any]] = {}
    for prop in side.link.properties:

        def read(root: EdgeValue, info: Info, _name: str = prop.name) -> Any:
            return root.link.get(_name)

        annotation = property_annotation(prop, enums)
        fn = resolver(read, [], annotation | None, name=f"resolve_{prop.name}", with_root=True)
        fields["link_prop__" + prop.name] = (
            None,
            strawberry.field(
                name=prop.camel_name,
                description=f"The link's {prop.name}: {prop.description}",
                resolver=fn,
            ),
        )
    return fields


def _type_checker(name: str) -> classmethod:  # type: ignore[type-arg]
    def is_type_of(cls: type, obj: Any, _info: Any) -> bool:
        return isinstance(obj, ObjectView) and obj._type_name == name

    return classmethod(is_type_of)


def _fields(
    ot: ObjectType, enums: dict[str, type[StrEnum]], types: ObjectTypes, inputs: Inputs
) -> dict[str, tuple[Any, Any]]:
    fields: dict[str, tuple[Any, Any]] = {}
    for prop in ot.properties:
        gql = property_field(ot, prop.camel_name)
        if gql is None:
            continue
        python = prop.name if gql == prop.camel_name else RENAMED_PREFIX + prop.name
        fields[python] = (
            property_annotation(prop, enums),
            strawberry.field(name=gql, description=prop.description),
        )
    for name, side in link_sides(ot.name).items():
        target_key = side.target_name
        node: Any = types.objects[target_key] if target_key else OntologyObject
        if side.many and side.link.properties:
            label = f"{ot.name}{name[:1].upper()}{name[1:]}"
            fn = many_field(
                side,
                inputs.link_where(ot, side),
                inputs.order[target_key],
                _connection(label, node, _link_property_fields(side, enums)),
            )
        elif side.many:
            fn = many_field(
                side,
                inputs.where[target_key],
                inputs.order[target_key],
                types.connections[target_key],
            )
        else:
            fn = single_field(side, node)
        fields["link__" + name] = (
            None,
            strawberry.field(name=name, description=side.link.description, resolver=fn),
        )
    return fields


def build_objects(enums: dict[str, type[StrEnum]], inputs: Inputs) -> ObjectTypes:
    objects = {ot.name: shell(ot.name, (OntologyObject,)) for ot in ONTOLOGY.object_types}
    connections: dict[str | None, type] = {
        name: _connection(name, cls) for name, cls in objects.items()
    }
    connections[None] = _connection("OntologyObject", OntologyObject)
    types = ObjectTypes(objects, connections)
    for ot in ONTOLOGY.object_types:
        cls = fill(objects[ot.name], _fields(ot, enums, types, inputs))
        cls.is_type_of = _type_checker(ot.name)  # type: ignore[attr-defined]
        strawberry.type(cls, name=ot.name, description=ot.description)
    return types
