"""The filter language every listing speaks, and its translation to Cypher.

The API turns GraphQL ``where`` inputs into this small AST; both backends turn
the AST into one parameterised Cypher ``WHERE`` fragment here, so filter
semantics cannot drift between Ladybug and Neo4j. Property names are checked
against the ontology and link traversals use the ontology's relationship
types: no user text ever reaches the query text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Op = Literal["eq", "ne", "in", "contains", "starts_with", "gt", "gte", "lt", "lte", "is_null"]
OPS: tuple[Op, ...] = (
    "eq",
    "ne",
    "in",
    "contains",
    "starts_with",
    "gt",
    "gte",
    "lt",
    "lte",
    "is_null",
)


@dataclass(frozen=True)
class Cmp:
    """``property <op> value``; ``property`` is snake_case (or ``id``/``title``)."""

    property: str
    op: Op
    value: Any


@dataclass(frozen=True)
class And:
    items: tuple[Filter, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Filter, ...]


@dataclass(frozen=True)
class Not:
    item: Filter


@dataclass(frozen=True)
class LinkExists:
    """Some (``negate=False``) or no (``negate=True``) linked object matches ``where``.

    ``field`` is a link field name of the filtered type (``versions``), so the
    link type and direction come from the ontology.
    """

    field: str
    where: Filter | None = None
    negate: bool = False


Filter = Cmp | And | Or | Not | LinkExists


@dataclass
class Params:
    """Collects query parameters under generated names (``p0``, ``p1``...)."""

    values: dict[str, Any] = field(default_factory=dict)

    def add(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return name
