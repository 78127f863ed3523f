"""Every read statement the stores build, in the Neo4j dialect, passes Neo4j's own parser.

The reads are shared by both backends (``queries/``), and Neo4j cannot run on
the machines the suite runs on, so the builders' text is linted by
``@neo4j-cypher/language-support``: each builder (projections, filters, sort
keys, limits, link properties) for a spread of object and link types (three
with link properties among them, two targets of each). The parser takes about
a quarter of a second per statement, hence a spread, not every type.
"""

from __future__ import annotations

from typing import Any

import pytest
from cypher_lint import lint, needs_parser

from opencase.graph.store import OrderBy
from opencase.ontology import ONTOLOGY
from opencase.ontology.model import PropertyType
from opencase.queries import objects as q
from opencase.queries import traversal
from opencase.queries.dialect import NEO4J
from opencase.queries.filters import Cmp

#: Every how-manieth object and link type gets every builder.
SPREAD = 7


def _statements() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for ot in ONTOLOGY.object_types[::SPREAD]:
        out.append(q.get_by_ids(ot, ["x"], include_deleted=False))
        text = next((p for p in ot.properties if p.type is PropertyType.STRING), None)
        where = Cmp(text.name, "eq", "x") if text else None
        order = [OrderBy(text.name, descending=True)] if text else []
        out.append(
            q.list_objects(
                ot,
                where,
                order,
                after_id=None,
                skip=0,
                limit=5,
                include_deleted=False,
                dialect=NEO4J,
            )
        )
        out.append(
            q.list_objects(
                ot, None, (), after_id="x", skip=0, limit=5, include_deleted=True, dialect=NEO4J
            )
        )
        out.append(q.count_objects(ot, where, False, NEO4J))
        out.append(q.search(ot, "x", 5, NEO4J))
        out.append(q.scan(ot, "x", 5, include_deleted=False))
    with_properties = [lt for lt in ONTOLOGY.link_types if lt.properties][:3]
    for lt in [*ONTOLOGY.link_types[::SPREAD], *with_properties]:
        source = ONTOLOGY.object_type(lt.source)
        for target_name in lt.targets[:2]:
            target = ONTOLOGY.object_type(target_name)
            props = [p.name for p in lt.properties]
            for outgoing, anchor, other in ((True, source, target), (False, target, source)):
                out.append(
                    traversal.neighbours(
                        anchor,
                        lt.rel_type,
                        outgoing,
                        other,
                        ["x"],
                        None,
                        (),
                        NEO4J,
                        limit=1,
                        link_properties=props,
                    )
                )
                ids_only = traversal.neighbour_ids(anchor, lt.rel_type, outgoing, other)
                out.append((ids_only, {"ids": ["x"]}))
    for ot in ONTOLOGY.object_types[::SPREAD]:
        for outgoing in (True, False):
            out.append((traversal.lineage_level(ot, None, outgoing, NEO4J), {"ids": ["x"]}))
    return out


@pytest.fixture(scope="module")
def linted() -> list[tuple[str, list[dict[str, Any]]]]:
    statements = _statements()
    names = {name for _, params in statements for name in params}
    items = [{"text": text} for text, _ in statements]
    return [(i["text"], d) for i, d in zip(items, lint(items, names), strict=True)]


@needs_parser
def test_neo4js_parser_accepts_every_read_statement(linted: Any) -> None:
    assert len(linted) > 50
    errors = [(text, d) for text, diags in linted for d in diags if d["severity"] == 1]
    assert errors == [], errors[:3]
