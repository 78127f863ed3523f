"""An in-memory adjacency (CSR) snapshot of the embedded store, for lineage walks.

Why: a lineage walk through Cypher costs one statement per frontier type,
direction and level (about 48 at depth 4), and a walk that reaches a hub (a
tool used by thousands of runs) pulls every one of the hub's links through the
engine row by row. The same walk over integer arrays in memory costs little
whatever the hub; the snapshot costs a build of seconds on a large store and
memory for its arrays (see bench/ for both).

The snapshot holds, per node (numbered ``table base + engine offset``): its id,
title, table and whether it is alive (not soft-deleted), and its links in both
directions, each node's links sorted as the Cypher walk orders its rows (rel
type, then neighbour id, outgoing first), so that when the node budget cuts the
walk both paths keep the same nodes.

Staleness: a snapshot is only ever used under the :class:`Fingerprint` it was
built under (the database file and its WAL as the OS reports them, plus a
counter an owner of the write path can bump); any committed write changes the
files (it is appended to the WAL, which only grows until a checkpoint writes
the main file and removes the WAL), so a changed fingerprint drops the
snapshot. Size and inode catch an append or a checkpoint even where the file
clock is coarse; the write-path hook (``invalidate``) makes it independent of
the file system altogether. Inside an open
transaction the walk never uses it (uncommitted rows are visible only to
statements). Rebuilding costs seconds on a large store, so after a write the walk
goes back to Cypher and rebuilds only once those Cypher walks have cost as much
as the last build ("ski rental": never worse than twice the better choice).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from opencase.ontology import ONTOLOGY, LinkType
from opencase.queries.dialect import ident

from .ladybug_conn import LadybugConnection
from .lineage_scope import LEAF, Plan
from .store import NO_PROPERTIES, LineageColumns

_REL_TO_API = {lt.rel_type: lt.api_name for lt in ONTOLOGY.link_types}
_LINKS = {lt.rel_type: lt for lt in ONTOLOGY.link_types}

#: ``os.stat`` facts that change when a file is written: (inode, size, mtime_ns, ctime_ns).
FileFacts = tuple[int, int, int, int] | None


@dataclass(frozen=True)
class Fingerprint:
    """What a snapshot is valid for: the store's files and the owner's write counter."""

    files: tuple[FileFacts, ...]
    writes: int


def fingerprint(path: str, writes: int) -> Fingerprint | None:
    """The store's current fingerprint; None when it has no file (nothing to key a cache on)."""
    facts: list[FileFacts] = []
    for name in (path, path + ".wal", path + ".shadow"):
        try:
            st = os.stat(name)
        except OSError:
            if name == path:
                return None
            facts.append(None)
            continue
        if name == path and not os.path.isfile(name):
            return None
        facts.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return Fingerprint(tuple(facts), writes)


class Adjacency:
    """One snapshot: node facts by global number, and links in CSR form."""

    def __init__(self, conn: LadybugConnection, key: Fingerprint) -> None:
        self.key = key
        tables = {row[1]: row[0] for row in conn.rows("CALL show_tables() RETURN *")}
        node_types = sorted(ot.name for ot in ONTOLOGY.object_types if ot.name in tables)
        self.rel_names = sorted(lt.rel_type for lt in ONTOLOGY.link_types if lt.rel_type in tables)
        self.rel_api_names = [_REL_TO_API[name] for name in self.rel_names]
        self.base: dict[str, int] = {}
        self.type_names = node_types
        ids, titles, alive, kinds = [], [], [], []
        total = 0
        for kind, name in enumerate(node_types):
            t = conn.arrow(
                f"MATCH (n:{ident(name)}) RETURN offset(id(n)) AS o, n.id AS id, "
                "n.sys_title AS title, n.sys_deleted_at IS NULL AS alive"
            )
            offsets = t.column("o").to_numpy()
            size = int(offsets.max()) + 1 if len(offsets) else 0
            self.base[name] = total
            # Offsets can have holes (hard deletes): scatter rows into offset order.
            slot = np.full(size, -1, dtype=np.int64)
            slot[offsets] = np.arange(len(offsets))
            take = pa.array(slot, mask=slot < 0)
            ids.append(pc.take(t.column("id").combine_chunks().cast(pa.large_string()), take))
            titles.append(pc.take(t.column("title").combine_chunks().cast(pa.large_string()), take))
            live = np.zeros(size, dtype=bool)
            live[offsets] = t.column("alive").to_numpy(zero_copy_only=False).astype(bool)
            alive.append(live)
            kinds.append(np.full(size, kind, dtype=np.int16))
            total += size
        self.size = total
        self.ids = pa.concat_arrays(ids) if ids else pa.array([], pa.large_string())
        self.titles = pa.concat_arrays(titles) if titles else pa.array([], pa.large_string())
        self.alive = np.concatenate(alive) if alive else np.zeros(0, dtype=bool)
        self.kind = np.concatenate(kinds) if kinds else np.zeros(0, dtype=np.int16)
        # Rank of each id in string order, the order the Cypher walk sorts its rows by.
        order = pc.array_sort_indices(self.ids, null_placement="at_end").to_numpy()
        self.rank = np.empty(total, dtype=np.int64)
        self.rank[order] = np.arange(total)

        src_parts, dst_parts, rel_parts, pid_parts = [], [], [], []
        #: stored properties of the links of types that declare any (the rest have none)
        self.link_props: list[dict[str, Any]] = []
        for rel_i, name in enumerate(self.rel_names):
            lt = _LINKS[name]
            columns = "".join(f", e.{ident(p.name)} AS {ident(p.name)}" for p in lt.properties)
            # One statement per (source, target) pair: plain offsets are cheaper to return
            # than internal ids, and the pair says which table each is in.
            for target in lt.targets:
                if lt.source not in self.base or target not in self.base:
                    continue
                t = conn.arrow(
                    f"MATCH (a:{ident(lt.source)})-[e:{ident(name)}]->(b:{ident(target)}) "
                    f"RETURN offset(id(a)) AS a, offset(id(b)) AS b{columns}"
                )
                if t.num_rows == 0:
                    continue
                src_parts.append(self.base[lt.source] + t.column("a").to_numpy())
                dst_parts.append(self.base[target] + t.column("b").to_numpy())
                rel_parts.append(np.full(t.num_rows, rel_i, dtype=np.int16))
                pid_parts.append(self._properties(t, lt))
        src = np.concatenate(src_parts) if src_parts else np.zeros(0, dtype=np.int64)
        dst = np.concatenate(dst_parts) if dst_parts else np.zeros(0, dtype=np.int64)
        rel = np.concatenate(rel_parts) if rel_parts else np.zeros(0, dtype=np.int16)
        pid = np.concatenate(pid_parts) if pid_parts else np.zeros(0, dtype=np.int32)
        # Each link twice: from its source (outgoing) and from its target (incoming).
        owner = np.concatenate([src, dst])
        other = np.concatenate([dst, src])
        rels = np.concatenate([rel, rel])
        pids = np.concatenate([pid, pid])
        outgoing = np.concatenate([np.ones(len(src), bool), np.zeros(len(src), bool)])
        order = _link_order(owner, rels, self.rank[other], outgoing, total, len(self.rel_names))
        self.nbr = other[order]
        self.rel = rels[order]
        self.out = outgoing[order]
        self.pid = pids[order]
        self.rel_is_flow = np.array([_LINKS[name].is_flow for name in self.rel_names], dtype=bool)
        self.indptr = np.zeros(total + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=total), out=self.indptr[1:])

    def _properties(self, t: pa.Table, lt: LinkType) -> np.ndarray:
        """Index into :attr:`link_props` of each row's stored properties (-1: none set)."""
        pid = np.full(t.num_rows, -1, dtype=np.int32)
        if not lt.properties:
            return pid
        names = [p.name for p in lt.properties]
        for i, row in enumerate(t.select(names).to_pylist()):
            values = {k: v for k, v in row.items() if v is not None}
            if values:
                pid[i] = len(self.link_props)
                self.link_props.append(values)
        return pid

    def locate(self, type_name: str, offset: int) -> int:
        return self.base[type_name] + offset

    def lineage(self, start: int, plan: Plan, depth: int, max_nodes: int) -> LineageColumns:
        """The same walk as :meth:`LevelWalk.lineage`, level by level over the arrays,
        as columns (``to_lineage`` gives the records ``LevelWalk.lineage`` would).

        Per level, the frontier's link rows are concatenated in the Cypher walk's
        row order and kept where the plan allows the step from the row's node in
        its mode; the new neighbours are taken in order of first appearance up to
        the budget (each reached by its first flow row, else its first row), and a
        row is kept as an edge when its neighbour is then a node (exactly what
        the row-by-row loop keeps).
        """
        allow, next_mode = plan.tables(self.rel_names)
        seen = np.zeros(self.size, dtype=bool)
        seen[start] = True
        count = 1
        order: list[np.ndarray] = [np.array([start], dtype=np.int64)]
        levels: list[int] = [0]
        vias: list[np.ndarray] = [np.array([-1], dtype=np.int64)]
        parents: list[np.ndarray] = [np.array([-1], dtype=np.int64)]
        kept: list[tuple[np.ndarray, ...]] = []
        frontier = np.array([start], dtype=np.int64)
        modes = np.array([plan.start], dtype=np.int8)
        partial = False
        for level in range(1, depth + 1):
            if not len(frontier) or partial:
                break
            by_rank = np.argsort(self.rank[frontier], kind="stable")
            frontier, modes = frontier[by_rank], modes[by_rank]
            starts, ends = self.indptr[frontier], self.indptr[frontier + 1]
            lengths = ends - starts
            n = int(lengths.sum())
            if n == 0:
                break
            row = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(n)
            src = np.repeat(frontier, lengths)
            mode = np.repeat(modes, lengths)
            nbr, rel, out, pid = self.nbr[row], self.rel[row], self.out[row], self.pid[row]
            side = (~out).astype(np.int8)
            mask = self.alive[nbr] & allow[mode, rel, side]
            src, nbr, rel, out, pid = src[mask], nbr[mask], rel[mask], out[mask], pid[mask]
            reached = next_mode[mode[mask], rel, side[mask]]
            new, pick = _first_reach(nbr, ~seen[nbr], self.rel_is_flow[rel])
            room = max(0, max_nodes - count)
            if len(new) > room:
                partial = True
                new, pick = new[:room], pick[:room]
            seen[new] = True
            count += len(new)
            order.append(new)
            levels.append(level)
            vias.append(rel[pick].astype(np.int64))
            parents.append(src[pick])
            keep = seen[nbr]
            kept.append((src[keep], nbr[keep], rel[keep], out[keep], pid[keep]))
            new_modes = reached[pick]
            go_on = new_modes != LEAF
            frontier, modes = new[go_on], new_modes[go_on]
        return self._result(order, levels, vias, parents, kept, partial)

    def _result(
        self,
        order: list[np.ndarray],
        levels: list[int],
        vias: list[np.ndarray],
        parents: list[np.ndarray],
        kept: list[tuple[np.ndarray, ...]],
        partial: bool,
    ) -> LineageColumns:
        """The walk's nodes (in order reached) and links (in order first kept), as columns.

        A link kept twice (reached from both ends) is kept once, where it was
        first seen: the row-by-row loop this replaces kept a dict keyed on
        (source, target, rel type); here that key is one integer per row and
        ``np.unique``'s first indices, sorted, give the same rows in the same order.
        """
        node_idx = np.concatenate(order)
        sizes = [len(a) for a in order]
        ids = self.ids.take(pa.array(node_idx)).to_pylist()
        titles = self.titles.take(pa.array(node_idx)).fill_null("").to_pylist()
        type_names = self.type_names
        types = [type_names[k] for k in self.kind[node_idx].tolist()]
        depths = np.repeat(np.asarray(levels, dtype=np.int64), sizes).tolist()
        api_names = self.rel_api_names
        via_idx = np.concatenate(vias[1:]) if len(vias) > 1 else np.zeros(0, np.int64)
        parent_idx = np.concatenate(parents[1:]) if len(parents) > 1 else np.zeros(0, np.int64)
        node_vias: list[str | None] = [None, *(api_names[r] for r in via_idx.tolist())]
        node_parents = [None, *self.ids.take(pa.array(parent_idx)).to_pylist()]
        sources: list[str] = []
        targets: list[str] = []
        link_types: list[str] = []
        properties: list[Mapping[str, Any]] = []
        if kept:
            src = np.concatenate([k[0] for k in kept]).astype(np.int64, copy=False)
            nbr = np.concatenate([k[1] for k in kept]).astype(np.int64, copy=False)
            rel = np.concatenate([k[2] for k in kept]).astype(np.int64, copy=False)
            out = np.concatenate([k[3] for k in kept])
            pid = np.concatenate([k[4] for k in kept])
            a, b = np.where(out, src, nbr), np.where(out, nbr, src)
            first = _first_rows(a, b, rel, self.size, len(self.rel_names))
            a, b, rel, pid = a[first], b[first], rel[first], pid[first]
            sources = self.ids.take(pa.array(a)).to_pylist()
            targets = self.ids.take(pa.array(b)).to_pylist()
            link_types = [api_names[r] for r in rel.tolist()]
            props = self.link_props
            properties = [props[p] if p >= 0 else NO_PROPERTIES for p in pid.tolist()]
        return LineageColumns(
            ids,
            types,
            titles,
            depths,
            sources,
            targets,
            link_types,
            partial,
            node_vias,
            node_parents,
            properties,
        )


def _first_reach(
    nbr: np.ndarray, fresh: np.ndarray, flow: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """New neighbours in order of first appearance, and the row that reaches each.

    The row is the neighbour's first flow row if it has one, else its first row
    (see ``lineage_walk.pick_new``).
    """
    rows = np.flatnonzero(fresh)
    if not len(rows):
        return np.zeros(0, dtype=np.int64), rows
    candidates = nbr[rows]
    uniq, first = np.unique(candidates, return_index=True)
    pick = rows[first]
    flow_rows = rows[flow[rows]]
    if len(flow_rows) and len(flow_rows) < len(rows):
        f_uniq, f_first = np.unique(nbr[flow_rows], return_index=True)
        pick[np.searchsorted(uniq, f_uniq)] = flow_rows[f_first]
    by_appearance = np.argsort(first, kind="stable")
    return uniq[by_appearance], pick[by_appearance]


def _first_rows(a: np.ndarray, b: np.ndarray, rel: np.ndarray, n: int, r: int) -> np.ndarray:
    """Indices of the first row of each distinct (a, b, rel), in row order.

    One int64 key per row while n * n * r fits (up to about 4 * 10**8 nodes);
    rows of three columns beyond that.
    """
    if n * n * max(r, 1) < 2**62:
        _, first = np.unique((a * n + b) * max(r, 1) + rel, return_index=True)
    else:
        _, first = np.unique(np.stack([a, b, rel], axis=1), axis=0, return_index=True)
    first.sort()
    return first


class AdjacencyCache:
    """When to use, drop and rebuild the snapshot of one store (see the module doc)."""

    def __init__(self, *, eager: bool = False) -> None:
        #: Rebuild as soon as the snapshot is stale, not when Cypher walks have paid for it
        #: (tests use it to exercise the snapshot right after writes).
        self.eager = eager
        self.snapshot: Adjacency | None = None
        self.writes = 0  # bumped by the write path's hook, see ``invalidate``
        self.last_build_s: float | None = None
        self._epoch: Fingerprint | None = None
        self._uncached_s = 0.0

    def invalidate(self) -> None:
        """Forget the snapshot: for the write path to call after every commit (belt and braces)."""
        self.writes += 1
        self.snapshot = None

    def current(self, conn: LadybugConnection, path: str) -> Adjacency | None:
        """A snapshot valid for the store as it is now, building one if that pays; else None."""
        key = fingerprint(path, self.writes)
        if key is None:
            return None
        if self.snapshot is not None and self.snapshot.key == key:
            return self.snapshot
        self.snapshot = None  # stale: free it before anything else
        if key != self._epoch:
            self._epoch, self._uncached_s = key, 0.0
        if (
            not self.eager
            and self.last_build_s is not None
            and self._uncached_s < self.last_build_s
        ):
            return None
        t0 = time.perf_counter()
        snapshot = Adjacency(conn, key)
        self.last_build_s = time.perf_counter() - t0
        # The build's own statements are reads, but be strict: key it on the files as they are
        # after it, and only if nothing changed meanwhile.
        if fingerprint(path, self.writes) != key:
            return None
        self.snapshot = snapshot
        return snapshot

    def spent_uncached(self, seconds: float) -> None:
        """Account a Cypher walk made while no valid snapshot existed."""
        self._uncached_s += seconds


def _link_order(
    owner: np.ndarray, rel: np.ndarray, rank: np.ndarray, outgoing: np.ndarray, n: int, r: int
) -> np.ndarray:
    """Order of link rows by (owner, rel, neighbour rank, outgoing first).

    One int64 key and one argsort is several times faster than ``np.lexsort``
    over four keys; the key fits while n * n * r * 2 < 2**63,
    i.e. up to about 10**8 nodes, and lexsort remains the fallback beyond that.
    """
    if n * n * max(r, 1) * 2 >= 2**62:
        return np.lexsort((~outgoing, rank, rel, owner))
    key = owner * max(r, 1) + rel
    key = key * n + rank
    key = key * 2 + (~outgoing)
    return np.argsort(key, kind="stable")
