"""Backend-neutral checks of a batch's links, done per group of links rather than per link.

A bulk load sends more links than objects (1.6 per object in the benchmark
graph), so the per-link cost decides its speed. Links are first sorted into
groups by (link type, source type, target type), read off the id prefixes; the
ontology is then consulted once per group instead of once per link, and each
group keeps its ends as two plain lists, which become the Arrow columns of a
COPY without another pass. Only links that carry properties are validated one
by one. A group that breaks a rule is re-checked link by link on the slow path,
which names every offending record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from operator import attrgetter
from typing import Any

from opencase.errors import OntologyError, Problem, ValidationError
from opencase.ontology import ONTOLOGY, LinkType, ObjectType
from opencase.ontology.validation import validate_link_properties

from .store import LinkRecord

#: (object type, ids) -> the ids that are stored.
ExistingIds = Callable[[ObjectType, list[str]], set[str]]


@dataclass
class LinkGroup:
    """Checked links of one (link type, source type, target type): parallel lists.

    ``properties`` is empty when no link of the group carries properties, else one
    dict per link. ``records`` are the input positions, for error messages.
    """

    link_type: LinkType
    source_type: ObjectType
    target_type: ObjectType
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    properties: list[dict[str, Any]] = field(default_factory=list)
    records: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sources)

    @cached_property
    def distinct_sources(self) -> frozenset[str]:
        """The sources as a set: the duplicate check, endpoint check and link writes share it."""
        return frozenset(self.sources)

    @cached_property
    def distinct_targets(self) -> frozenset[str]:
        return frozenset(self.targets)

    def rows(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(source, target, properties) per link."""
        if self.properties:
            yield from zip(self.sources, self.targets, self.properties, strict=True)
        else:
            for s, t in zip(self.sources, self.targets, strict=True):
                yield s, t, {}


_LINKS = {lt.api_name: lt for lt in ONTOLOGY.link_types}
_PREFIXES = {ot.api_name: ot for ot in ONTOLOGY.object_types}


def plan_links(
    links: Sequence[LinkRecord], batch_ids: set[str], existing_ids: ExistingIds
) -> tuple[list[LinkGroup], list[Problem]]:
    """Check link types, endpoint types, properties, endpoints and in-batch cardinality.

    The same (type, source, target) twice in a batch is one link: the later
    record's properties win.
    """
    problems: list[Problem] = []
    groups: list[LinkGroup] = []
    if not links:
        return groups, problems
    fields = _Fields.of(links)
    for api, positions in fields.by_link_type().items():
        lt = _LINKS.get(api)
        if lt is None:
            problems += [_link_problem(links[i], i) for i in positions]
            continue
        for st, tt, picked, ends in fields.by_end_types(lt, positions):
            if st is None or tt is None:
                problems += [_link_problem(links[i], i) for i in picked]
                continue
            group = fields.group(lt, st, tt, picked, ends, problems)
            if group is not None:
                groups.append(group)
    problems += _missing_endpoints(groups, batch_ids, existing_ids)
    problems += _cardinality_conflicts(groups)
    return groups, problems


#: one getter per field: mapping each over the links is C, with no tuple per link to transpose
_FIELDS = tuple(attrgetter(f) for f in ("link_type", "source_id", "target_id", "properties"))


def _pick(values: Sequence[Any], positions: list[int]) -> list[Any]:
    return list(map(values.__getitem__, positions))


def _prefix(oid: str) -> str:
    return oid.partition(":")[0]


#: a group's (sources, targets), the records' own strings in input order
_Ends = tuple[list[str], list[str]]


@dataclass
class _Fields:
    """The batch's links field by field: grouped and checked in passes of C, not link by link.

    Sorting a bulk load's links into groups one at a time (two ``partition``
    calls, a tuple and a dict append each, then a dict for duplicates and two
    lists per group) cost a large share of its planning. Here the links are
    grouped by link type in one plain loop, and each group's ends are checked
    against its declared end types with one ``str.startswith`` pass per side;
    only a link type with several target types (or a group with a wrong end)
    splits its links by their id prefixes. The ends stay the records' own
    strings (Arrow columns decoded back to Python would cost two new strings
    per link).
    """

    types: list[Any]
    sources: list[str]
    targets: list[str]
    properties: Sequence[Mapping[str, Any]]
    with_properties: set[int]  # positions of the links that carry any

    @classmethod
    def of(cls, links: Sequence[LinkRecord]) -> _Fields:
        types, sources, targets, properties = (list(map(get, links)) for get in _FIELDS)
        for name, values in (("link_type", types), ("source_id", sources), ("target_id", targets)):
            if set(map(type, values)) != {str}:
                index = next((i for i, v in enumerate(values) if not isinstance(v, str)), None)
                if index is not None:
                    raise ValidationError(
                        Problem(f"link {name} must be text, not {values[index]!r}", record=index),
                        suggestion="nothing was written; fix these and retry",
                    )
                values[:] = map(str.__str__, values)  # a str subclass: its plain text
        return cls(types, sources, targets, properties, {i for i, p in enumerate(properties) if p})

    def by_link_type(self) -> dict[str, list[int]]:
        """Input positions per link type (as spelled), in first-seen order."""
        positions: dict[str, list[int]] = defaultdict(list)
        for i, api in enumerate(self.types):
            positions[api].append(i)
        return positions

    def by_end_types(
        self, lt: LinkType, positions: list[int]
    ) -> Iterator[tuple[ObjectType | None, ObjectType | None, list[int], _Ends]]:
        """The link type's links by (source type, target type) read off the id prefixes,
        with their (sources, targets).

        ``None`` for a side whose prefix is no object type or not one the link
        type allows: those links are problems.
        """
        st = ONTOLOGY.object_type(lt.source)
        sources, targets = _pick(self.sources, positions), _pick(self.targets, positions)
        if len(lt.targets) == 1:
            tt = ONTOLOGY.object_type(lt.targets[0])
            if _all_start(sources, st) and _all_start(targets, tt):
                yield st, tt, positions, (sources, targets)
                return
        split: dict[tuple[str, str], list[int]] = defaultdict(list)
        for k, sp, tp in zip(
            range(len(positions)), map(_prefix, sources), map(_prefix, targets), strict=True
        ):
            split[sp, tp].append(k)
        for (sp, tp), ks in split.items():
            source, target = _PREFIXES.get(sp), _PREFIXES.get(tp)
            yield (
                source if source is not None and source.name == lt.source else None,
                target if target is not None and target.name in lt.targets else None,
                _pick(positions, ks),
                (_pick(sources, ks), _pick(targets, ks)),
            )

    def group(
        self,
        lt: LinkType,
        st: ObjectType,
        tt: ObjectType,
        records: list[int],
        ends: _Ends,
        problems: list[Problem],
    ) -> LinkGroup | None:
        """One group's links, de-duplicated (the last record wins), properties validated."""
        group = LinkGroup(lt, st, tt, records=records)
        group.sources, group.targets = ends
        n = len(records)
        # the common case, told cheaply: one side never repeats, so no pair does
        if len(group.distinct_targets) != n and len(group.distinct_sources) != n:
            last = dict(zip(zip(group.sources, group.targets, strict=True), records, strict=True))
            if len(last) != n:  # the same link twice: one link, the last record's
                group = LinkGroup(lt, st, tt, records=list(last.values()))
                group.sources = [s for s, _ in last]
                group.targets = [t for _, t in last]
        properties = self.properties
        if not self.with_properties.isdisjoint(group.records):
            before = len(problems)
            for i in group.records:
                props = properties[i]
                try:
                    group.properties.append(
                        validate_link_properties(lt.api_name, props, record=i) if props else {}
                    )
                except ValidationError as exc:
                    problems += exc.problems
            if len(problems) > before:
                return None
        return group


def _all_start(ids: list[str], ot: ObjectType) -> bool:
    """Every id is one of ``ot`` (its API name, then a colon)."""
    return all(map(str.startswith, ids, repeat(f"{ot.api_name}:")))


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
    groups: Sequence[LinkGroup], batch_ids: set[str], existing_ids: ExistingIds
) -> list[Problem]:
    """Ends that are neither in the batch nor stored: one lookup per object type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for g in groups:
        wanted[g.source_type.name] |= g.distinct_sources - batch_ids
        wanted[g.target_type.name] |= g.distinct_targets - batch_ids
    missing: set[str] = set()
    for type_name, ids in wanted.items():
        if ids:
            found = existing_ids(ONTOLOGY.object_type(type_name), sorted(ids))
            missing |= ids - found
    if not missing:
        return []
    problems = []
    for g in groups:
        for s, t, index in zip(g.sources, g.targets, g.records, strict=True):
            for side, oid in (("source", s), ("target", t)):
                if oid in missing:
                    problems.append(
                        Problem(
                            f"link {g.link_type.api_name} {s} -> {t}: the {side} {oid} "
                            "does not exist",
                            record=index,
                        )
                    )
    return problems


def _cardinality_conflicts(groups: Sequence[LinkGroup]) -> list[Problem]:
    """Two links in one batch that a single-valued side cannot both hold.

    A link type's groups (one per target type) are checked together: a source
    with one target of each of two target types breaks "one target" as well.
    """
    by_type: dict[str, list[LinkGroup]] = defaultdict(list)
    for g in groups:
        card = g.link_type.cardinality
        if card.source_max_targets_one or card.target_max_sources_one:
            by_type[g.link_type.api_name].append(g)
    problems: list[Problem] = []
    for api, same_type in by_type.items():
        card = same_type[0].link_type.cardinality
        for single, side in (
            (card.source_max_targets_one, "from"),
            (card.target_max_sources_one, "to"),
        ):
            if not single:
                continue
            anchors = [a for g in same_type for a in (g.sources if side == "from" else g.targets)]
            if len(set(anchors)) != len(anchors):  # only then look at who conflicts
                problems += _conflicts(api, side, same_type)
    return problems


def _conflicts(api: str, side: str, groups: Sequence[LinkGroup]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for g in groups:
        ends = zip(g.sources, g.targets, g.records, strict=True)
        for s, t, index in ends:
            anchor, other = (s, t) if side == "from" else (t, s)
            before = seen.setdefault(anchor, other)
            if before != other:
                problems.append(
                    Problem(
                        f"link {api}: {anchor} can have only one "
                        f"{'target' if side == 'from' else 'source'} "
                        f"({g.link_type.cardinality.value}), the batch gives {before} and {other}",
                        record=index,
                    )
                )
    return problems
