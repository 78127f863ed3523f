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

    def shortest_path(
        self, source_label: str, target_label: str, max_depth: int, node_filter: str
    ) -> str:
        """One shortest path between ``$source`` and ``$target``, links in either direction.

        Returns ``ids`` and ``titles`` of the nodes in order, their engine-internal
        ``iids``, and per link its type (``rel_types``) and its source's internal id
        (``rel_sources``).
        ``node_filter`` is a predicate on the variable ``x`` every inner node must meet.
        (Whole nodes are not returned: Ladybug 0.22 mis-decodes a path's nodes of
        different tables.)
        """
        return (
            f"MATCH p = (a:{ident(source_label)} {{id: $source}})"
            f"-[* SHORTEST 1..{int(max_depth)} (r, x | WHERE {node_filter})]-"
            f"(b:{ident(target_label)} {{id: $target}}) "
            "RETURN properties(nodes(p), 'id') AS ids, "
            "properties(nodes(p), 'sys_title') AS titles, properties(nodes(p), '_ID') AS iids, "
            "list_transform(rels(p), y -> label(y)) AS rel_types, "
            "properties(rels(p), '_SRC') AS rel_sources LIMIT 1"
        )


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

    def shortest_path(
        self, source_label: str, target_label: str, max_depth: int, node_filter: str
    ) -> str:
        """Returns whole ``nodes`` and ``rels`` (the Neo4j store decodes them itself)."""
        return (
            f"MATCH (a:{ident(source_label)} {{id: $source}}), "
            f"(b:{ident(target_label)} {{id: $target}}) "
            f"MATCH p = shortestPath((a)-[*1..{int(max_depth)}]-(b)) "
            f"WHERE all(x IN nodes(p)[1..-1] WHERE {node_filter}) "
            "RETURN nodes(p) AS nodes, relationships(p) AS rels LIMIT 1"
        )


LADYBUG = Dialect()
NEO4J = Neo4jDialect()
