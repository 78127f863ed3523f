"""``where`` arguments -> the filter AST of queries/filters.py.

Typed where inputs (per object type) and the JSON where of ``aggregate`` share
this one compiler, which works on plain dicts keyed by GraphQL names: property
names are checked against the ontology and values coerced to the property's
kind, so a wrong name or value is reported with the field it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any

from opencase.errors import Problem, ValidationError
from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType
from opencase.queries.filters import And, Cmp, Filter, LinkExists, Not, Or

from .links import LinkSide, link_sides

#: GraphQL operator name -> AST operator.
OPERATORS = {
    "eq": "eq",
    "ne": "ne",
    "in": "in",
    "contains": "contains",
    "startsWith": "starts_with",
    "gt": "gt",
    "gte": "gte",
    "lt": "lt",
    "lte": "lte",
    "isNull": "is_null",
}
_ORDERED = ("eq", "ne", "in", "gt", "gte", "lt", "lte", "isNull")
#: Which operators make sense for which property kind.
OPS_BY_KIND: dict[PropertyType, tuple[str, ...]] = {
    PropertyType.STRING: tuple(OPERATORS),
    PropertyType.INT: _ORDERED,
    PropertyType.FLOAT: _ORDERED,
    PropertyType.DATE: _ORDERED,
    PropertyType.DATETIME: _ORDERED,
    PropertyType.BOOL: ("eq", "ne", "isNull"),
    PropertyType.ENUM: ("eq", "ne", "in", "isNull"),
    PropertyType.STRING_LIST: ("contains", "isNull"),
    PropertyType.JSON: ("isNull",),
}
#: Fields every where input has besides properties: the id and the title.
BUILTIN = {
    "id": Property("id", PropertyType.STRING, "Global id."),
    "title": Property("title", PropertyType.STRING, "Title."),
}


def plain(value: Any) -> Any:
    """A Strawberry input object (or list of them) as a dict keyed by GraphQL names."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return value.value
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is not None:
        out = {}
        for f in definition.fields:
            v = getattr(value, f.python_name, None)
            if v is not None:
                out[f.graphql_name or f.python_name] = plain(v)
        return out
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def property_by_field(ot: ObjectType | None, name: str) -> Property | None:
    """The property a where/groupBy/orderBy name means (camelCase or snake_case)."""
    if name in BUILTIN:
        return BUILTIN[name]
    if ot is None:
        return None
    for p in ot.properties:
        if name in (p.camel_name, p.name, p.camel_name + "Property"):
            return p
    return None


def compile_where(
    ot: ObjectType | None, where: Mapping[str, Any] | None, path: str = "where"
) -> Filter | None:
    """The AST of one where object; ``ot`` None means any type (id and title only)."""
    if not where:
        return None
    if not isinstance(where, Mapping):
        raise _bad(path, "must be an object of field filters")
    sides = link_sides(ot.name) if ot is not None else {}
    items: list[Filter] = []
    for key, value in where.items():
        at = f"{path}.{key}"
        if value is None:
            continue
        if key in ("AND", "OR"):
            parts = [compile_where(ot, v, f"{at}[{i}]") for i, v in enumerate(_as_list(value, at))]
            kept = tuple(p for p in parts if p is not None)
            if kept:
                items.append(And(kept) if key == "AND" else Or(kept))
        elif key == "NOT":
            inner = compile_where(ot, value, at)
            if inner is not None:
                items.append(Not(inner))
        elif key in sides:
            items += _link(sides[key], value, at)
        else:
            prop = property_by_field(ot, key)
            if prop is None:
                raise _bad(at, f"{ot.name if ot else 'OntologyObject'} has no field {key!r}")
            items += comparisons(prop, value, at)
    if not items:
        return None
    return items[0] if len(items) == 1 else And(tuple(items))


def _link(side: LinkSide, value: Any, at: str) -> list[Filter]:
    if not isinstance(value, Mapping) or not set(value) <= {"some", "none"}:
        raise _bad(at, "a link filter takes {some: {...}} and/or {none: {...}}")
    target = side.target_type
    out: list[Filter] = []
    for quantifier in ("some", "none"):
        if quantifier in value and value[quantifier] is not None:
            inner = compile_where(target, value[quantifier], f"{at}.{quantifier}")
            out.append(LinkExists(side.field, inner, negate=quantifier == "none"))
    return out


def comparisons(prop: Property, ops: Any, at: str) -> list[Filter]:
    """The comparisons of one property's operator object (``{eq: ..., in: [...]}``)."""
    if not isinstance(ops, Mapping):
        raise _bad(at, "must be an operator object such as {eq: ...}")
    allowed = OPS_BY_KIND[prop.type]
    out: list[Filter] = []
    for op, raw in ops.items():
        if raw is None:
            continue
        if op not in allowed:
            raise _bad(
                f"{at}.{op}",
                f"operator {op!r} does not apply to {prop.type} (use {', '.join(allowed)})",
            )
        if op == "isNull":
            value: Any = bool(raw)
        elif op == "in":
            value = tuple(coerce(prop, v, f"{at}.in") for v in _as_list(raw, f"{at}.in"))
        elif prop.type is PropertyType.STRING_LIST:
            value = str(raw)
        else:
            value = coerce(prop, raw, f"{at}.{op}")
        out.append(Cmp(prop.name, OPERATORS[op], value))  # type: ignore[arg-type]
    return out


def coerce(prop: Property, raw: Any, at: str) -> Any:
    """A JSON or GraphQL value as the property's kind; enums by canonical value."""
    try:
        kind = prop.type
        if kind is PropertyType.ENUM:
            enum = ONTOLOGY.enum(prop.enum or "")
            value = enum.normalise(str(raw.value if isinstance(raw, Enum) else raw))
            if value is None:
                raise ValueError(f"{raw!r} is not one of {', '.join(enum.values)}")
            return value
        if kind is PropertyType.INT:
            return int(raw)
        if kind is PropertyType.FLOAT:
            return float(raw)
        if kind is PropertyType.BOOL:
            if not isinstance(raw, bool):
                raise ValueError(f"{raw!r} is not true or false")
            return raw
        if kind is PropertyType.DATE and not isinstance(raw, dt.date):
            return dt.date.fromisoformat(str(raw))
        if kind is PropertyType.DATETIME and not isinstance(raw, dt.datetime):
            return dt.datetime.fromisoformat(str(raw))
        return raw if isinstance(raw, dt.date) else str(raw)
    except (TypeError, ValueError) as exc:
        raise _bad(at, str(exc)) from None


def _as_list(value: Any, at: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _bad(at, "must be a list")
    return list(value)


def _bad(at: str, message: str) -> ValidationError:
    return ValidationError(
        Problem(message, field=at),
        suggestion="see the where input's fields in the schema (GraphiQL's docs pane)",
    )
