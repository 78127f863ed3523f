"""The Neo4j graph store: the same :class:`GraphStore` contract on a Neo4j 5 server.

``bolt://`` (one server) and ``neo4j://`` (cluster routing) URIs, with
credentials from ``NEO4J_USER`` / ``NEO4J_PASSWORD``. Writes are planned by
the backend-neutral :mod:`opencase.graph.planning` and applied in one write
transaction per batch (:mod:`opencase.graph.neo4j_write`); reads use the shared
Cypher builders of :mod:`opencase.queries` with the Neo4j dialect, each in a read
transaction. Nodes carry their type label plus ``OntologyObject``; schema and
the choice of plain constraints over neomodel's installer are in
:mod:`opencase.graph.neo4j_schema`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from opencase.errors import ValidationError, problems_error
from opencase.ontology import ONTOLOGY, ObjectType
from opencase.queries import objects as q
from opencase.queries.dialect import ident

from . import neo4j_write
from .columns import column, from_storage
from .cypher_reads import _by_type, object_from_row
from .link_planning import plan_links
from .neo4j_conn import COMMON_LABEL, Neo4jConnection, tx_rows
from .neo4j_reads import Neo4jReads
from .neo4j_schema import schema_statements
from .neo4j_traverse import Neo4jTraversal
from .planning import plan_objects
from .store import (
    GraphStore,
    StoredObject,
    WriteBatch,
    WriteResult,
)
from .system_guard import admit


class Neo4jStore(Neo4jReads, Neo4jTraversal, GraphStore):
    """A Neo4j 5 database reached through the official driver."""

    backend = "neo4j"

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self._conn = Neo4jConnection(uri)

    # ---- lifecycle -----------------------------------------------------------------------

    def install_schema(self) -> list[str]:
        have = {r[0] for r in self._conn.rows("SHOW CONSTRAINTS YIELD name RETURN name")}
        have |= {r[0] for r in self._conn.rows("SHOW INDEXES YIELD name RETURN name")}
        changes = []
        for name, statement in schema_statements():
            if name not in have:
                self._conn.run_schema(statement)
                kind = "constraint" if statement.startswith("CREATE CONSTRAINT") else "index"
                changes.append(f"created {kind} {name}")
        return changes

    def close(self) -> None:
        self._conn.close()

    def set_statement_timeout(self, seconds: float | None) -> None:
        self._conn.tx_timeout = seconds or None

    def probe(self) -> None:
        self._conn.rows("RETURN 1")

    def clear(self) -> None:
        """Delete every OpenCase node and its links (test suites and demos start clean).

        Not part of :class:`GraphStore`: an embedded store is cleared by deleting its
        directory, a server needs a statement. Batched so a large graph does not
        build one huge transaction.
        """
        self._conn.run_schema(
            f"MATCH (n:{ident(COMMON_LABEL)}) "
            "CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        )

    # ---- writes --------------------------------------------------------------------------

    def write(self, batch: WriteBatch) -> WriteResult:
        now = dt.datetime.now(dt.UTC)
        batch = admit(batch)
        plan, problems = plan_objects(batch.objects, self._fetch, now, hold_moves=batch.hold_moves)
        links, link_problems = plan_links(batch.links, plan.ids, self._existing)
        problems += link_problems
        for key in batch.unlinks:
            try:
                ONTOLOGY.link_type(key.link_type)
                ONTOLOGY.type_of_id(key.source_id)
                ONTOLOGY.type_of_id(key.target_id)
            except Exception as exc:
                raise ValidationError(f"cannot unlink {key}: {exc}") from exc
        if problems:
            raise problems_error(problems, "nothing was written; fix these and retry")

        def work(tx: Any) -> WriteResult:
            result = WriteResult(unchanged=plan.unchanged)  # fresh on every retry
            for ids, what in (
                (batch.soft_deletes, "delete"),
                (batch.hard_deletes, "delete"),
                (batch.restores, "restore"),
            ):
                if ids:
                    neo4j_write.check_exist(tx, ids, what)
            neo4j_write.apply_objects(tx, plan)
            neo4j_write.apply_links(tx, links, result)
            result.unlinked = neo4j_write.apply_unlinks(tx, batch.unlinks)
            neo4j_write.apply_deletes(
                tx,
                batch.soft_deletes,
                batch.hard_deletes,
                batch.restores,
                batch.actor,
                now,
                result,
            )
            return result

        result = self._conn.write(work)
        result.created = plan.created()
        result.updated = sum(len(rows) for rows in plan.changed.values())
        result.changed_ids = plan.changed_ids + result.changed_ids
        result.held = plan.held
        return result

    def _fetch(
        self, ot: ObjectType, ids: list[str], columns: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        cols = ", ".join(f"n.`{c}`" for c in columns)
        rows = self._conn.rows(
            f"UNWIND $ids AS i MATCH (n:`{ot.name}` {{id: i}}) RETURN n.id, {cols}", {"ids": ids}
        )
        return {
            r[0]: {
                c: from_storage(column(ot.name, c), v) for c, v in zip(columns, r[1:], strict=True)
            }
            for r in rows
        }

    def _existing(self, ot: ObjectType, ids: list[str]) -> set[str]:
        query = f"UNWIND $ids AS i MATCH (n:`{ot.name}` {{id: i}}) RETURN n.id"
        return {r[0] for r in self._conn.rows(query, {"ids": ids})}

    # ---- reads ---------------------------------------------------------------------------

    def get(self, ids: Sequence[str], *, include_deleted: bool = False) -> dict[str, StoredObject]:
        statements = [
            (ONTOLOGY.object_type(type_name), group) for type_name, group in _by_type(ids).items()
        ]

        def work(tx: Any) -> dict[str, StoredObject]:
            out = {}
            for ot, group in statements:
                for row in tx_rows(tx, *q.get_by_ids(ot, group, include_deleted)):
                    out[row[0]] = object_from_row(row, ot)
            return out

        return self._conn.read(work) if statements else {}
