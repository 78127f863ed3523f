"""Apply validated links to Ladybug: look up what exists, COPY what is new.

A link whose two ends were created by the running bulk upsert cannot exist yet
unless that upsert wrote it, which the :class:`Session` remembers: a fresh load
then COPYs its links without a single lookup. Single-valued sides (see the
link type's cardinality) replace the stored link ("latest wins").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from opencase.ontology import ONTOLOGY, LinkType, ObjectType, Property
from opencase.queries.dialect import ident

from .columns import ARROW_TYPES, to_storage
from .ladybug_conn import LadybugConnection
from .ladybug_write import id_table
from .planning import PlannedLink
from .store import LinkKey, WriteResult


def _link_groups(
    links: Sequence[PlannedLink],
) -> dict[tuple[str, str, str], list[PlannedLink]]:
    groups: dict[tuple[str, str, str], list[PlannedLink]] = defaultdict(list)
    for link in links:
        groups[(link.link_type.api_name, link.source_type.name, link.target_type.name)].append(link)
    return groups


def _stored_links(
    conn: LadybugConnection, lt: LinkType, by_target: bool, anchors: list[str], anchor_type: str
) -> list[dict[str, Any]]:
    """Links of type ``lt`` touching ``anchors`` (sources, or targets when ``by_target``).

    OPTIONAL MATCH from the looked-up anchors: see :mod:`opencase.queries.traversal`
    for why a plain MATCH would scan the whole table here.
    """
    if not anchors:
        return []
    rel = ident(lt.rel_type)
    node = f"{ident(anchor_type)} {{id: i}}"
    if by_target:
        query = f"LOAD FROM $ids MATCH (b:{node}) OPTIONAL MATCH (a)-[e:{rel}]->(b)"
    else:
        query = f"LOAD FROM $ids MATCH (a:{node}) OPTIONAL MATCH (a)-[e:{rel}]->(b)"
    props = "".join(f", e.{ident(p.name)} AS {ident(p.name)}" for p in lt.properties)
    query += f" RETURN a.id AS s, b.id AS t, label(b) AS tt{props}"
    table = conn.arrow(query, {"ids": id_table(anchors)})
    names = table.column_names
    columns = [table.column(n).to_pylist() for n in names]
    return [  # column-wise: to_pylist() of the whole table builds a dict per cell
        dict(zip(names, row, strict=True))
        for row in zip(*columns, strict=True)
        if row[0] is not None and row[1] is not None
    ]


@dataclass
class Session:
    """What one bulk upsert already wrote, so later batches skip lookups that cannot match.

    ``fresh`` ids were created by this session (or this batch): a link touching one
    can only exist if this session wrote it, which ``links`` and ``anchors``
    (hashes of link keys and of single-valued link ends) remember.
    """

    fresh: set[str] = field(default_factory=set)
    known: set[str] = field(default_factory=set)
    links: set[int] = field(default_factory=set)
    anchors: set[int] = field(default_factory=set)
    #: bulk sessions only: tables that were empty when the session first touched
    #: them, so an id there exists only if the session wrote it (no lookup needed)
    bulk: bool = False
    empty: dict[str, bool] = field(default_factory=dict)

    def lookup_needed(self, conn: LadybugConnection, ot: ObjectType, ids: list[str]) -> list[str]:
        """The ids whose existence only the store can tell."""
        if not self.bulk:
            return ids
        if ot.name not in self.empty:
            query = f"MATCH (n:{ident(ot.name)}) RETURN n.id LIMIT 1"
            self.empty[ot.name] = not conn.rows(query)
        if self.empty[ot.name]:
            return [i for i in ids if i in self.known]
        return ids

    def may_exist(self, lk: PlannedLink) -> bool:
        if lk.source not in self.fresh and lk.target not in self.fresh:
            return True
        return hash((lk.link_type.api_name, lk.source, lk.target)) in self.links

    def may_have_links(self, api: str, side: str, anchor: str) -> bool:
        return anchor not in self.fresh or hash((api, side, anchor)) in self.anchors

    def remember(self, lk: PlannedLink) -> None:
        """Only what a later check consults: both checks read the sets for fresh ends only."""
        source_fresh, target_fresh = lk.source in self.fresh, lk.target in self.fresh
        if not (source_fresh or target_fresh):
            return
        api = lk.link_type.api_name
        self.links.add(hash((api, lk.source, lk.target)))
        if source_fresh:
            self.anchors.add(hash((api, "from", lk.source)))
        if target_fresh:
            self.anchors.add(hash((api, "to", lk.target)))


def apply_links(
    conn: LadybugConnection,
    links: Sequence[PlannedLink],
    session: Session,
    result: WriteResult,
) -> None:
    """Create missing links, update changed properties, replace on single-valued sides."""
    for (api, source_type, target_type), group in _link_groups(links).items():
        lt = ONTOLOGY.link_type(api)
        card = lt.cardinality
        by_source: set[str] = set()
        by_target: set[str] = set()
        one_target, one_source = card.source_max_targets_one, card.target_max_sources_one
        for lk in group:
            if one_target and session.may_have_links(api, "from", lk.source):
                by_source.add(lk.source)
            if one_source and session.may_have_links(api, "to", lk.target):
                by_target.add(lk.target)
            if session.may_exist(lk) and lk.source not in by_source and lk.target not in by_target:
                (by_target if one_source else by_source).add(lk.target if one_source else lk.source)
        stored = _stored_links(conn, lt, False, sorted(by_source), source_type)
        stored += _stored_links(conn, lt, True, sorted(by_target), target_type)
        have = {(r["s"], r["t"]): r for r in stored}
        create, update = [], []
        for lk in group:
            row = have.get((lk.source, lk.target))
            if row is None:
                create.append(lk)
            elif any(row.get(k) != to_storage(_lprop(lt, k), v) for k, v in lk.properties.items()):
                update.append(lk)
            else:
                result.links_unchanged += 1
        wanted = {(lk.source, lk.target) for lk in group}
        singles = {lk.source for lk in group} if card.source_max_targets_one else set()
        singlet = {lk.target for lk in group} if card.target_max_sources_one else set()
        drop = sorted(
            {
                (s, t, row["tt"])
                for (s, t), row in have.items()
                if (s, t) not in wanted and (s in singles or t in singlet)
            }
        )
        _delete_links(conn, lt, source_type, drop)
        _create_links(conn, lt, source_type, target_type, create)
        _update_links(conn, lt, source_type, target_type, update)
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


def _link_table(lt: LinkType, links: Sequence[PlannedLink], names: Sequence[str]) -> pa.Table:
    arrays = [
        pa.array([lk.source for lk in links], pa.string()),
        pa.array([lk.target for lk in links], pa.string()),
    ]
    for p in lt.properties:
        values = [to_storage(p, lk.properties.get(p.name)) for lk in links]
        arrays.append(pa.array(values, ARROW_TYPES[p.type]))
    return pa.Table.from_arrays(arrays, names=list(names))


def _create_links(
    conn: LadybugConnection, lt: LinkType, st: str, tt: str, links: list[PlannedLink]
) -> None:
    if not links:
        return
    names = ["from", "to", *(p.name for p in lt.properties)]
    table = _link_table(lt, links, names)
    conn.execute(f"COPY {ident(lt.rel_type)} FROM $rows (from='{st}', to='{tt}')", {"rows": table})


def _update_links(
    conn: LadybugConnection, lt: LinkType, st: str, tt: str, links: list[PlannedLink]
) -> None:
    if not links or not lt.properties:
        return
    names = ["c0", "c1", *(f"c{i + 2}" for i in range(len(lt.properties)))]
    sets = ", ".join(
        f"e.{ident(p.name)} = c{i + 2}"
        for i, p in enumerate(lt.properties)
        if any(p.name in lk.properties for lk in links)
    )
    conn.execute(
        f"LOAD FROM $rows MATCH (a:{ident(st)} {{id: c0}}) "
        f"MATCH (a)-[e:{ident(lt.rel_type)}]->(b:{ident(tt)} {{id: c1}}) SET {sets}",
        {"rows": _link_table(lt, links, names)},
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
