"""How ontology property values are stored in node columns, and read back.

Both the schema (column types) and every write (Arrow tables fed to COPY and
LOAD FROM) are generated from the same property list, so a declared property is
a column with the right type the moment it is declared. Datetimes are stored as
naive UTC (the engine's TIMESTAMP has no zone) and come back aware; JSON is
stored as text and comes back as a dict.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

import pyarrow as pa

from opencase.ontology import ONTOLOGY, SYSTEM_PROPERTIES, ObjectType, Property, PropertyType

from .canonical import json_text

#: Engine column type per property kind (Ladybug/Kuzu DDL).
DDL_TYPES: dict[PropertyType, str] = {
    PropertyType.STRING: "STRING",
    PropertyType.INT: "INT64",
    PropertyType.FLOAT: "DOUBLE",
    PropertyType.BOOL: "BOOLEAN",
    PropertyType.DATE: "DATE",
    PropertyType.DATETIME: "TIMESTAMP",
    PropertyType.ENUM: "STRING",
    PropertyType.STRING_LIST: "STRING[]",
    PropertyType.JSON: "STRING",
}

ARROW_TYPES: dict[PropertyType, pa.DataType] = {
    PropertyType.STRING: pa.string(),
    PropertyType.INT: pa.int64(),
    PropertyType.FLOAT: pa.float64(),
    PropertyType.BOOL: pa.bool_(),
    PropertyType.DATE: pa.date32(),
    PropertyType.DATETIME: pa.timestamp("us"),
    PropertyType.ENUM: pa.string(),
    PropertyType.STRING_LIST: pa.list_(pa.string()),
    PropertyType.JSON: pa.string(),
}

UTC = dt.UTC


def node_columns(object_type: ObjectType) -> tuple[Property, ...]:
    """Every column of a node table: system columns first, then declared properties."""
    return SYSTEM_PROPERTIES + object_type.properties


@cache
def _columns_by_name(type_name: str) -> dict[str, Property]:
    return {p.name: p for p in node_columns(ONTOLOGY.object_type(type_name))}


def column(type_name: str, name: str) -> Property:
    return _columns_by_name(type_name)[name]


def to_storage(prop: Property, value: Any) -> Any:
    """A validated Python value as the engine stores it."""
    if value is None:
        return None
    if prop.type is PropertyType.DATETIME:
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if prop.type is PropertyType.JSON:
        return json_text(value)
    return value


def from_storage(prop: Property, value: Any) -> Any:
    """A stored value as callers see it (aware datetimes, dicts for JSON)."""
    if value is None:
        return None
    if prop.type is PropertyType.DATETIME and isinstance(value, dt.datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if prop.type is PropertyType.JSON and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return {"value": value}
    return value


_UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")


def arrow_column(prop: Property, values: list[Any]) -> pa.Array:
    """One typed Arrow column; Arrow itself turns aware datetimes into UTC, JSON needs text.

    Datetimes are converted as zoned UTC and then cast to the naive column type
    (the same values: naive input counts as UTC either way): converting aware
    datetimes straight to a naive type is several times slower in pyarrow.
    """
    if prop.type is PropertyType.JSON:
        values = [None if v is None else to_storage(prop, v) for v in values]
    elif prop.type is PropertyType.DATETIME:
        return pa.array(values, type=_UTC_TIMESTAMP).cast(ARROW_TYPES[prop.type])
    return pa.array(values, type=ARROW_TYPES[prop.type])
