"""Short constructors for declarations, so each object type reads like a card.

``string("name", "Model name", required=True)`` is easier to review than a
``Property(...)`` with keyword noise, and keeps declarations one line per fact.
"""

from __future__ import annotations

from typing import Any

from .model import (
    ActionType,
    Cardinality,
    EnumType,
    LinkEnd,
    LinkRole,
    LinkType,
    ObjectType,
    Property,
    PropertyType,
    pascal_to_kebab,
)


def _prop(name: str, kind: PropertyType, doc: str, **kw: Any) -> Property:
    return Property(name=name, type=kind, description=doc, **kw)


def string(name: str, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.STRING, doc, **kw)


def text(name: str, doc: str, **kw: Any) -> Property:
    """A free-text string that full-text search looks at."""
    return _prop(name, PropertyType.STRING, doc, searchable=True, **kw)


def integer(name: str, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.INT, doc, **kw)


def number(name: str, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.FLOAT, doc, **kw)


def boolean(name: str, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.BOOL, doc, **kw)


def day(name: str, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.DATE, doc, **kw)


def timestamp(name: str, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.DATETIME, doc, **kw)


def choice(name: str, enum: EnumType, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.ENUM, doc, enum=enum.name, **kw)


def strings(name: str, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.STRING_LIST, doc, **kw)


def json_map(name: str, doc: str, **kw: Any) -> Property:
    return _prop(name, PropertyType.JSON, doc, **kw)


def enum(name: str, values: str, doc: str, synonyms: dict[str, str] | None = None) -> EnumType:
    """Declare a vocabulary; ``values`` is space-separated for brevity."""
    return EnumType(
        name=name, values=tuple(values.split()), description=doc, synonyms=dict(synonyms or {})
    )


def obj(
    name: str,
    *,
    pk: str,
    title: str,
    doc: str,
    props: list[Property],
    area: str,
    api_name: str | None = None,
    plural: str | None = None,
    prov: str | None = None,
    system: bool = False,
) -> ObjectType:
    return ObjectType(
        name=name,
        api_name=api_name or pascal_to_kebab(name),
        primary_key=pk,
        title_property=title,
        description=doc,
        properties=tuple(props),
        plural=plural,
        area=area,
        prov_class=prov,
        system=system,
    )


def link(
    api_name: str,
    source: str,
    targets: str | tuple[str, ...],
    cardinality: Cardinality,
    forward: str,
    reverse: str,
    doc: str,
    props: list[Property] | None = None,
    prov: str | None = None,
    *,
    role: str | None = None,
    upstream: str | None = None,
) -> LinkType:
    """A link type; ``role`` is ``FLOW`` (with ``upstream=SOURCE`` or ``TARGET``) or ``CONTEXT``.

    The role has no default on purpose: whether lineage follows a link is a
    decision about its meaning, and the registry names every link that lacks one.
    """
    return LinkType(
        api_name=api_name,
        source=source,
        targets=(targets,) if isinstance(targets, str) else tuple(targets),
        cardinality=cardinality,
        forward_field=forward,
        reverse_field=reverse,
        description=doc,
        properties=tuple(props or ()),
        prov_property=prov,
        role=_as(LinkRole, role),
        upstream=_as(LinkEnd, upstream),
    )


def _as(kind: type[LinkRole] | type[LinkEnd], value: str | None) -> Any:
    """The enum member, or the raw value so the registry can name what is wrong with it."""
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        return value


def action(
    name: str,
    doc: str,
    params: list[Property],
    touches: tuple[str, ...],
    *,
    admin: bool = False,
) -> ActionType:
    return ActionType(
        name=name,
        api_name=pascal_to_kebab(name[:1].upper() + name[1:]),
        description=doc,
        parameters=tuple(params),
        touches=touches,
        admin=admin,
    )


#: Lineage roles and ends, for ``link(..., role=FLOW, upstream=TARGET)``.
FLOW = LinkRole.FLOW
CONTEXT = LinkRole.CONTEXT
SOURCE = LinkEnd.SOURCE
TARGET = LinkEnd.TARGET

ONE_TO_ONE = Cardinality.ONE_TO_ONE
ONE_TO_MANY = Cardinality.ONE_TO_MANY
MANY_TO_ONE = Cardinality.MANY_TO_ONE
MANY_TO_MANY = Cardinality.MANY_TO_MANY
