"""The few places where Ladybug (Kuzu) Cypher and Neo4j 5 Cypher differ.

Every query builder in ``queries/`` writes the common subset and asks a
:class:`Dialect` for the rest, so a backend differs from another by one small
subclass instead of a second set of queries.
"""

from __future__ import annotations

from typing import Any

from opencase.ontology import Property


def ident(name: str) -> str:
    """Quote an identifier taken from the ontology (``date`` and ``type`` are keywords)."""
    return f"`{name}`"


class Dialect:
    """Ladybug/Kuzu spelling; :class:`Neo4jDialect` overrides what Neo4j spells differently."""

    name = "ladybug"

    def lower(self, expr: str) -> str:
        return f"lower({expr})"

    def label(self, var: str) -> str:
        """The node's table/label name (one label per node in both backends)."""
        return f"label({var})"

    def rel_type(self, var: str) -> str:
        """The relationship's type name."""
        return f"label({var})"

    def param_value(self, prop: Property, value: Any) -> Any:
        """A filter value in the form the engine compares against the stored column."""
        from opencase.graph.columns import to_storage

        return to_storage(prop, value)


class Neo4jDialect(Dialect):
    """Neo4j 5 spelling of the same operations."""

    name = "neo4j"

    def lower(self, expr: str) -> str:
        return f"toLower({expr})"

    def label(self, var: str) -> str:
        return f"labels({var})[0]"

    def rel_type(self, var: str) -> str:
        return f"type({var})"

    def param_value(self, prop: Property, value: Any) -> Any:
        return value


LADYBUG = Dialect()
NEO4J = Neo4jDialect()
