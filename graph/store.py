"""The one interface both graph backends implement.

Callers (API, loaders, sync, export) speak only this interface; the embedded
Ladybug store and Neo4j differ below it. Records crossing it carry *global ids*
(``<object api name>:<primary key>``, see ``Ontology.object_id``), so a caller
never needs to know a label or a table name.

Conventions every backend honours (the contract suite in tests/contract checks them):

* every write is validated against the ontology before anything is written;
* one :meth:`GraphStore.write` call is one atomic transaction: all or nothing;
* upserts are idempotent and *merge* properties: a key that is present is set
  (``None`` clears it), a key that is absent is left as it is;
* soft-deleted objects are invisible to every read unless ``include_deleted``;
* every Cypher statement is parameterised; labels and relationship types come
  only from the ontology.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from types import MappingProxyType
from typing import Any

from opencase.errors import Problem
from opencase.queries.filters import Filter


class Direction(StrEnum):
    """Which way to follow links.

    For ``neighbours``: OUT along the declared direction (source -> target), IN
    against it. For ``lineage``: OUT is DOWNSTREAM (away from the inputs, along
    each flow link's data flow) and IN is UPSTREAM (towards the inputs), whatever
    each link's declared direction; the ontology's link roles decide.
    """

    OUT = "out"
    IN = "in"
    BOTH = "both"
    DOWNSTREAM = "out"
    UPSTREAM = "in"


#: Where each system column's value sits on a :class:`StoredObject` (the rest are in
#: ``properties``): scans and exports that rebuild rows read it from there.
STORED_ATTRIBUTE = {
    "id": "id",
    "sys_title": "title",
    "sys_created_at": "created_at",
    "sys_updated_at": "updated_at",
    "sys_deleted_at": "deleted_at",
    "sys_deleted_by": "deleted_by",
}


@dataclass(frozen=True)
class ObjectRecord:
    """An object to upsert: its type (name or API name) and its declared properties."""

    object_type: str
    properties: Mapping[str, Any]


#: Told, as plain text, what a long write is doing now (see :meth:`GraphStore.upsert`).
Stage = Callable[[str], None]


@dataclass(frozen=True)
class LinkRecord:
    """A link to upsert, between two global ids; idempotent on (type, source, target)."""

    link_type: str  # API name, e.g. "daia-action-about-model"
    source_id: str
    target_id: str
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkKey:
    """Identifies one link to remove."""

    link_type: str
    source_id: str
    target_id: str


@dataclass
class WriteBatch:
    """Everything one atomic write does. Order of effects: upserts, links, unlinks, deletes.

    ``objects`` to ``restores`` must not touch a system type (see
    :mod:`opencase.ontology.system`); the system's own records (the action
    executor's audit entry and its links) go in ``system_objects`` and
    ``system_links``, which only their owning code fills.
    """

    objects: list[ObjectRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    unlinks: list[LinkKey] = field(default_factory=list)
    soft_deletes: list[str] = field(default_factory=list)
    hard_deletes: list[str] = field(default_factory=list)
    restores: list[str] = field(default_factory=list)
    actor: str | None = None  # recorded as sys_deleted_by on soft deletes
    system_objects: list[ObjectRecord] = field(default_factory=list)
    system_links: list[LinkRecord] = field(default_factory=list)
    #: a move its lifecycle forbids: False refuses the whole write (actions, admin edits);
    #: True keeps the object's state, writes the rest and lists the move in
    #: ``WriteResult.held`` (loaders mirroring a source system)
    hold_moves: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.objects
            or self.system_objects
            or self.links
            or self.unlinks
            or self.soft_deletes
            or self.hard_deletes
            or self.restores
        )


@dataclass
class WriteResult:
    """What a write changed; ``unchanged`` objects were identical and not rewritten."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_created: int = 0
    links_unchanged: int = 0
    unlinked: int = 0
    deleted: int = 0
    restored: int = 0
    changed_ids: list[str] = field(default_factory=list)
    #: moves a lifecycle forbids, kept out of a ``hold_moves`` write (see WriteBatch)
    held: list[Problem] = field(default_factory=list)

    def __iadd__(self, other: WriteResult) -> WriteResult:
        for name in (
            "created",
            "updated",
            "unchanged",
            "links_created",
            "links_unchanged",
            "unlinked",
            "deleted",
            "restored",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.changed_ids.extend(other.changed_ids)
        self.held.extend(other.held)
        return self

    @property
    def nothing_written(self) -> bool:
        return not (
            self.created
            or self.updated
            or self.links_created
            or self.unlinked
            or self.deleted
            or self.restored
        )


@dataclass(frozen=True)
class StoredObject:
    """An object as read back: global id, type name, title and declared properties."""

    id: str
    object_type: str  # PascalCase name
    title: str
    properties: Mapping[str, Any]
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    deleted_by: str | None = None


@dataclass(frozen=True)
class OrderBy:
    """Sort key: a declared property (snake_case) or ``id``/``title``."""

    property: str
    descending: bool = False


@dataclass(frozen=True)
class Page:
    """One page of a listing; ``end_cursor`` is opaque and feeds the next ``after``."""

    items: list[StoredObject]
    total_count: int | None  # None when the caller did not ask for it (``count_total``)
    has_next_page: bool
    end_cursor: str | None


@dataclass(frozen=True)
class Neighbour:
    """An object reached over one link from ``from_id``."""

    from_id: str
    link_type: str
    direction: Direction
    object: StoredObject
    link_properties: Mapping[str, Any] = field(default_factory=dict)


#: The properties of a link that has none (shared, never mutated).
NO_PROPERTIES: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class LineageNode:
    """An object a traversal reached, ``depth`` hops from the start.

    ``via`` is the link type (API name) of the link that reached it and
    ``parent`` the object it was reached from (None for the start): following
    parents gives the chain that reached each node.
    """

    id: str
    object_type: str
    title: str
    depth: int
    via: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class LineageEdge:
    source: str
    target: str
    link_type: str  # API name
    properties: Mapping[str, Any] = field(default_factory=lambda: NO_PROPERTIES)


@dataclass(frozen=True)
class Lineage:
    """Nodes reached (with their hop depth) and the links between them.

    ``partial`` is true when the node budget cut the traversal short: the
    caller sees what fits rather than a query that runs away on a hub node.
    """

    nodes: list[LineageNode]
    edges: list[LineageEdge]
    partial: bool


@dataclass(frozen=True)
class LineageColumns:
    """A :class:`Lineage` held as columns: one list per field, row ``i`` across them.

    Why: a 500-node lineage as records is a thousand small frozen objects, built
    only to be taken apart again by a caller that writes the answer out as JSON
    (the API). Built as columns it costs a few list conversions; ``to_lineage``
    gives exactly what :meth:`GraphStore.lineage` returns for the same walk.
    """

    node_ids: list[str]
    node_types: list[str]  # object type names, as LineageNode.object_type
    node_titles: list[str]
    node_depths: list[int]
    edge_sources: list[str]
    edge_targets: list[str]
    edge_link_types: list[str]  # API names, as LineageEdge.link_type
    partial: bool
    node_vias: list[str | None] = field(default_factory=list)  # empty: all None
    node_parents: list[str | None] = field(default_factory=list)
    edge_properties: list[Mapping[str, Any]] = field(default_factory=list)  # empty: all {}

    def to_lineage(self) -> Lineage:
        n, m = len(self.node_ids), len(self.edge_sources)
        nodes = list(
            map(
                LineageNode,
                self.node_ids,
                self.node_types,
                self.node_titles,
                self.node_depths,
                self.node_vias or [None] * n,
                self.node_parents or [None] * n,
            )
        )
        edges = list(
            map(
                LineageEdge,
                self.edge_sources,
                self.edge_targets,
                self.edge_link_types,
                self.edge_properties or [NO_PROPERTIES] * m,
            )
        )
        return Lineage(nodes=nodes, edges=edges, partial=self.partial)

    @classmethod
    def from_lineage(cls, lineage: Lineage) -> LineageColumns:
        nodes, edges = lineage.nodes, lineage.edges
        return cls(
            node_ids=[n.id for n in nodes],
            node_types=[n.object_type for n in nodes],
            node_titles=[n.title for n in nodes],
            node_depths=[n.depth for n in nodes],
            edge_sources=[e.source for e in edges],
            edge_targets=[e.target for e in edges],
            edge_link_types=[e.link_type for e in edges],
            partial=lineage.partial,
            node_vias=[n.via for n in nodes],
            node_parents=[n.parent for n in nodes],
            edge_properties=[e.properties for e in edges],
        )


@dataclass(frozen=True)
class PathStep:
    """One hop of a path: the link and the object it leads to."""

    link_type: str
    source: str
    target: str
    properties: Mapping[str, Any] = field(default_factory=lambda: NO_PROPERTIES)


@dataclass(frozen=True)
class ImpactNode:
    """An object downstream of the start, of one of the asked types, and how it is reached.

    ``path`` runs from the start object to this one, each step the object and
    its type name; ``via`` is the link type of the last step.
    """

    id: str
    object_type: str
    title: str
    depth: int
    via: str | None
    path: list[tuple[str, str]]


@dataclass(frozen=True)
class Impact:
    """What a change to one object affects; ``partial`` when the walk was cut short."""

    nodes: list[ImpactNode]
    partial: bool


@dataclass(frozen=True)
class Path:
    nodes: list[LineageNode]
    steps: list[PathStep]


@dataclass(frozen=True)
class GroupCount:
    group: Mapping[str, Any]
    count: int


class GraphStore(abc.ABC):
    """A typed graph of ontology objects. Use as a context manager; close when done."""

    #: "embedded" or "neo4j"; shown by the CLI and /healthz.
    backend: str = "abstract"

    # ---- lifecycle -----------------------------------------------------------------------

    @abc.abstractmethod
    def install_schema(self) -> list[str]:
        """Create (or upgrade) tables/constraints/indexes for the ontology; no data is lost.

        Returns what it did, one line each (``created table ModelWork``,
        ``added column ModelWork.tags``), empty when the store was up to date.
        """

    @abc.abstractmethod
    def close(self) -> None: ...

    # ---- time limits ---------------------------------------------------------------------

    def set_statement_timeout(self, seconds: float | None) -> None:  # noqa: B027 - optional
        """From now on the store itself stops any statement or transaction after ``seconds``.

        A server sets its request time limit here, so a query the caller gave up
        on does not keep the store busy for the next one (None: no limit).
        """

    def interrupt(self) -> None:  # noqa: B027 - optional, no-op default
        """Stop the statement running now, from another thread; it fails with
        :class:`~opencase.errors.StoreInterruptedError`. Nothing running: nothing happens."""

    def recover(self) -> None:  # noqa: B027 - optional, no-op default
        """Give back the memory a failed statement left the store without (after
        :class:`~opencase.errors.StoreCapacityError`), so that the next one can run."""

    def probe(self) -> None:
        """A cheap read that fails if the store cannot serve requests (for health checks)."""
        self.revision()

    # ---- revision and bookkeeping ----------------------------------------------------------

    def revision(self) -> int | None:
        """How many write transactions the store has committed, or ``None`` if it cannot tell.

        Any write through this interface changes it, so "same revision" means "not
        written since". Backends that other programs also write to (Neo4j) answer
        ``None``: callers then assume the store may have changed.
        """
        return None

    def get_note(self, key: str) -> tuple[int, str] | None:
        """(revision when written, text) of a bookkeeping note, e.g. a loader's journal entry."""
        return None

    def put_note(self, key: str, text: str) -> None:  # noqa: B027 - optional, no-op default
        """Store a note as its own write; it records the revision that write produced."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writes --------------------------------------------------------------------------

    @abc.abstractmethod
    def write(self, batch: WriteBatch) -> WriteResult:
        """Validate, then apply ``batch`` in one transaction; nothing is written on error."""

    def upsert(
        self,
        objects: Iterable[ObjectRecord] = (),
        links: Iterable[LinkRecord] = (),
        *,
        batch_size: int = 50_000,
        stage: Stage | None = None,
        hold_moves: bool = False,
    ) -> Iterator[WriteResult]:
        """Bulk upsert in atomic batches (objects first, then links); yields per batch.

        Backends may override with a faster bulk path (COPY for new rows).
        ``stage(text)`` is told what the store is doing while a batch runs, so a
        progress display has something to show before the batch's result.
        """
        for batch in batches(objects, links, batch_size, hold_moves=hold_moves):
            if stage is not None:
                stage(f"writing {len(batch.objects):,} objects and {len(batch.links):,} links")
            yield self.write(batch)

    # ---- reads ---------------------------------------------------------------------------

    @abc.abstractmethod
    def get(self, ids: Sequence[str], *, include_deleted: bool = False) -> dict[str, StoredObject]:
        """Objects by global id, in one round trip; missing ids are absent from the result."""

    def get_one(self, object_id: str, *, include_deleted: bool = False) -> StoredObject | None:
        return self.get([object_id], include_deleted=include_deleted).get(object_id)

    @abc.abstractmethod
    def list(
        self,
        object_type: str,
        *,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        first: int = 100,
        after: str | None = None,
        include_deleted: bool = False,
        count_total: bool = True,
    ) -> Page:
        """Objects of one type, filtered, sorted (then by id) and paged by opaque cursor.

        ``count_total=False`` skips counting every match, a second statement that
        costs as much as the page itself; ``total_count`` is then None.
        """

    def list_all(self, object_type: str, where: Filter, *, page: int = 500) -> list[StoredObject]:
        """Every object of one type that matches: for loaders matching a few keys, not for scans."""
        out: list[StoredObject] = []
        after = None
        while True:
            found = self.list(object_type, where=where, first=page, after=after)
            out += found.items
            if not found.has_next_page:
                return out
            after = found.end_cursor

    @abc.abstractmethod
    def count(self, object_type: str, *, where: Filter | None = None) -> int: ...

    @abc.abstractmethod
    def aggregate(
        self, object_type: str, group_by: Sequence[str], *, where: Filter | None = None
    ) -> list[GroupCount]:
        """Counts per distinct combination of ``group_by`` properties, largest first."""

    @abc.abstractmethod
    def neighbours(
        self,
        ids: Sequence[str],
        *,
        link_type: str | None = None,
        direction: Direction = Direction.BOTH,
        where: Filter | None = None,
        order_by: Sequence[OrderBy] = (),
        limit_per_id: int | None = None,
        link_where: Filter | None = None,
    ) -> dict[str, list[Neighbour]]:
        """Objects one link away from each of ``ids``, in one round trip per link table.

        This is the dataloader's batch function: its cost must not grow with
        ``len(ids)`` in round trips. ``where`` filters the neighbour objects,
        ``link_where`` the link's own declared properties (needs ``link_type``).
        """

    @abc.abstractmethod
    def neighbour_ids(
        self, ids: Sequence[str], *, link_type: str, direction: Direction
    ) -> dict[str, list[str]]:
        """The ids one ``link_type`` link away from each of ``ids`` (OUT or IN), nothing else."""

    @abc.abstractmethod
    def lineage(
        self,
        object_id: str,
        *,
        direction: Direction = Direction.BOTH,
        depth: int = 3,
        link_types: Sequence[str] | None = None,
        max_nodes: int = 500,
        include: Sequence[str] | None = None,
    ) -> Lineage:
        """Breadth-first data-flow traversal from one object, at most ``depth`` hops and
        ``max_nodes`` objects.

        UPSTREAM (``Direction.IN``) walks towards inputs, DOWNSTREAM (``OUT``) towards
        what was made from the object, BOTH each way without turning round; only
        flow links unless ``include`` has ``"context"`` (see ``graph.lineage_scope``).
        ``link_types`` narrows to the named link types.
        """

    def lineage_columns(
        self,
        object_id: str,
        *,
        direction: Direction = Direction.BOTH,
        depth: int = 3,
        link_types: Sequence[str] | None = None,
        max_nodes: int = 500,
        include: Sequence[str] | None = None,
    ) -> LineageColumns:
        """:meth:`lineage` as columns (same nodes, edges and order), for callers that
        serialise it. This default converts :meth:`lineage`'s records; a backend that
        walks arrays (the embedded snapshot) builds the columns without them."""
        return LineageColumns.from_lineage(
            self.lineage(
                object_id,
                direction=direction,
                depth=depth,
                link_types=link_types,
                max_nodes=max_nodes,
                include=include,
            )
        )

    def impact(
        self,
        object_id: str,
        *,
        object_types: Sequence[str] | None = None,
        depth: int = 8,
        max_nodes: int = 500,
        walk_nodes: int = 10_000,
    ) -> Impact:
        """The objects downstream of ``object_id`` (of ``object_types``, default all),
        nearest first, each with the chain of flow links that reaches it.

        "If this is wrong, what is affected": the DOWNSTREAM lineage over flow
        links, walked with a budget of ``walk_nodes`` and cut to ``max_nodes``
        answers; ``partial`` says either cut something.
        """
        from .impact import impact_of

        walk = self.lineage_columns(
            object_id, direction=Direction.DOWNSTREAM, depth=depth, max_nodes=walk_nodes
        )
        return impact_of(walk, object_types, max_nodes)

    @abc.abstractmethod
    def shortest_path(
        self,
        from_id: str,
        to_id: str,
        *,
        max_depth: int = 6,
        link_types: Sequence[str] | None = None,
        include: Sequence[str] | None = None,
    ) -> Path | None:
        """The shortest chain of links between two objects (either direction), or None.

        Provenance first: only flow links unless ``include`` has ``"context"``;
        ``link_types`` narrows to the named link types.
        """

    @abc.abstractmethod
    def search(
        self, text: str, *, object_types: Sequence[str] | None = None, first: int = 20
    ) -> list[StoredObject]:
        """Case-insensitive substring search over titles and searchable text properties."""

    @abc.abstractmethod
    def scan_objects(
        self, object_type: str, *, batch_size: int = 10_000, include_deleted: bool = False
    ) -> Iterator[list[StoredObject]]:
        """Every object of one type in id order, in batches (export, sync watermarks)."""

    @abc.abstractmethod
    def scan_links(self, link_type: str, *, batch_size: int = 10_000) -> Iterator[list[LinkRecord]]:
        """Every link of one type, in batches, with its properties."""

    @abc.abstractmethod
    def stats(self) -> dict[str, int]:
        """Object count per type name and link count per link API name (non-zero only)."""


def batches(
    objects: Iterable[ObjectRecord],
    links: Iterable[LinkRecord],
    size: int,
    *,
    hold_moves: bool = False,
) -> Iterator[WriteBatch]:
    """Objects first, then links, about ``size`` records a batch (the bulk upserts' unit).

    Sliced with ``islice`` rather than appended one by one: at 2.6M records the
    appends alone cost over a second.
    """
    pending = WriteBatch(hold_moves=hold_moves)
    source: Iterator[Any] = iter(objects)
    while True:
        pending.objects = list(islice(source, size))
        if len(pending.objects) < size:
            break
        yield pending
        pending = WriteBatch(hold_moves=hold_moves)
    source = iter(links)
    while True:
        room = size - len(pending.objects)
        pending.links = list(islice(source, room))
        if len(pending.links) < room:
            break
        yield pending
        pending = WriteBatch(hold_moves=hold_moves)
    if pending:
        yield pending
