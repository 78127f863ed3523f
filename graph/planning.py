"""Backend-neutral validation of a write: what is new, what changed, what is unchanged.

Both backends run the same planning so validation, merge semantics, hashing and
link checks cannot drift; a backend only supplies two lookups (stored hashes and
properties by id, and which ids exist) and then applies the plan in its own
transaction. Everything is checked before anything is written: a plan with
problems raises one :class:`ValidationError` listing them all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from operator import attrgetter, is_not, itemgetter
from typing import Any

import pyarrow as pa
import pydantic

from opencase.errors import OntologyError, Problem, ValidationError
from opencase.ontology import ONTOLOGY, ObjectType, Property
from opencase.ontology.validation import (
    property_validator,
    title_of,
    validate_many,
    validate_properties,
)

from .canonical import HashedInputs, content_hash, hash_inputs
from .columnar import plan_new_columns
from .store import ObjectRecord

#: (object type, ids, columns) -> {id: {column: value}} for the ids that exist.
FetchRows = Callable[[ObjectType, list[str], Sequence[str]], dict[str, dict[str, Any]]]


@dataclass
class ObjectPlan:
    """Rows to create and rows to rewrite, per object type name (full declared columns)."""

    def created(self) -> int:
        return sum(len(r) for r in self.new.values()) + sum(
            t.num_rows for ts in self.new_tables.values() for t in ts
        )

    def new_ids(self) -> set[str]:
        ids = {row["id"] for rows in self.new.values() for row in rows}
        ids.update(self.table_ids)
        return ids

    new: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    #: new objects laid out by the column path: COPY-ready tables with every node column
    new_tables: dict[str, list[pa.Table]] = field(default_factory=lambda: defaultdict(list))
    table_ids: list[str] = field(default_factory=list)
    unchanged: int = 0
    ids: set[str] = field(default_factory=set)
    changed_ids: list[str] = field(default_factory=list)
    #: unchanged objects whose stored input hash is not their input's (an older store,
    #: or a patch that merged back to the same content): (id, input hash) to record, so
    #: the next re-load of the same input skips them without reading values back
    rehashed: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))


def _ontology_problem(exc: OntologyError, **where: Any) -> Problem:
    return Problem(exc.message, **where)


def _primary_key(ot: ObjectType, raw: Mapping[str, Any], index: int) -> str:
    """The record's key coerced as full validation would (which strips text), cheaply.

    The common case (text with nothing to strip) never gets here: :func:`_add_each`
    and :func:`_add_run` take it themselves.
    """
    value = raw.get(ot.primary_key)
    if value is None or value == "":
        raise ValidationError(
            Problem(f"{ot.name}: the primary key is missing", field=ot.primary_key, record=index)
        )
    if not isinstance(value, str) or value == value.strip():
        try:
            key = property_validator(ot.name, ot.primary_key)(value)
        except pydantic.ValidationError:
            key = None
        if key is not None and key != "":
            return str(key)
    try:
        return str(validate_properties(ot, raw, record=index)[ot.primary_key])
    except ValidationError:
        pass
    checked = validate_properties(ot, {ot.primary_key: value}, partial=True)
    return str(checked[ot.primary_key])


@dataclass
class _Group:
    """The batch's objects of one type: raw (merged) inputs by id, validated only when they must be.

    Grouping while reading the records (rather than one entry object per record,
    grouped afterwards) keeps a million-object batch to one pass over its records.
    """

    ot: ObjectType
    raws: dict[str, dict[str, Any]] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)  # record number, for problems
    key_name: str = field(init=False)
    prefix: str = field(init=False)  # of every global id of the type

    def __post_init__(self) -> None:
        self.key_name = self.ot.primary_key
        self.prefix = f"{self.ot.api_name}:"


def plan_objects(
    records: Sequence[ObjectRecord],
    fetch: FetchRows,
    now: dt.datetime,
    planned: Callable[[ObjectPlan, str], None] | None = None,
) -> tuple[ObjectPlan, list[Problem]]:
    """Validate and merge ``records`` against what is stored; duplicates merge in order.

    Only the primary key is checked up front. A record whose input hash equals
    the stored ``sys_input_hash`` is unchanged (see :func:`input_hash`) and is
    neither validated again nor read back; every other record is validated in
    full (a partial update of an existing object as a patch). ``planned`` hears
    of each type as soon as it is planned, while no problem has been found yet,
    so a caller inside a transaction can start writing it.
    """
    problems: list[Problem] = []
    groups: dict[str, _Group] = {}  # by type name
    spelled: dict[str, _Group] = {}  # by the record's spelling: one registry lookup per spelling
    start = 0
    # records mostly come in long runs of one type; a tracker row interleaves a few types
    for spelling, run in groupby(map(_SPELLING, records)):
        stop = start + len(list(run))
        group = spelled.get(spelling)
        if group is None:
            try:
                ot = ONTOLOGY.object_type(spelling)
            except OntologyError as exc:
                problems += [_ontology_problem(exc, record=i) for i in range(start, stop)]
                start = stop
                continue
            group = spelled[spelling] = groups.setdefault(ot.name, _Group(ot))
        if stop - start < _RUN or not _add_run(group, records[start:stop], start):
            _add_each(group, records, start, stop, problems)
        start = stop
    plan = ObjectPlan(ids=set().union(*(g.raws for g in groups.values())))
    for group in groups.values():
        _plan_type(plan, problems, group, fetch, now)
        if planned is not None and not problems:
            planned(plan, group.ot.name)
    return plan, problems


#: Runs of one type at least this long are first tried whole (see :func:`_add_run`).
_RUN = 64
_SPELLING = attrgetter("object_type")
_PROPERTIES = attrgetter("properties")


def _add_run(group: _Group, run: Sequence[ObjectRecord], start: int) -> bool:
    """Add a run of records of one type in a few C-level passes, if nothing in it is unusual.

    Every key text with nothing to strip, no id twice in the run and none already
    in the batch: then grouping is two ``dict.update`` calls. Otherwise nothing is
    added and ``False`` sends the run record by record (merges, key problems).
    """
    raws = list(map(_PROPERTIES, run))
    try:
        keys = list(map(itemgetter(group.key_name), raws))
    except KeyError:
        return False
    if set(map(type, keys)) != {str} or "" in keys:
        return False
    if any(map(is_not, map(str.strip, keys), keys)):  # str.strip returns the same object
        return False
    oids = list(map(group.prefix.__add__, keys))
    if len(set(oids)) != len(oids) or not group.raws.keys().isdisjoint(oids):
        return False
    group.raws.update(zip(oids, raws, strict=True))
    group.index.update(zip(oids, range(start, start + len(oids)), strict=True))
    return True


def _add_each(
    group: _Group, records: Sequence[ObjectRecord], start: int, stop: int, problems: list[Problem]
) -> None:
    """Add records ``start:stop`` (all of the group's type) one by one, merging repeats."""
    ot, raws, indexes, prefix, key_name = (
        group.ot,
        group.raws,
        group.index,
        group.prefix,
        group.key_name,
    )
    for index in range(start, stop):
        raw = records[index].properties
        key = raw.get(key_name)
        # inline the common case of _primary_key: text with nothing to strip
        # (str.strip returns the very same object then)
        if key.__class__ is str and key and key.strip() is key:
            oid = prefix + key
        else:
            try:
                oid = prefix + _primary_key(ot, raw, index)
            except ValidationError as exc:
                if raw.get(ot.primary_key) in (None, ""):
                    problems += exc.problems
                else:  # name every bad field, as a full validation does
                    problems += _full_problems(ot, raw, index) or exc.problems
                continue
        before = raws.setdefault(oid, raw)
        if before is not raw:  # never mutated: a merge of the same object sent twice is new
            raws[oid] = {**before, **raw}
        indexes[oid] = index


def _full_problems(ot: ObjectType, raw: Mapping[str, Any], index: int) -> list[Problem]:
    try:
        validate_properties(ot, raw, record=index)
    except ValidationError as exc:
        return exc.problems
    return []


def _validated(ot: ObjectType, raw: dict[str, Any], index: int, exists: bool) -> dict[str, Any]:
    """Full validation; an existing object may instead be a patch of some properties."""
    try:
        return validate_properties(ot, raw, record=index)
    except ValidationError:
        if not exists:
            raise
    return validate_properties(ot, raw, partial=True, record=index)


def _plan_type(
    plan: ObjectPlan,
    problems: list[Problem],
    group: _Group,
    fetch: FetchRows,
    now: dt.datetime,
) -> None:
    """Plan the objects of one type in three lookups at most.

    First only the stored input hashes are read: a re-load of unchanged input
    stops there. Then only the columns the remaining records send are read back:
    an object whose sent values equal the stored ones is unchanged without
    hashing anything. Only objects that really changed are read in full, merged
    and hashed.
    """
    ot, pending = group.ot, group.raws
    ids, raws = list(pending), list(pending.values())
    hashed = hash_inputs(ot.name, raws)
    known = fetch(ot, ids, ("sys_input_hash",))
    if not known and _plan_all_new(plan, ot, ids, raws, hashed, now):
        return
    by_id = dict(zip(ids, hashed.inputs.to_pylist(), strict=True))
    rest = []
    for oid, digest in by_id.items():
        row = known.get(oid)
        if row is not None and digest is not None and row["sys_input_hash"] == digest:
            plan.unchanged += 1
        else:
            rest.append(oid)
    if not rest:
        return
    sent: set[str] = set()
    for oid in rest:
        sent.update(pending[oid])
    columns = ("sys_hash", *sorted(sent & set(_names(ot.name))))
    stored = fetch(ot, [oid for oid in rest if oid in known], columns)
    changed: list[tuple[str, dict[str, Any]]] = []
    for oid in rest:
        raw = pending[oid]
        try:
            row = stored.get(oid)
            props = _validated(ot, raw, group.index[oid], row is not None)
            if row is None:
                _plan_new(plan, oid, ot, raw, props, by_id[oid], now)
            elif all(row.get(k) == v for k, v in props.items()):
                plan.unchanged += 1
                _rehash(plan, ot, oid, by_id[oid])
            else:
                changed.append((oid, props))
        except ValidationError as exc:
            problems += exc.problems
    if not changed:
        return
    full = fetch(ot, [oid for oid, _ in changed], ("sys_hash", *_names(ot.name)))
    for oid, props in changed:
        before = full.get(oid, {})
        merged = {name: before.get(name) for name in _names(ot.name)}
        merged.update(props)
        digest = content_hash(ot.name, merged)
        if digest == before.get("sys_hash"):
            plan.unchanged += 1
            _rehash(plan, ot, oid, by_id[oid])
            continue
        merged.update(
            id=oid,
            sys_title=title_of(ot, merged),
            sys_hash=digest,
            sys_input_hash=by_id[oid],
            sys_updated_at=now,
        )
        plan.changed[ot.name].append(merged)
        plan.changed_ids.append(oid)


def _rehash(plan: ObjectPlan, ot: ObjectType, oid: str, digest: int | None) -> None:
    """Record the input hash of an object found unchanged the slow way (see ``rehashed``)."""
    if digest is not None:
        plan.rehashed[ot.name].append((oid, digest))


def _plan_all_new(
    plan: ObjectPlan,
    ot: ObjectType,
    ids: list[str],
    raws: list[dict[str, Any]],
    hashed: HashedInputs,
    now: dt.datetime,
) -> bool:
    """Objects none of which is stored yet (the bulk-load case), in as few passes as possible.

    Clean input goes column by column (:mod:`opencase.graph.columnar`); other
    input is validated in one pydantic call. Returns ``False`` without planning
    anything when some record is invalid: the caller's record-by-record path
    then names every problem.
    """
    columns = plan_new_columns(ot, ids, raws, hashed, now)
    if columns is not None:
        plan.new_tables[ot.name].append(columns.table)
        plan.table_ids += ids
        plan.changed_ids += ids
        return True
    rows = validate_many(ot, raws)
    if rows is None:
        return False
    hashes = hashed.inputs.to_pylist()
    for oid, raw, row, digest in zip(ids, raws, rows, hashes, strict=True):
        _plan_new(plan, oid, ot, raw, row, digest, now)
    return True


@cache
def _names(type_name: str) -> tuple[str, ...]:
    return ONTOLOGY.object_type(type_name).property_names


@cache
def _defaults(type_name: str) -> tuple[Property, ...]:
    """Properties with a declared default: a new object that omits one gets it."""
    return tuple(p for p in ONTOLOGY.object_type(type_name).properties if p.default is not None)


def _plan_new(
    plan: ObjectPlan,
    oid: str,
    ot: ObjectType,
    raw: Mapping[str, Any],
    row: dict[str, Any],
    digest: int | None,
    now: dt.datetime,
) -> None:
    for prop in _defaults(ot.name):
        if row.get(prop.name) is None and prop.name not in raw:
            row[prop.name] = prop.default
    row["sys_hash"] = content_hash(ot.name, row)
    row["sys_input_hash"] = digest
    row.update(id=oid, sys_title=title_of(ot, row), sys_created_at=now, sys_updated_at=now)
    plan.new[ot.name].append(row)
    plan.changed_ids.append(oid)
