"""Backend-neutral validation of a write: what is new, what changed, what is unchanged.

Both backends run the same planning so validation, merge semantics, hashing and
link checks cannot drift; a backend only supplies two lookups (stored hashes and
properties by id, and which ids exist) and then applies the plan in its own
transaction. Everything is checked before anything is written: a plan with
problems raises one :class:`ValidationError` listing them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
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

from .columnar import plan_new_columns
from .columns import content_hash
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


def _ontology_problem(exc: OntologyError, **where: Any) -> Problem:
    return Problem(exc.message, **where)


def _primary_key(ot: ObjectType, raw: Mapping[str, Any], index: int) -> str:
    """The record's key coerced as full validation would (which strips text), cheaply."""
    value = raw.get(ot.primary_key)
    if value.__class__ is str and value and value[0] > " " and value[-1] > " ":
        return value  # already what validation would make of it (it checks the rest later)
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
class _Pending:
    """One object of the batch: its raw (merged) input, validated only when it must be."""

    ot: ObjectType
    raw: dict[str, Any]
    index: int


def plan_objects(
    records: Sequence[ObjectRecord], fetch: FetchRows, now: dt.datetime
) -> tuple[ObjectPlan, list[Problem]]:
    """Validate and merge ``records`` against what is stored; duplicates merge in order.

    Only the primary key is checked up front. A record whose input hash equals
    the stored ``sys_input_hash`` is unchanged (see :func:`input_hash`) and is
    neither validated again nor read back; every other record is validated in
    full (a partial update of an existing object as a patch).
    """
    problems: list[Problem] = []
    pending: dict[str, _Pending] = {}
    types: dict[str, ObjectType] = {}  # one registry lookup per type name, not per record
    for index, rec in enumerate(records):
        ot = types.get(rec.object_type)
        if ot is None:
            try:
                ot = types[rec.object_type] = ONTOLOGY.object_type(rec.object_type)
            except OntologyError as exc:
                problems.append(_ontology_problem(exc, record=index))
                continue
        raw = rec.properties
        try:
            oid = f"{ot.api_name}:{_primary_key(ot, raw, index)}"
        except ValidationError as exc:
            if raw.get(ot.primary_key) in (None, ""):
                problems += exc.problems
            else:  # name every bad field, as a full validation does
                problems += _full_problems(ot, raw, index) or exc.problems
            continue
        before = pending.get(oid)
        if before is not None:  # the same object twice: merge the inputs
            pending[oid] = _Pending(ot, {**before.raw, **raw}, index)
        else:
            pending[oid] = _Pending(ot, raw, index)  # never mutated: merges build new dicts
    by_type: dict[str, list[str]] = defaultdict(list)
    for oid, item in pending.items():
        by_type[item.ot.name].append(oid)
    plan = ObjectPlan(ids=set(pending))
    for type_name, ids in by_type.items():
        _plan_type(plan, problems, ONTOLOGY.object_type(type_name), ids, pending, fetch, now)
    return plan, problems


def _full_problems(ot: ObjectType, raw: Mapping[str, Any], index: int) -> list[Problem]:
    try:
        validate_properties(ot, raw, record=index)
    except ValidationError as exc:
        return exc.problems
    return []


@cache
def _fingerprint(type_name: str) -> bytes:
    """The type's declaration (properties, their enums): a change re-validates every input."""
    ot = ONTOLOGY.object_type(type_name)
    text = repr((ot, [ONTOLOGY.enum_of(p) for p in ot.properties]))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def input_text(raw: Mapping[str, Any]) -> str:
    """The text an input hash is taken of; for clean input also its content text."""
    return repr(sorted(raw.items()))


def input_hash(type_name: str, raw: Mapping[str, Any], text: str | None = None) -> str | None:
    """Hash of one raw input, or ``None`` when its values have no stable text form.

    Upsert is a merge and merging is idempotent, so re-sending the input of an
    object's last write changes nothing; the type's fingerprint is mixed in so an
    input written under an older declaration is validated again. A value whose
    ``repr`` is not a literal (e.g. ``<object at 0x...>``) could collide, so such
    inputs get no hash and always take the full path.
    """
    if text is None:
        text = input_text(raw)
    if " at 0x" in text:
        return None
    digest = hashlib.blake2b(text.encode(), digest_size=16, key=_fingerprint(type_name))
    return digest.hexdigest()


def _validated(item: _Pending, exists: bool) -> dict[str, Any]:
    """Full validation; an existing object may instead be a patch of some properties."""
    ot = item.ot
    try:
        return validate_properties(ot, item.raw, record=item.index)
    except ValidationError:
        if not exists:
            raise
    return validate_properties(ot, item.raw, partial=True, record=item.index)


def _plan_type(
    plan: ObjectPlan,
    problems: list[Problem],
    ot: ObjectType,
    ids: list[str],
    pending: dict[str, _Pending],
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
    texts = {oid: input_text(pending[oid].raw) for oid in ids}
    hashes = {oid: input_hash(ot.name, pending[oid].raw, texts[oid]) for oid in ids}
    known = fetch(ot, ids, ("sys_input_hash",))
    rest = []
    for oid in ids:
        row = known.get(oid)
        if row is not None and hashes[oid] is not None and row["sys_input_hash"] == hashes[oid]:
            plan.unchanged += 1
        else:
            rest.append(oid)
    if not rest:
        return
    if not known and _plan_all_new(plan, ot, rest, pending, hashes, texts, now):
        return
    sent: set[str] = set()
    for oid in rest:
        sent.update(pending[oid].raw)
    columns = ("sys_hash", *sorted(sent & set(_names(ot.name))))
    stored = fetch(ot, [oid for oid in rest if oid in known], columns)
    changed: list[tuple[str, dict[str, Any]]] = []
    for oid in rest:
        item = pending[oid]
        try:
            row = stored.get(oid)
            props = _validated(item, row is not None)
            if row is None:
                _plan_new(plan, oid, item, props, hashes[oid], now)
            elif all(row.get(k) == v for k, v in props.items()):
                plan.unchanged += 1
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
            continue
        merged.update(
            id=oid,
            sys_title=title_of(ot, merged),
            sys_hash=digest,
            sys_input_hash=hashes[oid],
            sys_updated_at=now,
        )
        plan.changed[ot.name].append(merged)
        plan.changed_ids.append(oid)


def _plan_all_new(
    plan: ObjectPlan,
    ot: ObjectType,
    ids: list[str],
    pending: dict[str, _Pending],
    hashes: dict[str, str | None],
    texts: dict[str, str],
    now: dt.datetime,
) -> bool:
    """Objects none of which is stored yet (the bulk-load case), in as few passes as possible.

    Clean input goes column by column (:mod:`opencase.graph.columnar`); other
    input is validated in one pydantic call. Returns ``False`` without planning
    anything when some record is invalid: the caller's record-by-record path
    then names every problem.
    """
    raws = [pending[oid].raw for oid in ids]
    columns = plan_new_columns(
        ot, ids, raws, [hashes[oid] for oid in ids], [texts[oid] for oid in ids], now
    )
    if columns is not None:
        plan.new_tables[ot.name].append(columns.table)
        plan.table_ids += ids
        plan.changed_ids += ids
        return True
    rows = validate_many(ot, raws)
    if rows is None:
        return False
    for oid, row in zip(ids, rows, strict=True):
        _plan_new(plan, oid, pending[oid], row, hashes[oid], now)
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
    item: _Pending,
    row: dict[str, Any],
    digest: str | None,
    now: dt.datetime,
) -> None:
    ot = item.ot
    for prop in _defaults(ot.name):
        if row.get(prop.name) is None and prop.name not in item.raw:
            row[prop.name] = prop.default
    row["sys_hash"] = content_hash(ot.name, row)
    row["sys_input_hash"] = digest
    row.update(id=oid, sys_title=title_of(ot, row), sys_created_at=now, sys_updated_at=now)
    plan.new[ot.name].append(row)
    plan.changed_ids.append(oid)
