"""New objects laid out column by column: the COPY-ready table of a bulk load.

The rows come from :class:`~opencase.ontology.validation.ObjectValidator`
and are not checked again here: this module only gathers each declared
property's values into one typed Arrow column, adds the system columns and
hands the table to the writer. A million objects then cost one pass per
column instead of a row dict and a conversion per record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

import pyarrow as pa

from opencase.ontology import ObjectType, PropertyType

from .columns import ARROW_TYPES, arrow_column, node_columns

_UTC_STAMP = pa.timestamp("us", tz="UTC")


def _gather(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    """Each name's values in row order; a row that lacks a name has ``None`` there.

    When every row has every name (a generated or loaded batch usually does)
    each column is read by mapping one ``itemgetter`` over the rows, in C.
    """
    out: dict[str, list[Any]] = {}
    for name in names:
        try:
            out[name] = list(map(itemgetter(name), rows))
        except KeyError:
            out[name] = [r.get(name) for r in rows]
    return out


def new_objects_table(
    ot: ObjectType,
    ids: list[str],
    contents: Sequence[Mapping[str, Any]],
    input_hashes: pa.Int64Array,
    content_hashes: pa.Int64Array,
    now: dt.datetime,
) -> pa.Table:
    """Validated new objects of one type (defaults filled in) as a table with every node column."""
    present: set[str] = set().union(*contents)
    names = [p.name for p in ot.properties if p.name in present]
    columns = _gather(contents, names)
    n = len(ids)
    system: dict[str, pa.Array] = {
        "id": pa.array(ids, pa.string()),
        "sys_title": pa.array(_titles(ot, ids, columns), pa.string()),
        "sys_hash": content_hashes,
        "sys_input_hash": input_hashes,
        "sys_created_at": pa.repeat(pa.scalar(now, _UTC_STAMP), n).cast(
            ARROW_TYPES[PropertyType.DATETIME]
        ),
    }
    system["sys_updated_at"] = system["sys_created_at"]
    arrays = []
    for prop in node_columns(ot):
        array = system.get(prop.name)
        if array is None:
            values = columns.get(prop.name)
            if values is None:
                array = pa.nulls(n, ARROW_TYPES[prop.type])
            else:
                array = arrow_column(prop, values)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=[p.name for p in node_columns(ot)])


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
