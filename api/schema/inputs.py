"""Generated input types: per-kind operator filters, per-type ``where`` and ``orderBy``.

``ModelWorkWhere`` has one operator object per property (``status: {in: [...]}``),
``AND``/``OR``/``NOT``, and one ``{some, none}`` filter per link field whose
inner where is the linked type's own where input, so the inputs recurse
across the whole ontology. ``None`` keys stand for "any object type".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType

from .build import fill, input_fields, shell
from .enums import SortDirection
from .links import LinkSide, link_sides
from .naming import enum_member
from .where import BUILTIN, OPS_BY_KIND

_SCALARS: dict[PropertyType, Any] = {
    PropertyType.STRING: str,
    PropertyType.INT: int,
    PropertyType.FLOAT: float,
    PropertyType.BOOL: bool,
    PropertyType.DATE: dt.date,
    PropertyType.DATETIME: dt.datetime,
    PropertyType.STRING_LIST: str,  # an element, for "contains"
    PropertyType.JSON: JSON,
}
_OP_DOC = {
    "eq": "equals",
    "ne": "differs from (or is null)",
    "in": "is one of",
    "contains": "contains (substring, or list element)",
    "startsWith": "starts with",
    "gt": "greater than",
    "gte": "greater than or equal to",
    "lt": "less than",
    "lte": "less than or equal to",
    "isNull": "true: has no value; false: has one",
}
_ORDERABLE = frozenset(PropertyType) - {PropertyType.STRING_LIST, PropertyType.JSON}


@dataclass
class Inputs:
    where: dict[str | None, type]
    order: dict[str | None, type]
    link_filters: dict[str | None, type] | None = None
    ops: _OperatorInputs | None = None

    def link_where(self, owner: ObjectType, side: LinkSide) -> type:
        """The where input of a link field whose link type declares properties: the
        linked type's where fields plus one operator field per link property."""
        assert self.link_filters is not None and self.ops is not None
        target = side.target_type
        label = f"{owner.name}{side.field[:1].upper()}{side.field[1:]}Where"
        fields = _where_fields(target, self.where, self.link_filters, self.ops)
        for prop in side.link.properties:
            if prop.camel_name in fields:
                raise RuntimeError(
                    f"link type {side.link.api_name}: property {prop.name!r} clashes with a "
                    f"where field of {side.target_name}"
                )
            fields[prop.camel_name] = (
                self.ops.for_property(prop),
                f"The link's {prop.camel_name}: {prop.description}",
            )
        cls = fill(shell(label), input_fields(fields))
        return strawberry.input(
            cls,
            name=label,
            description=f"Filter on {side.target_name} objects linked by {side.link.api_name} "
            "and on the link's own properties.",
        )


def _operator_input(name: str, value_type: Any, ops: tuple[str, ...]) -> type:
    fields: dict[str, tuple[Any, str]] = {}
    for op in ops:
        if op == "isNull":
            fields[op] = (bool, _OP_DOC[op])
        elif op == "in":
            fields[op] = (list[value_type], _OP_DOC[op])
        else:
            fields[op] = (value_type, _OP_DOC[op])
    cls = fill(shell(name), input_fields(fields))
    return strawberry.input(cls, name=name, description=f"Operators on a {name[:-6]} value.")


class _OperatorInputs:
    """One operator input per property kind (and per enum), made on first use."""

    def __init__(self, enums: dict[str, type[StrEnum]]) -> None:
        self._enums = enums
        self._made: dict[str, type] = {}

    def for_property(self, prop: Property) -> type:
        if prop.type is PropertyType.ENUM:
            name, value_type = f"{prop.enum}Filter", self._enums[prop.enum or ""]
        elif prop.type is PropertyType.STRING_LIST:
            name, value_type = "StringListFilter", str
        else:
            scalar = _SCALARS[prop.type]
            label = {dt.date: "Date", dt.datetime: "DateTime", bool: "Boolean"}.get(scalar)
            name, value_type = f"{label or prop.type.value.capitalize()}Filter", scalar
            if prop.type is PropertyType.JSON:
                name = "JSONFilter"
        if name not in self._made:
            self._made[name] = _operator_input(name, value_type, OPS_BY_KIND[prop.type])
        return self._made[name]


def _where_fields(
    ot: ObjectType | None,
    where: dict[str | None, type],
    links: dict[str | None, type],
    ops: _OperatorInputs,
) -> dict[str, tuple[Any, str]]:
    self_cls = where[ot.name if ot else None]
    fields: dict[str, tuple[Any, str]] = {
        "AND": (list[self_cls], "All of these match."),
        "OR": (list[self_cls], "At least one of these matches."),
        "NOT": (self_cls, "This does not match."),
    }
    for key, prop in BUILTIN.items():
        fields[key] = (ops.for_property(prop), f"The object's {key}.")
    if ot is None:
        return fields
    for prop in ot.properties:
        if prop.camel_name not in fields:
            fields[prop.camel_name] = (ops.for_property(prop), prop.description)
    for name, side in link_sides(ot.name).items():
        fields[name] = (links[side.target_name], f"Linked objects: {side.link.description}")
    return fields


def _order_input(ot: ObjectType | None) -> type:
    label = ot.name if ot else "OntologyObject"
    members = {"id": "id", "title": "title"}
    for prop in ot.properties if ot else ():
        if prop.type in _ORDERABLE:
            members.setdefault(enum_member(prop.camel_name), prop.name)
    field_enum = strawberry.enum(
        Enum(f"{label}OrderField", members),
        description=f"What {label} objects sort by.",  # type: ignore[misc]
    )
    cls = shell(f"{label}Order")
    fill(
        cls,
        {
            "field": (field_enum, strawberry.field(description="Sort key.")),
            "direction": (
                SortDirection,
                strawberry.field(default=SortDirection.ASC, description="ASC or DESC."),
            ),
        },
    )
    return strawberry.input(
        cls, name=f"{label}Order", description=f"Sort order of {label} objects."
    )


def build_inputs(enums: dict[str, type[StrEnum]]) -> Inputs:
    keys: list[ObjectType | None] = [*ONTOLOGY.object_types, None]
    label = {ot.name if ot else None: (ot.name if ot else "OntologyObject") for ot in keys}
    where = {k: shell(f"{v}Where") for k, v in label.items()}
    links = {k: shell(f"{v}LinkFilter") for k, v in label.items()}
    ops = _OperatorInputs(enums)
    for ot in keys:
        key = ot.name if ot else None
        fill(where[key], input_fields(_where_fields(ot, where, links, ops)))
        fill(
            links[key],
            input_fields(
                {
                    "some": (where[key], "At least one linked object matches (empty: any link)."),
                    "none": (where[key], "No linked object matches (empty: no link at all)."),
                }
            ),
        )
    for ot in keys:
        key = ot.name if ot else None
        strawberry.input(
            where[key], name=f"{label[key]}Where", description=f"Filter on {label[key]} objects."
        )
        strawberry.input(
            links[key],
            name=f"{label[key]}LinkFilter",
            description=f"Filter across a link to {label[key]} objects.",
        )
    return Inputs(
        where=where,
        order={ot.name if ot else None: _order_input(ot) for ot in keys},
        link_filters=links,
        ops=ops,
    )
