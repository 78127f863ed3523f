"""Backend-neutral validation of a write: what is new, what changed, what is unchanged.

Both backends run the same planning so validation, merge semantics, hashing and
link checks cannot drift; a backend only supplies two lookups (stored hashes and
properties by id, and which ids exist) and then applies the plan in its own
transaction. Everything is checked before anything is written: a plan with
problems raises one :class:`ValidationError` listing them all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter, is_not, itemgetter
from typing import Any

import pyarrow as pa

from opencase.errors import OntologyError, Problem, ValidationError
from opencase.ontology import ONTOLOGY, ObjectType, Property
from opencase.ontology.validation import title_of, validator

from .canonical import batch_hashes, content_hash, input_hash
from .columnar import new_objects_table
from .small import is_small
from .store import ObjectRecord

#: (object type, ids, columns) -> {id: {column: value}} for the ids that exist.
FetchRows = Callable[[ObjectType, list[str], Sequence[str]], dict[str, dict[str, Any]]]


@dataclass
class ObjectPlan:
    """Rows to create and rows to rewrite, per object type name (full declared columns)."""

    def created(self) -> int:
        return (
            sum(len(r) for r in self.new.values())
            + sum(t.num_rows for ts in self.new_tables.values() for t in ts)
            + self.handed_over
        )

    def take_tables(self, type_name: str) -> list[pa.Table]:
        """The type's new-object tables, no longer held by the plan.

        A bulk batch's tables are the largest thing it holds: once the writer
        has taken them nothing else reads them, so each is freed as its COPY
        ends rather than when the batch does.
        """
        tables = self.new_tables.pop(type_name, [])
        self.handed_over += sum(t.num_rows for t in tables)
        return tables

    def new_ids(self) -> set[str]:
        ids = {row["id"] for rows in self.new.values() for row in rows}
        ids.update(self.table_ids)
        return ids

    new: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    #: new objects of a type none of which was stored: COPY-ready tables, every node column
    new_tables: dict[str, list[pa.Table]] = field(default_factory=lambda: defaultdict(list))
    table_ids: list[str] = field(default_factory=list)
    #: rows of ``new_tables`` a backend took out to write (see ``take_tables``)
    handed_over: int = 0
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
    """The record's key as the type's validator reads it (which strips text).

    The common case (text with nothing to strip, which validation returns
    as it is) never gets here: :func:`_add_each` and :func:`_add_run` take it.
    """
    value = raw.get(ot.primary_key)
    missing = Problem(f"{ot.name}: the primary key is missing", field=ot.primary_key, record=index)
    if value is None or value == "":
        raise ValidationError(missing)
    key = validator(ot.name).patch({ot.primary_key: value}, record=index).get(ot.primary_key)
    if key is None or key == "":
        raise ValidationError(missing)
    return str(key)


@dataclass
class _Group:
    """The batch's objects of one type: raw (merged) inputs, validated only when they must be.

    Parallel lists, one entry per distinct id, in order of first appearance:
    a bulk load's clean records go straight in as lists (see :func:`_add_run`),
    and only planning that must look objects up by id makes dicts of them.
    """

    ot: ObjectType
    ids: list[str] = field(default_factory=list)
    raws: list[dict[str, Any]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # record numbers, for problems
    key_name: str = field(init=False)
    prefix: str = field(init=False)  # of every global id of the type

    def __post_init__(self) -> None:
        self.key_name = self.ot.primary_key
        self.prefix = f"{self.ot.api_name}:"


def plan_objects(
    records: Sequence[ObjectRecord],
    fetch: FetchRows,
    now: dt.datetime,
) -> tuple[ObjectPlan, list[Problem]]:
    """Validate and merge ``records`` against what is stored; duplicates merge in order.

    Records are grouped by type and id (the primary key read as validation
    reads it), merged, and each type's records validated in one call of its
    :class:`~opencase.ontology.validation.ObjectValidator`; a record of a
    stored object that is not whole is validated as a patch. A record whose
    validated input hashes to the stored ``sys_input_hash`` is unchanged and
    is not read back (see :mod:`opencase.graph.canonical`).
    """
    problems: list[Problem] = []
    groups: dict[str, _Group] = {}  # by type name
    for ot, positions in _positions_by_type(records, problems).values():
        group = groups[ot.name] = _Group(ot)
        run = [records[positions[0]]] if len(positions) == 1 else itemgetter(*positions)(records)
        if len(positions) < _RUN or not _add_run(group, run, positions):
            _add_each(group, run, positions, problems)
    plan = ObjectPlan(ids=set().union(*(g.ids for g in groups.values())))
    for group in groups.values():
        _plan_type(plan, problems, group, fetch, now)
    return plan, problems


_HASH = ("sys_input_hash",)

#: A type with at least this many records is first tried whole (see :func:`_add_run`).
_RUN = 64
_SPELLING = attrgetter("object_type")
_PROPERTIES = attrgetter("properties")


def _positions_by_type(
    records: Sequence[ObjectRecord], problems: list[Problem]
) -> dict[str, tuple[ObjectType, list[int]]]:
    """Each type's record numbers, in order; a record of an unknown type is a problem.

    Types are first told apart by the record's spelling (name or API name; a
    batch has a few dozen), so the registry is asked once per spelling and the
    records are sorted in one plain loop: a generated or exported batch
    interleaves its types record by record (an experiment, its metrics, its
    artifacts), so runs of one type are short and handling them run by run
    cost more than the records' own checks.
    """
    by_spelling: dict[Any, list[int]] = defaultdict(list)
    for i, spelling in enumerate(map(_SPELLING, records)):
        by_spelling[spelling].append(i)
    found: dict[str, tuple[ObjectType, list[int]]] = {}  # by type name
    for spelling, positions in by_spelling.items():
        try:
            ot = ONTOLOGY.object_type(spelling)
        except OntologyError as exc:
            problems += [_ontology_problem(exc, record=i) for i in positions]
            continue
        if ot.name in found:  # two spellings of one type: back in record order, as merges go
            positions = sorted(found[ot.name][1] + positions)
        found[ot.name] = (ot, positions)
    return found


def _add_run(group: _Group, run: Sequence[ObjectRecord], positions: list[int]) -> bool:
    """Add a type's records in a few C-level passes, if nothing in them is unusual.

    Every key text with nothing to strip and no id twice: then the group's
    lists are the records' own, as they came. Otherwise nothing is added and
    ``False`` sends the records one by one (merges, key problems).
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
    if len(set(oids)) != len(oids):
        return False
    group.ids, group.raws, group.positions = oids, raws, positions
    return True


def _add_each(
    group: _Group, run: Sequence[ObjectRecord], positions: list[int], problems: list[Problem]
) -> None:
    """Add a type's records one by one (``positions`` are their record numbers), merging repeats."""
    ot, prefix, key_name = group.ot, group.prefix, group.key_name
    raws: dict[str, dict[str, Any]] = {}
    indexes: dict[str, int] = {}  # the last record of each id
    for record, index in zip(run, positions, strict=True):
        raw = record.properties
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
    group.ids, group.raws, group.positions = list(raws), list(raws.values()), list(indexes.values())


def _full_problems(ot: ObjectType, raw: Mapping[str, Any], index: int) -> list[Problem]:
    try:
        validator(ot.name).record(raw, record=index)
    except ValidationError as exc:
        return exc.problems
    return []


def _checked(
    group: _Group, known: Mapping[str, Any], problems: list[Problem]
) -> list[tuple[str, dict[str, Any]]]:
    """(id, validated properties) of the group's records, in one validator call.

    A record that is not a whole object may still patch a stored one: it is
    validated again as a patch. Every other problem is reported by record.
    """
    check = validator(group.ot.name)
    checked = check.records(group.raws)
    rows = checked.rows
    for i, found in checked.problems.items():
        position = group.positions[i]
        if group.ids[i] in known:
            try:
                rows[i] = check.patch(group.raws[i], record=position)
            except ValidationError as exc:
                problems += exc.problems
            continue
        problems += [dataclasses.replace(p, record=position) for p in found]
    return [(oid, row) for oid, row in zip(group.ids, rows, strict=True) if row is not None]


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
    and hashed. A small group (:func:`~opencase.graph.small.is_small`) is read in
    full at once: one round trip costs more than the few columns it saves.
    """
    ot = group.ot
    few = is_small(len(group.ids))  # then one read of every column serves all three steps
    known = fetch(ot, group.ids, ("sys_input_hash", "sys_hash", *_names(ot.name)) if few else _HASH)
    valid = _checked(group, known, problems)
    if not known:  # none stored yet: the bulk-load case (a small one goes as rows)
        if few:
            for oid, props in valid:
                _plan_new(plan, oid, ot, props, input_hash(ot.name, props), now)
        else:
            _plan_new_table(plan, ot, valid, now)
        return
    rest = []
    for oid, props in valid:
        digest = input_hash(ot.name, props)
        row = known.get(oid)
        if row is not None and row["sys_input_hash"] == digest:
            plan.unchanged += 1
        else:
            rest.append((oid, props, digest))
    if not rest:
        return
    sent: set[str] = set()
    for _, props, _ in rest:
        sent.update(props)
    columns = ("sys_hash", *sorted(sent & set(_names(ot.name))))
    stored = known if few else fetch(ot, [oid for oid, _, _ in rest if oid in known], columns)
    changed: list[tuple[str, dict[str, Any], int]] = []
    for oid, props, digest in rest:
        row = stored.get(oid)
        if row is None:
            _plan_new(plan, oid, ot, props, digest, now)
        elif all(row.get(k) == v for k, v in props.items()):
            plan.unchanged += 1
            plan.rehashed[ot.name].append((oid, digest))
        else:
            changed.append((oid, props, digest))
    if not changed:
        return
    full = (
        known if few else fetch(ot, [oid for oid, _, _ in changed], ("sys_hash", *_names(ot.name)))
    )
    for oid, props, digest in changed:
        before = full.get(oid, {})
        merged = {name: before.get(name) for name in _names(ot.name)}
        merged.update(props)
        content = content_hash(ot.name, merged)
        if content == before.get("sys_hash"):
            plan.unchanged += 1
            plan.rehashed[ot.name].append((oid, digest))
            continue
        merged.update(
            id=oid,
            sys_title=title_of(ot, merged),
            sys_hash=content,
            sys_input_hash=digest,
            sys_updated_at=now,
        )
        plan.changed[ot.name].append(merged)
        plan.changed_ids.append(oid)


def _with_defaults(props: dict[str, Any], defaults: tuple[Property, ...]) -> dict[str, Any]:
    """A new object's content: what was sent, and each declared default it did not send."""
    missing = {p.name: p.default for p in defaults if p.name not in props}
    return {**missing, **props} if missing else props


def _plan_new_table(
    plan: ObjectPlan, ot: ObjectType, valid: list[tuple[str, dict[str, Any]]], now: dt.datetime
) -> None:
    """Objects none of which is stored yet, as one COPY-ready table (see :mod:`.columnar`)."""
    if not valid:
        return
    ids = [oid for oid, _ in valid]
    sent = [props for _, props in valid]
    defaults = _defaults(ot.name)
    contents = [_with_defaults(p, defaults) for p in sent] if defaults else sent
    inputs, hashes = batch_hashes(ot.name, sent, contents)
    plan.new_tables[ot.name].append(new_objects_table(ot, ids, contents, inputs, hashes, now))
    plan.table_ids += ids
    plan.changed_ids += ids


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
    props: dict[str, Any],
    digest: int,
    now: dt.datetime,
) -> None:
    row = _with_defaults(props, _defaults(ot.name))
    row = {**row, "sys_hash": content_hash(ot.name, row), "sys_input_hash": digest}
    row.update(id=oid, sys_title=title_of(ot, row), sys_created_at=now, sys_updated_at=now)
    plan.new[ot.name].append(row)
    plan.changed_ids.append(oid)
