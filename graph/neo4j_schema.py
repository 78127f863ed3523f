"""Neo4j constraints and indexes generated from the ontology, and neomodel classes for OGM use.

Every node carries its type label (``ObjectType.name``) and the common label
``OntologyObject``; ``id`` is unique per type label and on ``OntologyObject``
(so a global id lookup is one index seek), and ``sys_title`` is indexed per
type for search and sorting.

Why plain ``CREATE CONSTRAINT ... IF NOT EXISTS`` rather than neomodel's
``install_all_labels``: neomodel refuses a property named ``id`` (it needs a
``db_property`` alias), and ``install_labels`` runs through neomodel's
process-wide ``db`` connection instead of this store's driver, so its errors
would bypass our mapping and two stores in one process would share one
connection. The statements below are idempotent, named, and run through the
store's own driver. The generated neomodel classes (:func:`node_classes`) stay
available for people who want neomodel's OGM over an OpenCase graph; they
declare the same uniqueness (``uid`` mapped to ``id``), so ``install_all_labels``
would create equivalent constraints.
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

from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType
from opencase.queries.dialect import ident

from .neo4j_conn import COMMON_LABEL


def _name(*parts: str) -> str:
    return "opencase_" + "_".join(parts).lower()


def schema_statements() -> list[tuple[str, str]]:
    """``(name, statement)`` per constraint and index, in the order they should run."""
    out = [
        (
            _name(COMMON_LABEL, "id"),
            f"CREATE CONSTRAINT {_name(COMMON_LABEL, 'id')} IF NOT EXISTS "
            f"FOR (n:{ident(COMMON_LABEL)}) REQUIRE n.id IS UNIQUE",
        )
    ]
    for ot in ONTOLOGY.object_types:
        out.append(
            (
                _name(ot.name, "id"),
                f"CREATE CONSTRAINT {_name(ot.name, 'id')} IF NOT EXISTS "
                f"FOR (n:{ident(ot.name)}) REQUIRE n.id IS UNIQUE",
            )
        )
        out.append(
            (
                _name(ot.name, "sys_title"),
                f"CREATE INDEX {_name(ot.name, 'sys_title')} IF NOT EXISTS "
                f"FOR (n:{ident(ot.name)}) ON (n.sys_title)",
            )
        )
    return out


# ---- neomodel classes ---------------------------------------------------------------------

_NEOMODEL: dict[PropertyType, Any] = {
    PropertyType.STRING: StringProperty,
    PropertyType.ENUM: StringProperty,
    PropertyType.INT: IntegerProperty,
    PropertyType.LONG: IntegerProperty,
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
    kwargs: dict[str, Any] = {"db_property": prop.name}
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
