"""Apply validated links to Ladybug: look up what exists, COPY what is new.

A link whose two ends were created by the running bulk upsert cannot exist yet
unless that upsert wrote it, which the :class:`Session` remembers: a fresh load
then COPYs its links without a single lookup. Single-valued sides (see the
link type's cardinality) replace the stored link ("latest wins").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from opencase.ontology import ONTOLOGY, LinkType, ObjectType, Property
from opencase.queries.dialect import ident

from . import ladybug_small
from .columns import ARROW_TYPES, to_storage
from .ladybug_conn import LadybugConnection
from .link_planning import LinkGroup
from .small import is_small
from .store import LinkKey, WriteResult


@dataclass
class Stored:
    """Stored links as columns: sources, targets, target types, and property columns."""

    s: list[str] = field(default_factory=list)
    t: list[str] = field(default_factory=list)
    tt: list[str] = field(default_factory=list)
    props: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, table: pa.Table, target_type: str | None, keep: Any = None) -> None:
        """Rows of ``table`` (``s``, ``t``, ``tt`` unless ``target_type``, properties).

        ``keep(s, t)`` filters rows; rows without a link (OPTIONAL MATCH) are skipped.
        """
        columns = {n: table.column(n).to_pylist() for n in table.column_names}
        s, t = columns.pop("s"), columns.pop("t")
        tt = columns.pop("tt") if target_type is None else [target_type] * len(s)
        rows = range(len(s))
        if keep is not None or None in t:
            rows = [i for i in rows if t[i] is not None and (keep is None or keep(s[i], t[i]))]
            s, t, tt = [s[i] for i in rows], [t[i] for i in rows], [tt[i] for i in rows]
            columns = {n: [v[i] for i in rows] for n, v in columns.items()}
        self.s += s
        self.t += t
        self.tt += tt
        for name, values in columns.items():
            self.props.setdefault(name, []).extend(values)


def _stored_links(
    conn: LadybugConnection,
    lt: LinkType,
    by_target: bool,
    anchors: list[str],
    anchor_type: str,
    stored: Stored,
) -> None:
    """Links of type ``lt`` touching ``anchors`` (sources, or targets when ``by_target``).

    OPTIONAL MATCH from the looked-up anchors: see :mod:`opencase.queries.traversal`
    for why a plain MATCH would scan the whole table here.
    """
    if not anchors:
        return
    rel = ident(lt.rel_type)
    node = f"{ident(anchor_type)} {{id: i}}"
    source, param = ladybug_small.ids_source(anchors)
    if by_target:
        query = f"{source} MATCH (b:{node}) OPTIONAL MATCH (a)-[e:{rel}]->(b)"
    else:
        query = f"{source} MATCH (a:{node}) OPTIONAL MATCH (a)-[e:{rel}]->(b)"
    props = "".join(f", e.{ident(p.name)} AS {ident(p.name)}" for p in lt.properties)
    query += f" RETURN a.id AS s, b.id AS t, label(b) AS tt{props}"
    stored.add(conn.arrow(query, {"ids": param}), None)


#: Reading a link by an indexed anchor costs a few times more than scanning one
#: row of a typed relationship table (see bench/). Past this many stored links
#: per anchor, the lookups are cheaper.
_SCAN_ROWS_PER_ANCHOR = 4


def _target_types(group: LinkGroup) -> list[str]:
    """Target types whose stored links matter: all of them when a source keeps one target."""
    if group.link_type.cardinality.source_max_targets_one:
        return list(group.link_type.targets)
    return [group.target_type.name]


def _scan_is_cheaper(conn: LadybugConnection, group: LinkGroup, anchors: int) -> bool:
    """A re-load asks for most stored links: one scan then beats an index lookup each.

    A small write looks its few anchors up without counting the stored links first.
    """
    if is_small(anchors):
        return False
    rel, st = ident(group.link_type.rel_type), ident(group.source_type.name)
    stored = 0
    for target in _target_types(group):
        query = f"MATCH (a:{st})-[e:{rel}]->(b:{ident(target)}) RETURN count(*)"
        stored += conn.rows(query)[0][0]
    return stored <= anchors * _SCAN_ROWS_PER_ANCHOR


def _scanned_links(
    conn: LadybugConnection,
    group: LinkGroup,
    by_source: set[str],
    by_target: set[str],
    stored: Stored,
) -> None:
    """As :func:`_stored_links` for both anchor sets, by scanning the typed tables."""
    lt = group.link_type
    rel, st = ident(lt.rel_type), ident(group.source_type.name)
    props = "".join(f", e.{ident(p.name)} AS {ident(p.name)}" for p in lt.properties)
    for target in _target_types(group):
        table = conn.arrow(
            f"MATCH (a:{st})-[e:{rel}]->(b:{ident(target)}) RETURN a.id AS s, b.id AS t{props}"
        )
        stored.add(table, target, lambda s, t: s in by_source or t in by_target)


@dataclass
class Session:
    """What one bulk upsert already wrote, so later batches skip lookups that cannot match.

    ``fresh`` ids were created by this session: a link touching one can only
    exist if this session wrote it, and then both its ends are in the session's
    ``wrote_from``/``wrote_to`` sets for that link type. The sets hold plain ids
    (filled with one C-level ``set.update`` per group): hashing a key per link
    cost more than the lookups it saved.
    """

    fresh: set[str] = field(default_factory=set)
    known: set[str] = field(default_factory=set)
    wrote_from: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    wrote_to: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: bulk sessions only: tables that were empty when the session first touched
    #: them, so an id there exists only if the session wrote it (no lookup needed)
    bulk: bool = False
    empty: dict[str, bool] = field(default_factory=dict)

    def note_empty(self, conn: LadybugConnection, type_names: Iterable[str]) -> None:
        """Ask now which tables are empty, before this session queues writes to them.

        Asked later, the question would wait for the COPYs queued before it,
        and see their rows.
        """
        if not self.bulk:
            return
        for name in type_names:
            if name not in self.empty:
                query = f"MATCH (n:{ident(name)}) RETURN n.id LIMIT 1"
                self.empty[name] = not conn.rows(query)

    def lookup_needed(self, conn: LadybugConnection, ot: ObjectType, ids: list[str]) -> list[str]:
        """The ids whose existence only the store can tell."""
        if not self.bulk:
            return ids
        if ot.name not in self.empty:
            self.note_empty(conn, [ot.name])
        if self.empty[ot.name]:
            return [i for i in ids if i in self.known]
        return ids

    def anchors_to_look_up(self, group: LinkGroup) -> tuple[set[str], set[str]]:
        """(sources, targets) whose stored links of this type must be read first.

        A single-valued side needs every anchor that may already have a link (to
        replace it); otherwise only links that may exist are looked up, by the
        side that keeps the lookup small.
        """
        api = group.link_type.api_name
        card = group.link_type.cardinality
        fresh, wrote_from, wrote_to = self.fresh, self.wrote_from[api], self.wrote_to[api]
        by_source: set[str] = set()
        by_target: set[str] = set()
        # The bulk-load case first, with C-level set operations: every source (or
        # every target) is fresh and has no link of this type yet, so no link of the
        # group can exist, and that side needs no anchors either.
        sources, targets = group.distinct_sources, group.distinct_targets
        quiet_sources = sources <= fresh and sources.isdisjoint(wrote_from)
        quiet_targets = targets <= fresh and targets.isdisjoint(wrote_to)
        if (quiet_sources and (quiet_targets or not card.target_max_sources_one)) or (
            quiet_targets and not card.source_max_targets_one
        ):
            return by_source, by_target
        if card.source_max_targets_one:
            by_source = {s for s in sources if s not in fresh or s in wrote_from}
        if card.target_max_sources_one:
            by_target = {t for t in targets if t not in fresh or t in wrote_to}
        by_target_side = card.target_max_sources_one
        for s, t in zip(group.sources, group.targets, strict=True):
            if s in by_source or t in by_target:
                continue
            if (s not in fresh and t not in fresh) or (s in wrote_from and t in wrote_to):
                if by_target_side:
                    by_target.add(t)
                else:
                    by_source.add(s)
        return by_source, by_target

    def remember(self, group: LinkGroup) -> None:
        api = group.link_type.api_name
        self.wrote_from[api].update(group.sources)
        self.wrote_to[api].update(group.targets)


def apply_links(
    conn: LadybugConnection,
    groups: Sequence[LinkGroup],
    session: Session,
    result: WriteResult,
) -> None:
    """Create missing links, update changed properties, replace on single-valued sides.

    The session remembers each group as soon as it is applied: a failure rolls
    the whole transaction back, and the session with it is then discarded.
    """
    for group in groups:
        by_source, by_target = session.anchors_to_look_up(group)
        if not by_source and not by_target:  # nothing stored can match: a plain COPY
            rows = list(group.rows()) if group.properties else None
            _create_links(conn, group, rows)
            result.links_created += len(group)
        else:
            _merge_links(conn, group, by_source, by_target, result)
        session.remember(group)


def _merge_links(
    conn: LadybugConnection,
    group: LinkGroup,
    by_source: set[str],
    by_target: set[str],
    result: WriteResult,
) -> None:
    lt, card = group.link_type, group.link_type.cardinality
    st, tt = group.source_type.name, group.target_type.name
    stored = Stored()
    if _scan_is_cheaper(conn, group, len(by_source) + len(by_target)):
        _scanned_links(conn, group, by_source, by_target, stored)
    else:
        _stored_links(conn, lt, False, sorted(by_source), st, stored)
        _stored_links(conn, lt, True, sorted(by_target), tt, stored)
    have = set(zip(stored.s, stored.t, strict=True))
    create, update = [], []
    if not lt.properties:
        create = [
            (s, t, {})
            for s, t in zip(group.sources, group.targets, strict=True)
            if (s, t) not in have
        ]
        result.links_unchanged += len(group) - len(create)
    else:
        names = list(stored.props)
        values = dict(
            zip(
                zip(stored.s, stored.t, strict=True),
                zip(*stored.props.values(), strict=True),
                strict=True,
            )
        )
        for s, t, props in group.rows():
            row = values.get((s, t))
            if row is None:
                create.append((s, t, props))
                continue
            old = dict(zip(names, row, strict=True))
            if any(old.get(k) != to_storage(_lprop(lt, k), v) for k, v in props.items()):
                update.append((s, t, props))
            else:
                result.links_unchanged += 1
    drop: list[tuple[str, str, str]] = []
    if card.source_max_targets_one or card.target_max_sources_one:
        wanted = set(zip(group.sources, group.targets, strict=True))
        singles = group.distinct_sources if card.source_max_targets_one else frozenset()
        singlet = group.distinct_targets if card.target_max_sources_one else frozenset()
        drop = sorted(
            {
                (s, t, t_type)
                for s, t, t_type in zip(stored.s, stored.t, stored.tt, strict=True)
                if (s, t) not in wanted and (s in singles or t in singlet)
            }
        )
    _delete_links(conn, lt, st, drop)
    _create_links(conn, group, create)
    _update_links(conn, group, update)
    result.links_created += len(create) + len(update)
    result.unlinked += len(drop)


def _lprop(lt: LinkType, name: str) -> Property:
    return next(p for p in lt.properties if p.name == name)


def _delete_links(
    conn: LadybugConnection, lt: LinkType, source_type: str, drop: list[tuple[str, str, str]]
) -> None:
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s, t, tt in drop:
        by_type[tt].append({"s": s, "t": t})
    for tt, rows in by_type.items():
        conn.execute(
            f"UNWIND $rows AS r MATCH (a:{ident(source_type)} {{id: r.s}}) "
            f"MATCH (a)-[e:{ident(lt.rel_type)}]->(b:{ident(tt)} {{id: r.t}}) DELETE e",
            {"rows": rows},
        )


Rows = list[tuple[str, str, dict[str, Any]]]


def _link_table(group: LinkGroup, rows: Rows | None, names: Sequence[str]) -> pa.Table:
    """The COPY/LOAD columns; ``rows`` ``None`` means the whole group, which has no properties."""
    if rows is None:
        sources, targets = group.sources, group.targets
        props: list[dict[str, Any]] = [{}] * len(sources)
    else:
        sources, targets = [r[0] for r in rows], [r[1] for r in rows]
        props = [r[2] for r in rows]
    arrays = [pa.array(sources, pa.string()), pa.array(targets, pa.string())]
    for p in group.link_type.properties:
        values = [to_storage(p, lp.get(p.name)) for lp in props]
        arrays.append(pa.array(values, ARROW_TYPES[p.type]))
    return pa.Table.from_arrays(arrays, names=list(names))


def _create_links(conn: LadybugConnection, group: LinkGroup, rows: Rows | None) -> None:
    if rows is not None and not rows:
        return
    lt = group.link_type
    st, tt = group.source_type.name, group.target_type.name
    if is_small(len(group) if rows is None else len(rows)):
        values = _stored_rows(group, rows)
        ladybug_small.create_links(conn, lt.rel_type, (st, tt), lt.properties, values)
        return
    names = ["from", "to", *(p.name for p in lt.properties)]
    table = _link_table(group, rows, names)
    conn.execute(f"COPY {ident(lt.rel_type)} FROM $rows (from='{st}', to='{tt}')", {"rows": table})


def _stored_rows(group: LinkGroup, rows: Rows | None) -> list[list[Any]]:
    """(source, target, *storage values) per link; ``rows`` ``None`` as in :func:`_link_table`."""
    props = group.link_type.properties
    if rows is None:  # no link of the group carries properties: all of them are null
        empty = [None] * len(props)
        return [[s, t, *empty] for s, t in zip(group.sources, group.targets, strict=True)]
    return [[s, t, *(to_storage(p, lp.get(p.name)) for p in props)] for s, t, lp in rows]


def _update_links(conn: LadybugConnection, group: LinkGroup, rows: Rows) -> None:
    lt = group.link_type
    if not rows or not lt.properties:
        return
    if is_small(len(rows)):
        ends = (group.source_type.name, group.target_type.name)
        given = [p for p in lt.properties if any(p.name in props for _, _, props in rows)]
        values = [[s, t, *(to_storage(p, lp.get(p.name)) for p in given)] for s, t, lp in rows]
        ladybug_small.set_links(conn, lt.rel_type, ends, given, values)
        return
    names = ["c0", "c1", *(f"c{i + 2}" for i in range(len(lt.properties)))]
    sets = ", ".join(
        f"e.{ident(p.name)} = c{i + 2}"
        for i, p in enumerate(lt.properties)
        if any(p.name in props for _, _, props in rows)
    )
    st, tt = ident(group.source_type.name), ident(group.target_type.name)
    conn.execute(
        f"LOAD FROM $rows MATCH (a:{st} {{id: c0}}) "
        f"MATCH (a)-[e:{ident(lt.rel_type)}]->(b:{tt} {{id: c1}}) SET {sets}",
        {"rows": _link_table(group, rows, names)},
    )


def apply_unlinks(conn: LadybugConnection, keys: Sequence[LinkKey]) -> int:
    removed = 0
    for key in keys:
        lt = ONTOLOGY.link_type(key.link_type)
        st, tt = ONTOLOGY.type_of_id(key.source_id), ONTOLOGY.type_of_id(key.target_id)
        match = (
            f"MATCH (a:{ident(st.name)} {{id: $s}}) "
            f"MATCH (a)-[e:{ident(lt.rel_type)}]->(b:{ident(tt.name)} {{id: $t}})"
        )
        params = {"s": key.source_id, "t": key.target_id}
        found = conn.rows(f"{match} RETURN count(e)", params)[0][0]
        if found:
            conn.execute(f"{match} DELETE e", params)
            removed += found
    return removed
