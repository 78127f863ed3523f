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
from typing import Any, NamedTuple

import pydantic

from opencase.errors import OntologyError, Problem, ValidationError
from opencase.ontology import ONTOLOGY, LinkType, ObjectType, Property
from opencase.ontology.validation import (
    property_validator,
    title_of,
    validate_link_properties,
    validate_properties,
)

from .columns import content_hash
from .store import LinkRecord, ObjectRecord

#: (object type, ids, columns) -> {id: {column: value}} for the ids that exist.
FetchRows = Callable[[ObjectType, list[str], Sequence[str]], dict[str, dict[str, Any]]]


@dataclass
class ObjectPlan:
    """Rows to create and rows to rewrite, per object type name (full declared columns)."""

    new: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    unchanged: int = 0
    ids: set[str] = field(default_factory=set)
    changed_ids: list[str] = field(default_factory=list)


class PlannedLink(NamedTuple):
    """One checked link (a tuple: a bulk load builds hundreds of thousands)."""

    link_type: LinkType
    source_type: ObjectType
    target_type: ObjectType
    source: str
    target: str
    properties: dict[str, Any]


def _ontology_problem(exc: OntologyError, **where: Any) -> Problem:
    return Problem(exc.message, **where)


def _primary_key(ot: ObjectType, raw: Mapping[str, Any], index: int) -> str:
    """The record's key coerced as full validation would (which strips text), cheaply."""
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
    for index, rec in enumerate(records):
        try:
            ot = ONTOLOGY.object_type(rec.object_type)
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
            pending[oid] = _Pending(ot, dict(raw), index)
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


def input_hash(type_name: str, raw: Mapping[str, Any]) -> str | None:
    """Hash of one raw input, or ``None`` when its values have no stable text form.

    Upsert is a merge and merging is idempotent, so re-sending the input of an
    object's last write changes nothing; the type's fingerprint is mixed in so an
    input written under an older declaration is validated again. A value whose
    ``repr`` is not a literal (e.g. ``<object at 0x...>``) could collide, so such
    inputs get no hash and always take the full path.
    """
    text = repr(sorted(raw.items()))
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
    hashes = {oid: input_hash(ot.name, pending[oid].raw) for oid in ids}
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


def plan_links(
    links: Sequence[LinkRecord],
    batch_ids: set[str],
    existing_ids: Callable[[ObjectType, list[str]], set[str]],
) -> tuple[list[PlannedLink], list[Problem]]:
    """Check link types, endpoint types, properties, endpoints and in-batch cardinality."""
    problems: list[Problem] = []
    planned: dict[tuple[str, str, str], tuple[PlannedLink, int]] = {}
    prefixes = {ot.api_name: ot for ot in ONTOLOGY.object_types}
    for index, lk in enumerate(links):
        lt = _LINKS.get(lk.link_type)
        st = prefixes.get(lk.source_id.partition(":")[0])
        tt = prefixes.get(lk.target_id.partition(":")[0])
        if (
            lt is None
            or st is None
            or tt is None
            or st.name != lt.source
            or (tt.name not in lt.targets)
        ):
            problems.append(_link_problem(lk, index))
            continue
        props: dict[str, Any] = {}
        if lk.properties:
            try:
                props = validate_link_properties(lt.api_name, lk.properties, record=index)
            except ValidationError as exc:
                problems += exc.problems
                continue
        link = PlannedLink(lt, st, tt, lk.source_id, lk.target_id, props)
        planned[(lt.api_name, lk.source_id, lk.target_id)] = (link, index)
    problems += _missing_endpoints(planned, batch_ids, existing_ids)
    problems += _cardinality_conflicts(planned)
    return [link for link, _ in planned.values()], problems


_LINKS = {lt.api_name: lt for lt in ONTOLOGY.link_types}


def _link_problem(lk: LinkRecord, index: int) -> Problem:
    """Why a link's type or endpoints do not fit the ontology (the slow, explaining path)."""
    where = f"link {lk.link_type} {lk.source_id} -> {lk.target_id}"
    try:
        lt = ONTOLOGY.link_type(lk.link_type)
        st = ONTOLOGY.type_of_id(lk.source_id)
        tt = ONTOLOGY.type_of_id(lk.target_id)
    except OntologyError as exc:
        return Problem(f"{where}: {exc.message}", record=index)
    if st.name != lt.source:
        return Problem(f"{where}: the source must be a {lt.source}, not a {st.name}", record=index)
    allowed = " or ".join(lt.targets)
    return Problem(f"{where}: the target must be a {allowed}, not a {tt.name}", record=index)


def _missing_endpoints(
    planned: Mapping[tuple[str, str, str], tuple[PlannedLink, int]],
    batch_ids: set[str],
    existing_ids: Callable[[ObjectType, list[str]], set[str]],
) -> list[Problem]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for link, _ in planned.values():
        for oid, ot in ((link.source, link.source_type), (link.target, link.target_type)):
            if oid not in batch_ids:
                wanted[ot.name].add(oid)
    found: set[str] = set()
    for type_name, ids in wanted.items():
        found |= existing_ids(ONTOLOGY.object_type(type_name), sorted(ids))
    problems = []
    for link, index in planned.values():
        for side, oid in (("source", link.source), ("target", link.target)):
            if oid not in batch_ids and oid not in found:
                problems.append(
                    Problem(
                        f"link {link.link_type.api_name} {link.source} -> {link.target}: "
                        f"the {side} {oid} does not exist",
                        record=index,
                    )
                )
    return problems


def _cardinality_conflicts(
    planned: Mapping[tuple[str, str, str], tuple[PlannedLink, int]],
) -> list[Problem]:
    """Two links in one batch that a single-valued side cannot both hold."""
    problems = []
    seen: dict[tuple[str, str, str], str] = {}
    sides: dict[str, tuple[bool, bool]] = {}
    for link, index in planned.values():
        api = link.link_type.api_name
        single = sides.get(api)
        if single is None:
            card = link.link_type.cardinality
            single = sides[api] = (card.source_max_targets_one, card.target_max_sources_one)
        if not (single[0] or single[1]):
            continue
        keys = []
        if single[0]:
            keys.append(("from", link.source, link.target))
        if single[1]:
            keys.append(("to", link.target, link.source))
        for side, anchor, other in keys:
            key = (link.link_type.api_name, side, anchor)
            if key in seen and seen[key] != other:
                problems.append(
                    Problem(
                        f"link {link.link_type.api_name}: {anchor} can have only one "
                        f"{'target' if side == 'from' else 'source'} "
                        f"({link.link_type.cardinality.value}), the batch gives "
                        f"{seen[key]} and {other}",
                        record=index,
                    )
                )
            seen.setdefault(key, other)
    return problems
