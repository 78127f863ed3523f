"""The embedded graph store: Ladybug (the maintained Kuzu fork) in a local file.

Writes are planned by the backend-neutral :mod:`opencase.graph.planning` (all
validation first), then applied in one engine transaction: new rows by COPY
from Arrow, changed rows by ``LOAD FROM ... SET``. ``upsert`` is that same path
in batches, so a bulk load and a single write have the same semantics; it only
overlaps the objects' COPY with the planning of the links (its one transaction
rolls back whatever a later problem finds already COPYed).

Cardinality: for a link type whose side is single-valued (``many-to-one``,
``one-to-many``, ``one-to-one``) a new link replaces the stored one on that side
("latest wins"), while two conflicting links in one batch are refused.
Upserting a soft-deleted object updates it but keeps it deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from opencase.errors import OntologyError, Problem, ValidationError
from opencase.gcpause import gc_paused
from opencase.ontology import ONTOLOGY

from . import ladybug_bulk, ladybug_links, ladybug_schema, ladybug_write
from .ladybug_background import in_background
from .ladybug_conn import LadybugConnection
from .ladybug_reads import LadybugReads
from .ladybug_schema import META_TABLE
from .ladybug_traverse import LadybugTraversal
from .link_planning import plan_links
from .planning import FetchRows, ObjectPlan, plan_objects
from .small import is_small
from .store import (
    GraphStore,
    LinkRecord,
    ObjectRecord,
    Stage,
    WriteBatch,
    WriteResult,
    batches,
)
from .system_guard import admit


class EmbeddedStore(LadybugReads, LadybugTraversal, GraphStore):
    """A Ladybug database file; one read-write process at a time (the engine locks the file)."""

    backend = "embedded"

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._conn = LadybugConnection(path, read_only=read_only)
        self._meta: bool | None = None  # does the store have its meta table (see _has_meta)

    # ---- lifecycle -----------------------------------------------------------------------

    def install_schema(self) -> list[str]:
        with self._conn.lock:
            self._meta = None
            return ladybug_schema.install(self._conn.rows)

    def close(self) -> None:
        self._conn.close()

    # ---- revision and notes ------------------------------------------------------------------

    def revision(self) -> int | None:
        with self._conn.lock:
            if not self._has_meta():
                return None
            found = self._conn.rows(_REVISION_READ)
            return int(found[0][0]) if found else 0

    def get_note(self, key: str) -> tuple[int, str] | None:
        with self._conn.lock:
            if not self._has_meta():
                return None
            query = f"MATCH (m:{META_TABLE} {{key: $key}}) RETURN m.revision, m.text"
            found = self._conn.rows(query, {"key": _NOTE + key})
            return (int(found[0][0]), str(found[0][1])) if found else None

    def put_note(self, key: str, text: str) -> None:
        with self._conn.lock, self._conn.transaction():
            if not self._has_meta():
                return
            _bump_revision(self._conn)
            self._conn.execute(
                f"MATCH (r:{META_TABLE} {{key: 'revision'}}) "
                f"MERGE (m:{META_TABLE} {{key: $key}}) SET m.revision = r.revision, m.text = $text",
                {"key": _NOTE + key, "text": text},
            )

    def _has_meta(self) -> bool:
        """Stores made before the meta table existed get it from ``install_schema``.

        Asked once per open store (every write asks), and again after a schema install.
        """
        if self._meta is None:
            query = f"CALL show_tables() WHERE name = '{META_TABLE}' RETURN name"
            self._meta = bool(self._conn.rows(query))
        return self._meta

    # ---- writes --------------------------------------------------------------------------

    def write(self, batch: WriteBatch) -> WriteResult:
        """One atomic write; a small one keeps to one engine thread.

        A small write's statements each touch a row or two: spreading one over
        the engine's threads only adds hand-offs between them, which on a busy
        machine cost more than the statement (measured: small actions ran at
        about half the rate on the default threads).
        """
        size = len(batch.objects) + len(batch.links) + len(batch.system_objects)
        threads = 1 if is_small(size + len(batch.system_links)) else 0
        with self._conn.lock, self._conn.engine_threads(threads):
            return self._write(batch, ladybug_links.Session())

    def _write(
        self, batch: WriteBatch, session: ladybug_links.Session, stage: Stage | None = None
    ) -> WriteResult:
        now = dt.datetime.now(dt.UTC)
        conn = self._conn
        batch = admit(batch)

        def fetch(ot: Any, ids: list[str], cols: Any) -> dict[str, dict[str, Any]]:
            return ladybug_write.fetch_rows(conn, ot, session.lookup_needed(conn, ot, ids), cols)

        def exists(ot: Any, ids: list[str]) -> set[str]:
            known = {i for i in ids if i in session.known}
            rest = session.lookup_needed(conn, ot, [i for i in ids if i not in known])
            return known | ladybug_write.existing_ids(conn, ot, rest)

        if session.bulk:
            return self._write_overlapped(batch, session, fetch, exists, now, stage or _quiet)
        plan, problems = plan_objects(batch.objects, fetch, now)
        links, link_problems = plan_links(batch.links, plan.ids, exists)
        self._raise_problems(problems + link_problems)
        self._check_targets(batch)
        result = WriteResult(unchanged=plan.unchanged)
        new_ids = plan.new_ids()
        session.fresh |= new_ids
        try:
            with conn.transaction():
                if self._has_meta():
                    _bump_revision(conn)
                ladybug_write.apply_objects(conn, plan)
                ladybug_links.apply_links(conn, links, session, result)
                self._apply_removals(batch, now, result)
        except BaseException:
            session.fresh -= new_ids
            raise
        return self._written(plan, session, result)

    def _write_overlapped(
        self,
        batch: WriteBatch,
        session: ladybug_links.Session,
        fetch: FetchRows,
        exists: Callable[[Any, list[str]], set[str]],
        now: dt.datetime,
        stage: Stage,
    ) -> WriteResult:
        """A bulk batch: each object type is COPYed while the next types and the links are planned.

        Only inside :meth:`upsert`'s transaction, so a problem found after some
        objects were COPYed rolls them back with the rest: the store is left as
        it was, as when nothing is written before everything is checked. The
        engine gets one thread while the planning runs, which keeps the other
        core: with the engine on both, overlapping per type was slower than
        planning everything first (39.7-42.0 s against 34.2-35.6 s at 1M).
        Once the links are planned the Python side only queues their COPYs and
        waits, so the engine gets every core back from that point in its queue:
        the links' COPYs alone take 2.6 s on two threads against 4.4 s on one
        (1.58M links), and the 1M upsert 17.5-17.7 s against 18.6-18.8 s.
        """
        conn = self._conn
        new_ids: set[str] = set()
        copied: set[str] = set()
        with conn.transaction(), conn.engine_threads(1):
            if self._has_meta():
                _bump_revision(conn)
            self._check_targets(batch)  # against the store as it was, as ``write`` checks
            session.note_empty(conn, _type_names({rec.object_type for rec in batch.objects}))
            try:
                with in_background(conn) as copies:

                    def copy_type(plan: ObjectPlan, type_name: str) -> None:
                        ladybug_write.copy_new(copies, plan, type_name)  # nothing new: no-op
                        copied.add(type_name)

                    stage(f"checking and writing {len(batch.objects):,} objects")
                    plan, problems = plan_objects(batch.objects, fetch, now, copy_type)
                    if not problems:
                        ladybug_write.apply_objects(copies, plan, copied)
                    stage(f"writing objects, checking {len(batch.links):,} links")
                    links, link_problems = plan_links(batch.links, plan.ids, exists)
                    self._raise_problems(problems + link_problems)
                    result = WriteResult(unchanged=plan.unchanged)
                    new_ids = plan.new_ids()
                    session.fresh |= new_ids
                    stage("writing links")
                    # the planning is done: the link COPYs queued from here on may have
                    # every core (see the docstring)
                    copies.engine_threads(0)
                    ladybug_links.apply_links(conn, links, session, result, copies)
                self._apply_removals(batch, now, result)
            except BaseException:
                session.fresh -= new_ids
                raise
        return self._written(plan, session, result)

    @staticmethod
    def _raise_problems(problems: list[Problem]) -> None:
        if problems:
            raise ValidationError(problems, suggestion="nothing was written; fix these and retry")

    def _written(
        self, plan: ObjectPlan, session: ladybug_links.Session, result: WriteResult
    ) -> WriteResult:
        session.known |= plan.ids
        self.invalidate_lineage_cache()
        result.created = plan.created()
        result.updated = sum(len(rows) for rows in plan.changed.values())
        result.changed_ids = plan.changed_ids + result.changed_ids
        return result

    def _apply_removals(self, batch: WriteBatch, now: dt.datetime, result: WriteResult) -> None:
        conn = self._conn
        result.unlinked += ladybug_links.apply_unlinks(conn, batch.unlinks)
        ladybug_write.apply_deletes(
            conn, batch.soft_deletes, batch.hard_deletes, batch.restores, batch.actor, now, result
        )

    def _check_targets(self, batch: WriteBatch) -> None:
        for ids, what in (
            (batch.soft_deletes, "delete"),
            (batch.hard_deletes, "delete"),
            (batch.restores, "restore"),
        ):
            if ids:
                ladybug_write.check_exist(self._conn, ids, what)
        for key in batch.unlinks:
            try:
                ONTOLOGY.link_type(key.link_type)
                ONTOLOGY.type_of_id(key.source_id)
                ONTOLOGY.type_of_id(key.target_id)
            except Exception as exc:
                raise ValidationError(f"cannot unlink {key}: {exc}") from exc

    def upsert(
        self,
        objects: Iterable[ObjectRecord] = (),
        links: Iterable[LinkRecord] = (),
        *,
        batch_size: int = 2_000_000,
        stage: Stage | None = None,
    ) -> Iterator[WriteResult]:
        """Bulk upsert in one engine transaction: all of it is written, or none of it.

        Records are validated and planned ``batch_size`` at a time (each batch
        fully checked before any of its rows is written, see the module doc) and
        one :class:`WriteResult` is yielded per batch as it is applied, but the
        commit comes once, after the last batch. The engine checkpoints at every
        commit that COPYed rows, and that checkpoint cost grows with the store
        (measured on Ladybug 0.22: 13 commits of 200k elements took 30 s of a
        1M-object load, one commit of the same rows about a third of that). One
        transaction also makes a failed or abandoned upsert (a bad batch, an
        exception in the consumer, a closed generator, a killed process) leave
        the store exactly as it was. Uncommitted rows live in memory, so a
        caller with far more data than RAM splits it into several upserts.

        The default batch is large because every batch adds COPY statements into
        tables that already hold rows, and that costs more as the store grows
        (measured on Ladybug 0.22, 1M objects + 1.58M links: 70 s in 200k-record
        batches, 56 s in 1M, 44 s in 2M, 47 s in one; peak RSS 4.4-4.8 GB in
        each case, as the transaction holds every row until the commit anyway).

        Batches share a :class:`~opencase.graph.ladybug_links.Session`, so links
        between objects this upsert created skip the "does it exist yet" lookups.
        The cyclic garbage collector is paused meanwhile (see :mod:`opencase.gcpause`).
        """
        session = ladybug_links.Session(bulk=True)
        with self._conn.lock, gc_paused():
            try:
                with self._conn.transaction():
                    for batch in batches(objects, links, batch_size):
                        yield self._write(batch, session, stage)
                    if stage is not None:
                        stage("committing")
            finally:
                self.invalidate_lineage_cache()

    def bulk_copy_baseline(
        self, objects: Iterable[ObjectRecord], links: Iterable[LinkRecord]
    ) -> dict[str, float]:
        """The engine's raw COPY of the same records (no validation): the bench's yardstick.

        Use on an empty store only. Returns ``elements``, ``prepare_s`` (building
        Arrow tables) and ``copy_s`` (the COPY statements themselves).
        """
        with self._conn.lock:
            self.invalidate_lineage_cache()
            return ladybug_bulk.copy_baseline(self._conn, objects, links)


def _type_names(spellings: set[str]) -> set[str]:
    """The object types the records name (names or API names); unknown ones are left out."""
    names = set()
    for spelling in spellings:
        with contextlib.suppress(OntologyError):
            names.add(ONTOLOGY.object_type(spelling).name)
    return names


def _quiet(text: str) -> None:
    """The stage reporter of an upsert nobody watches."""


_NOTE = "note:"
_REVISION_READ = f"MATCH (m:{META_TABLE} {{key: 'revision'}}) RETURN m.revision"
_REVISION_BUMP = (
    f"MERGE (m:{META_TABLE} {{key: 'revision'}}) "
    "ON CREATE SET m.revision = 1 ON MATCH SET m.revision = m.revision + 1"
)
_REVISION_INCREMENT = (
    f"MATCH (m:{META_TABLE} {{key: 'revision'}}) SET m.revision = m.revision + 1 RETURN m.revision"
)


def _bump_revision(conn: LadybugConnection) -> None:
    """Every write transaction runs this first: "same revision" then means "not written since".

    A plain ``MATCH ... SET`` once the counter exists: the engine plans a
    ``MERGE`` noticeably slower, and this runs in every small write.
    """
    if not conn.rows(_REVISION_INCREMENT):
        conn.execute(_REVISION_BUMP)
