"""New objects checked and laid out column by column: the bulk load's fast path.

A bulk load mostly creates objects whose input is already clean: strings with
no surrounding blanks, integers that are ``int``, datetimes that are
``datetime``, enum values spelled as declared. For such input pydantic would
return the values unchanged, so validating record by record (and then copying
every record into a row dict, and every row dict into Arrow columns) is work
with no effect. Here each declared property's values are gathered once into a
column, checked with exact class tests and set lookups, and handed to Arrow
as they are. Anything this module is not sure about (a value of another class,
a blank to be stripped, an empty string, a JSON map, a constrained number,
an unknown property) makes it answer ``None``, and the caller validates the
whole type's records with pydantic instead, which coerces or names the
problem: the fast path changes speed, never results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pydantic

from opencase.ontology import ONTOLOGY, ObjectType, Property, PropertyType
from opencase.ontology.validation import property_validator

from .canonical import content_hash, hash_text, null_or_repr
from .columns import ARROW_TYPES, arrow_column, node_columns

#: Classes a clean value of each kind has (exact classes: ``bool`` is no ``int`` here).
_CLEAN: dict[PropertyType, tuple[type, ...]] = {
    PropertyType.STRING: (str,),
    PropertyType.ENUM: (str,),
    PropertyType.INT: (int,),
    PropertyType.FLOAT: (float,),
    PropertyType.BOOL: (bool,),
    PropertyType.DATE: (dt.date,),
    PropertyType.DATETIME: (dt.datetime,),
    PropertyType.STRING_LIST: (list,),
    PropertyType.JSON: (dict,),
}
_NONE = type(None)
#: Kinds whose content text is not their input's (see ``canonical.content_text``).
_CANONICALISED = (PropertyType.DATETIME, PropertyType.JSON)


@dataclass
class NewColumns:
    """Validated new objects of one type as an Arrow table with every node column."""

    ids: list[str]
    table: pa.Table


@dataclass(frozen=True)
class _Plan:
    """Per type, computed once: what to check for each declared property."""

    names: frozenset[str]
    props: tuple[Property, ...]
    enums: Mapping[str, frozenset[str]]
    constrained: Mapping[str, Callable[[Any], Any]]


@cache
def _plan(type_name: str) -> _Plan | None:
    ot = ONTOLOGY.object_type(type_name)
    enums = {
        p.name: frozenset(ONTOLOGY.enum(p.enum).values)
        for p in ot.properties
        if p.type is PropertyType.ENUM and p.enum
    }
    constrained = {
        p.name: property_validator(type_name, p.name)
        for p in ot.properties
        if p.pattern or p.minimum is not None or p.maximum is not None
    }
    return _Plan(frozenset(ot.property_names), ot.properties, enums, constrained)


def _clean_column(plan: _Plan, prop: Property, values: list[Any]) -> bool:
    """True when pydantic would return every value of the column unchanged."""
    classes = {v.__class__ for v in values}
    classes.discard(_NONE)
    if not classes <= set(_CLEAN[prop.type]):
        return False
    if prop.required and None in values:
        return False
    if prop.type in (PropertyType.STRING, PropertyType.ENUM):
        # blanks around a value are stripped and an empty one becomes None: not clean
        # (Arrow's whitespace is Unicode White_Space, as pydantic's strip)
        text = pa.array(values, pa.string())
        if not pc.all(pc.equal(text, pc.utf8_trim_whitespace(text))).as_py() or (
            pc.any(pc.equal(text, "")).as_py()
        ):
            return False
    elif prop.type in (PropertyType.STRING_LIST, PropertyType.JSON) and not all(
        v is None or all(x.__class__ is str for x in v) for v in values
    ):
        return False  # list items, map keys: text only
    allowed = plan.enums.get(prop.name)
    if allowed is not None and not all(v is None or v in allowed for v in values):
        return False
    check = plan.constrained.get(prop.name)
    if check is not None:
        try:
            for v in values:
                if v is not None and check(v) != v:
                    return False
        except pydantic.ValidationError:
            return False
    return True


def plan_new_columns(
    ot: ObjectType,
    ids: list[str],
    raws: Sequence[Mapping[str, Any]],
    input_hashes: list[str | None],
    input_texts: Sequence[bytes],
    now: dt.datetime,
) -> NewColumns | None:
    """The records as a COPY-ready table, or ``None`` when one needs the record path."""
    plan = _plan(ot.name)
    if plan is None or not raws:
        return None
    sent: set[str] = set().union(*raws)
    if not sent <= plan.names:
        return None
    columns: dict[str, list[Any]] = {}
    filled = False  # some record got a declared default: its content is not its input
    for prop in plan.props:
        if prop.name not in sent:
            if prop.required:
                return None
            if prop.default is None:
                continue
            columns[prop.name] = [prop.default] * len(raws)
            filled = True
            continue
        values = [r.get(prop.name) for r in raws]
        if not _clean_column(plan, prop, values):
            return None
        if prop.default is not None and None in values:
            filled = True
            values = [
                prop.default if v is None and prop.name not in r else v
                for v, r in zip(values, raws, strict=True)
            ]
        columns[prop.name] = values
    if ot.primary_key not in columns:
        return None
    content = _content_hashes(ot, raws, columns, input_texts, filled)
    titles = _titles(ot, ids, columns)
    n = len(ids)
    system: dict[str, list[Any]] = {
        "id": ids,
        "sys_title": titles,
        "sys_hash": content,
        "sys_input_hash": input_hashes,
        "sys_created_at": [now] * n,
        "sys_updated_at": [now] * n,
    }
    arrays = []
    names = []
    for prop in node_columns(ot):
        values = system.get(prop.name) or columns.get(prop.name)
        if values is None:
            arrays.append(pa.nulls(n, ARROW_TYPES[prop.type]))
        elif prop.type in (PropertyType.JSON, PropertyType.DATETIME):
            arrays.append(arrow_column(prop, values))
        else:
            arrays.append(pa.array(values, ARROW_TYPES[prop.type]))
        names.append(prop.name)
    return NewColumns(ids, pa.Table.from_arrays(arrays, names=names))


def _content_hashes(
    ot: ObjectType,
    raws: Sequence[Mapping[str, Any]],
    columns: Mapping[str, list[Any]],
    input_texts: Sequence[bytes],
    filled: bool,
) -> list[str]:
    """Content hashes; a record whose input text is its content text is not printed twice.

    That holds for a JSON-form input text (see :mod:`opencase.graph.canonical`)
    of clean input with no ``None`` value, no default filled in, no JSON map and
    every datetime naive or in UTC.
    """
    if filled:
        return [
            content_hash(ot.name, {n: columns[n][i] for n in columns}) for i in range(len(raws))
        ]
    apart: set[int] = set()  # records whose content text differs from their input text
    for p in ot.properties:
        values = columns.get(p.name)
        if values is None or p.type not in _CANONICALISED:
            continue
        if p.type is PropertyType.JSON:  # content holds the stored JSON text
            apart.update(i for i, v in enumerate(values) if v is not None)
        else:  # content holds UTC datetimes; naive ones print alike
            apart.update(
                i
                for i, v in enumerate(values)
                if v is not None and v.tzinfo is not None and v.tzinfo is not dt.UTC
            )
    names = list(columns)
    # a JSON text without null has no None value (nor NaN) at the top level
    out = [
        content_hash(ot.name, {n: columns[n][i] for n in names})
        if i in apart or null_or_repr(text)
        else hash_text(text)
        for i, text in enumerate(input_texts)
    ]
    return out


def _titles(ot: ObjectType, ids: list[str], columns: Mapping[str, list[Any]]) -> list[str]:
    """As :func:`~opencase.ontology.validation.title_of`: the title property, else the key."""
    keys = columns[ot.primary_key]
    titles = columns.get(ot.title_property)
    if titles is None:
        return [str(k) for k in keys]
    return [
        str(k) if t is None or t == "" else (t if t.__class__ is str else str(t))
        for t, k in zip(titles, keys, strict=True)
    ]
