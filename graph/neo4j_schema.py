"""The typed Neo4j schema: neomodel node classes generated from the ontology, and their constraints.

:func:`node_classes` declares one neomodel ``StructuredNode`` per object type:
its labels (the type's name and the common ``OntologyObject``), every declared
property with its neomodel type, ``required`` flag and enum choices, ``id``
unique (as ``uid``: neomodel reserves the name ``id``) and ``sys_title``
indexed. Those classes are the schema: :func:`schema_statements` reads the
constraints and indexes off them (a ``unique_index`` property becomes a
uniqueness constraint, an ``index`` one an index), so a global id lookup is one
index seek and the classes and the database cannot disagree.

The statements run through the store's own driver rather than neomodel's
``install_all_labels``, which would go through neomodel's process-wide ``db``
connection: its errors would bypass our mapping, and two stores in one process
would share one connection. They are idempotent (``IF NOT EXISTS``) and named.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from neomodel import (
    ArrayProperty,
    BooleanProperty,
    DateProperty,
    DateTimeNeo4jFormatProperty,
    FloatProperty,
    IntegerProperty,
    JSONProperty,
    StringProperty,
    StructuredNode,
)
from neomodel.properties import Property as Property_

from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType
from opencase.queries.dialect import ident

from .neo4j_conn import COMMON_LABEL


def _name(*parts: str) -> str:
    return "opencase_" + "_".join(parts).lower()


# ---- neomodel classes ---------------------------------------------------------------------

_NEOMODEL: dict[PropertyType, Any] = {
    PropertyType.STRING: StringProperty,
    PropertyType.ENUM: StringProperty,
    PropertyType.INT: IntegerProperty,
    PropertyType.FLOAT: FloatProperty,
    PropertyType.BOOL: BooleanProperty,
    PropertyType.DATE: DateProperty,
    PropertyType.DATETIME: DateTimeNeo4jFormatProperty,
    PropertyType.JSON: JSONProperty,
}

#: Strong references: neomodel's class registry only holds weak ones, so a
#: generated class nobody references would silently vanish from it.
_CLASSES: dict[str, type[StructuredNode]] = {}


def _attribute(prop: Property) -> tuple[str, Any]:
    """(class attribute, neomodel property); names neomodel reserves are aliased."""
    kwargs: dict[str, Any] = {"db_property": prop.name, "required": prop.required}
    if prop.type is PropertyType.STRING_LIST:
        field = ArrayProperty(StringProperty(), **kwargs)

    else:
        if prop.type is PropertyType.ENUM:
            enum = ONTOLOGY.enum_of(prop)
            kwargs["choices"] = {v: v for v in enum.values} if enum else None
        field = _NEOMODEL[prop.type](**kwargs)
    name = prop.name
    if name in ("id", "deleted", "element_id") or hasattr(StructuredNode, name):
        name = f"{name}_"
    return name, field


@cache
def _base() -> type[StructuredNode]:
    attrs: dict[str, Any] = {
        "__label__": COMMON_LABEL,
        "__module__": __name__,
        "uid": StringProperty(unique_index=True, db_property="id"),
        "sys_title": StringProperty(),
    }
    base = type(COMMON_LABEL, (StructuredNode,), attrs)
    _CLASSES[COMMON_LABEL] = base
    return base


def node_class(object_type: ObjectType | str) -> type[StructuredNode]:
    """The neomodel class of one object type (labels: its name and ``OntologyObject``)."""
    ot = object_type if isinstance(object_type, ObjectType) else ONTOLOGY.object_type(object_type)
    if ot.name not in _CLASSES:
        attrs: dict[str, Any] = {
            "__label__": ot.name,
            "__module__": __name__,
            "__doc__": ot.description,
            "uid": StringProperty(unique_index=True, db_property="id"),
            "sys_title": StringProperty(index=True),
        }
        for prop in ot.properties:
            name, field = _attribute(prop)
            attrs[name] = field
        _CLASSES[ot.name] = type(ot.name, (_base(),), attrs)
    return _CLASSES[ot.name]


def node_classes() -> dict[str, type[StructuredNode]]:
    """Every object type's neomodel class, by type name."""
    return {ot.name: node_class(ot) for ot in ONTOLOGY.object_types}


def _own_properties(cls: type[StructuredNode]) -> list[tuple[str, Any]]:
    """(stored name, neomodel property) of what ``cls`` itself declares (not inherited)."""
    return [
        (prop.db_property or name, prop)
        for name, prop in vars(cls).items()
        if isinstance(prop, Property_)
    ]


def schema_statements() -> list[tuple[str, str]]:
    """``(name, statement)`` per constraint and index the node classes declare, in order."""
    out = []
    for cls in (_base(), *node_classes().values()):
        label = cls.__label__
        for stored, prop in _own_properties(cls):
            name = _name(label, stored)
            pattern = f"FOR (n:{ident(label)})"
            if prop.unique_index:
                statement = f"CREATE CONSTRAINT {name} IF NOT EXISTS {pattern} "
                out.append((name, statement + f"REQUIRE n.{ident(stored)} IS UNIQUE"))
            elif prop.index:
                statement = f"CREATE INDEX {name} IF NOT EXISTS {pattern} "
                out.append((name, statement + f"ON (n.{ident(stored)})"))
    return out
