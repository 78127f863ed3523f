"""One Neo4j driver per store, with every driver error mapped to ours at this boundary.

Reads go through ``session.execute_read`` and writes through
``session.execute_write`` (managed transactions: the driver retries transient
failures and routes reads to followers on a ``neo4j://`` cluster). Values come
back as plain Python (``neo4j.time`` types made native, nodes as dicts with a
``_LABEL`` key), the same shape the embedded engine returns, so the
shared value conversions in :mod:`opencase.graph.columns` apply to both.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as nx

from opencase.errors import (
    GraphStoreError,
    StoreCapacityError,
    StoreInterruptedError,
    StoreUnavailableError,
)
from opencase.queries.dialect import Neo4jDialect

#: The label every OpenCase node carries besides its type, for a global id lookup.
COMMON_LABEL = "OntologyObject"

T = TypeVar("T")


class OpenCaseNeo4jDialect(Neo4jDialect):
    """Nodes carry two labels here; the type label is the one that is not ``OntologyObject``."""

    def label(self, var: str) -> str:
        return f"head([x IN labels({var}) WHERE x <> '{COMMON_LABEL}'])"


DIALECT = OpenCaseNeo4jDialect()


def map_error(exc: Exception, uri: str) -> GraphStoreError:
    """Our error for a driver error; unreachable or refused logins are StoreUnavailableError."""
    if isinstance(exc, nx.AuthError):
        return StoreUnavailableError(
            f"Neo4j at {uri} refused the credentials",
            suggestion="set NEO4J_USER and NEO4J_PASSWORD to a valid login",
        )
    if isinstance(exc, nx.ServiceUnavailable | nx.SessionExpired | OSError):
        return StoreUnavailableError(
            f"cannot reach Neo4j at {uri}: {exc}",
            suggestion="check that the server runs and the URI (bolt:// or neo4j://) is right",
        )
    if isinstance(exc, nx.ConfigurationError):
        return StoreUnavailableError(f"bad Neo4j URI or settings {uri}: {exc}")
    code = getattr(exc, "code", None) or ""
    if "TransactionTimedOut" in code or code.endswith(("Terminated", "TransactionMarkedAsFailed")):
        return StoreInterruptedError(
            "the statement was stopped at the time limit",
            suggestion="ask for less: lower depth, maxNodes or first, or filter more",
        )
    if "OutOfMemory" in code or "MemoryPool" in code:
        return StoreCapacityError(
            "the graph store ran out of memory for this statement",
            suggestion="ask for less at once, or give Neo4j more transaction memory",
        )
    if isinstance(exc, nx.Neo4jError):
        return GraphStoreError(f"Neo4j refused the statement: {exc.message or exc}")
    return GraphStoreError(f"the Neo4j driver failed: {exc}")


def native(value: Any) -> Any:
    """A driver value as plain Python: nodes/relationships as dicts, temporal types native."""
    if isinstance(value, neo4j.graph.Node):
        out = {k: native(v) for k, v in value.items()}
        out["_LABEL"] = next((x for x in value.labels if x != COMMON_LABEL), None)
        out["_ID"] = value.element_id
        return out
    if isinstance(value, neo4j.graph.Relationship):
        out = {k: native(v) for k, v in value.items()}
        out["_LABEL"] = value.type
        out["_SRC"] = value.start_node.element_id if value.start_node else None
        out["_DST"] = value.end_node.element_id if value.end_node else None
        return out
    if isinstance(value, list):
        return [native(v) for v in value]
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


class Neo4jConnection:
    """A driver, its credentials and database, and read/write helpers returning plain rows."""

    def __init__(self, uri: str, *, timeout: float = 5.0) -> None:
        self.uri = uri
        user = os.environ.get("NEO4J_USER", "neo4j")
        password = os.environ.get("NEO4J_PASSWORD", "")
        self.database = os.environ.get("NEO4J_DATABASE") or None
        #: the server-side time limit of every transaction (None: Neo4j's own setting)
        self.tx_timeout: float | None = None
        try:
            self.driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=timeout,
                connection_acquisition_timeout=timeout * 2,
                max_transaction_retry_time=timeout * 3,
            )
            self.driver.verify_connectivity()
        except Exception as exc:
            driver = getattr(self, "driver", None)
            if driver is not None:
                driver.close()
            raise map_error(exc, uri) from exc

    def _session(self) -> neo4j.Session:
        return self.driver.session(database=self.database)

    def rows(self, query: str, params: Mapping[str, Any] | None = None) -> list[list[Any]]:
        """Run one read query in a read transaction; every value made native."""

        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            return [[native(v) for v in rec.values()] for rec in tx.run(query, dict(params or {}))]

        return self.read(work)

    def _timed(self, work: Callable[[neo4j.ManagedTransaction], T]) -> Any:
        """``work`` with the transaction time limit, which Neo4j enforces on the server."""
        if self.tx_timeout is None:
            return work
        return neo4j.unit_of_work(timeout=self.tx_timeout)(work)

    def read(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        try:
            with self._session() as session:
                return session.execute_read(self._timed(work))
        except (nx.Neo4jError, nx.DriverError, OSError) as exc:
            raise map_error(exc, self.uri) from exc

    def write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """``work`` runs in one write transaction (all or nothing; retried if transient)."""
        try:
            with self._session() as session:
                return session.execute_write(self._timed(work))
        except (nx.Neo4jError, nx.DriverError, OSError) as exc:
            raise map_error(exc, self.uri) from exc

    def run_schema(self, statement: str) -> None:
        """An auto-commit statement: schema changes and ``CALL ... IN TRANSACTIONS`` need one."""
        try:
            with self._session() as session:
                session.run(statement).consume()
        except (nx.Neo4jError, nx.DriverError, OSError) as exc:
            raise map_error(exc, self.uri) from exc

    def close(self) -> None:
        self.driver.close()


def tx_rows(
    tx: neo4j.ManagedTransaction, query: str, params: Mapping[str, Any] | None = None
) -> list[list[Any]]:
    """Rows of one statement inside a write transaction."""
    return [[native(v) for v in rec.values()] for rec in tx.run(query, dict(params or {}))]
