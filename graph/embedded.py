"""The embedded graph store: Ladybug (the maintained Kuzu fork) in a local file.

Writes are planned by the backend-neutral :mod:`opencase.graph.planning` (all
validation first), then applied in one engine transaction: new rows by COPY
from Arrow, changed rows by ``LOAD FROM ... SET``. ``upsert`` is that same path
in batches, so a bulk load and a single write have the same semantics. The
calling thread owns the connection for the whole write (see
:mod:`opencase.graph.ladybug_conn` for the rule); nothing runs on another thread.

Cardinality: for a link type whose side is single-valued (``many-to-one``,
``one-to-many``, ``one-to-one``) a new link replaces the stored one on that side
("latest wins"), while two conflicting links in one batch are refused.
Upserting a soft-deleted object updates it but keeps it deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from opencase.errors import OntologyError, Problem, ValidationError
from opencase.gcpause import gc_paused
from opencase.ontology import ONTOLOGY

from . import ladybug_links, ladybug_schema, ladybug_write
from .ladybug_conn import LadybugConnection
from .ladybug_reads import LadybugReads
from .ladybug_schema import META_TABLE
from .ladybug_traverse import LadybugTraversal
from .link_planning import LinkGroup, plan_links
from .planning import ObjectPlan, plan_objects
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

    def set_statement_timeout(self, seconds: float | None) -> None:
        self._conn.set_timeout(seconds)

    def interrupt(self) -> None:
        self._conn.interrupt()

    def recover(self) -> None:
        """Reopen the database: the engine keeps a full buffer pool full until it is closed."""
        self._conn.reopen()
        self._meta = None

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
        """One atomic write, planned in full before a transaction opens.

        A small write keeps to one engine thread: its statements each touch a
        row or two, and spreading one over the engine's threads only adds
        hand-offs between them.
        """
        size = len(batch.objects) + len(batch.links) + len(batch.system_objects)
        threads = 1 if is_small(size + len(batch.system_links)) else 0
        with self._conn.lock, self._conn.engine_threads(threads):
            session = ladybug_links.Session()
            planned = self._plan(batch, session, _quiet)
            with self._conn.transaction():
                return self._apply(session, planned, _quiet)

    def _plan(self, batch: WriteBatch, session: ladybug_links.Session, stage: Stage) -> _Planned:
        """Validate and plan the whole batch against the store; nothing is written here."""
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
            session.note_empty(conn, _type_names({rec.object_type for rec in batch.objects}))
        stage(f"checking {len(batch.objects):,} objects")
        plan, problems = plan_objects(batch.objects, fetch, now)
        stage(f"checking {len(batch.links):,} links")
        links, link_problems = plan_links(batch.links, plan.ids, exists)
        self._raise_problems(problems + link_problems)
        self._check_targets(batch)
        return _Planned(batch, plan, links, now)

    def _apply(
        self, session: ladybug_links.Session, planned: _Planned, stage: Stage
    ) -> WriteResult:
        """Write a checked plan inside the caller's open transaction (which rolls it all back)."""
        conn = self._conn
        assert conn.in_transaction, "plans are applied inside a transaction"
        plan, batch = planned.plan, planned.batch
        result = WriteResult(unchanged=plan.unchanged)
        new_ids = plan.new_ids()
        session.fresh |= new_ids
        try:
            if self._has_meta():
                _bump_revision(conn)
            stage("writing objects")
            ladybug_write.apply_objects(conn, plan)
            stage("writing links")
            ladybug_links.apply_links(conn, planned.links, session, result)
            result.unlinked += ladybug_links.apply_unlinks(conn, batch.unlinks)
            ladybug_write.apply_deletes(
                conn,
                batch.soft_deletes,
                batch.hard_deletes,
                batch.restores,
                batch.actor,
                planned.now,
                result,
            )
        except BaseException:
            session.fresh -= new_ids
            raise
        session.known |= plan.ids
        self.invalidate_lineage_cache()
        result.created = plan.created()
        result.updated = sum(len(rows) for rows in plan.changed.values())
        result.changed_ids = plan.changed_ids + result.changed_ids
        return result

    @staticmethod
    def _raise_problems(problems: list[Problem]) -> None:
        if problems:
            raise ValidationError(problems, suggestion="nothing was written; fix these and retry")

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

        Each batch of ``batch_size`` records is validated and planned in full,
        then written (plan, then COPY: nothing runs on a second thread), and one
        :class:`WriteResult` is yielded per batch as it is applied, but the
        commit comes once, after the last batch. The engine checkpoints at every
        commit that COPYed rows, and that cost grows with the store, so one
        commit is cheaper than many. One transaction also makes a failed or
        abandoned upsert (a bad batch, an exception in the consumer, a closed
        generator, a killed process) leave the store exactly as it was.
        Uncommitted rows live in memory, so a caller with far more data than
        RAM splits it into several upserts. The default batch is large because
        every batch adds COPY statements into tables that already hold rows,
        which costs more as the store grows.

        Batches share a :class:`~opencase.graph.ladybug_links.Session`, so links
        between objects this upsert created skip the "does it exist yet" lookups.
        The cyclic garbage collector is paused meanwhile (see :mod:`opencase.gcpause`).
        """
        session = ladybug_links.Session(bulk=True)
        report = stage or _quiet
        with self._conn.lock, gc_paused():
            try:
                with self._conn.transaction():
                    for batch in batches(objects, links, batch_size):
                        planned = self._plan(batch, session, report)
                        yield self._apply(session, planned, report)
                    report("committing")
            finally:
                self.invalidate_lineage_cache()


@dataclass
class _Planned:
    """A batch checked against the store: what to write, and the time it is written at."""

    batch: WriteBatch  # as admitted (system records among the others)
    plan: ObjectPlan
    links: list[LinkGroup]
    now: dt.datetime


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
