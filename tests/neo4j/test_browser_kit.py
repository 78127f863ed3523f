"""The Neo4j Browser kit: generated from the ontology, parsed by Neo4j's own Cypher parser,
run on the embedded store where the dialects agree, written by the CLI and served at /neo4j/."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cypher_lint import lint, needs_parser
from fastapi import FastAPI
from typer.testing import CliRunner

from opencase.cli import app
from opencase.export.neo4j_kit import GRASS, GUIDE, favourite, kit_files
from opencase.export.neo4j_kit import router as kit_router
from opencase.export.neo4j_questions import QUESTIONS
from opencase.graph import GraphStore, open_store
from opencase.graph.neo4j_conn import COMMON_LABEL
from opencase.loaders.demo import build_demo
from opencase.ontology import ONTOLOGY
from opencase.ontology.generators.palette import palette


def _grass_rules(text: str) -> dict[str, dict[str, str]]:
    rules = {}
    for selector, body in re.findall(r"([\w.\-]+)\s*\{((?:[^{}]|\{[^{}]*\})*)\}", text):
        rules[selector] = dict(
            (k.strip(), v.strip())
            for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
    return rules


def test_the_style_file_colours_and_captions_every_label_from_the_palette() -> None:
    rules = _grass_rules(kit_files()[GRASS])
    assert {"node", "relationship"} <= set(rules)
    for swatch in palette():
        rule = rules[f"node.{swatch.name}"]
        assert rule["color"] == swatch.fill.upper()
        assert rule["border-color"] == swatch.stroke.upper()
        assert rule["caption"] == "'{" + ONTOLOGY.object_type(swatch.name).title_property + "}'"
    labels = {s.split(".", 1)[1] for s in rules if s.startswith("node.")}
    assert labels == {ot.name for ot in ONTOLOGY.object_types}
    rel_types = {s.split(".", 1)[1] for s in rules if s.startswith("relationship.")}
    assert rel_types <= {lt.rel_type for lt in ONTOLOGY.link_types}


def test_the_guide_has_a_slide_per_question_with_its_parameters() -> None:
    guide = kit_files()[GUIDE]
    assert guide.count("<slide") == len(QUESTIONS) + 1
    for q in QUESTIONS:
        for name in q.params:
            assert f":param {name} =&gt;" in guide, (q.key, name)


def _lint(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return lint(items, (name for q in QUESTIONS for name in q.params))


BROKEN = "MATCH (n:ModelWork RETURN n"
UNKNOWN = "MATCH (n:NoSuchLabel) RETURN n"


@pytest.fixture(scope="module")
def linted() -> list[tuple[str, list[dict[str, Any]]]]:
    """Every favourite (its parameters, then the question's query) through the parser in one
    run (the parser takes seconds to start), plus two queries it must object to."""
    items = [{"text": favourite(q), "console": True} for q in QUESTIONS]
    items += [{"text": BROKEN}, {"text": UNKNOWN}]
    return [(i["text"], d) for i, d in zip(items, _lint(items), strict=True)]


@needs_parser
def test_neo4js_parser_accepts_every_favourite_without_a_warning(linted: Any) -> None:
    for text, diagnostics in linted[:-2]:
        assert diagnostics == [], (text, diagnostics)


@needs_parser
def test_the_parser_would_catch_a_broken_query_or_an_unknown_label(linted: Any) -> None:
    (_, broken), (_, unknown) = linted[-2:]
    assert any(d["severity"] == 1 for d in broken)
    assert any("NoSuchLabel" in d["message"] for d in unknown)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with open_store(str(tmp_path_factory.mktemp("kit") / "graph")) as store:
        store.install_schema()
        build_demo(store)
        yield store


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.embedded], ids=lambda q: q.key)
def test_each_question_runs_on_the_embedded_demo_graph(demo_store: Any, question: Any) -> None:
    """The embedded engine speaks the same Cypher for these: each finds the demo's answer."""
    rows = demo_store._conn.rows(question.cypher, question.params)
    assert rows, question.key


def test_neo4j_only_questions_are_the_ones_using_neo4j_features() -> None:
    for q in QUESTIONS:
        neo4j_only = "apoc." in q.cypher or "shortestPath" in q.cypher or COMMON_LABEL in q.cypher
        assert q.embedded is not neo4j_only, q.key


def test_the_cli_writes_the_kit_and_the_api_serves_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["neo4j-kit", str(tmp_path / "kit")])
    assert result.exit_code == 0, result.output
    files = kit_files()
    for name, text in files.items():
        assert (tmp_path / "kit" / name).read_text(encoding="utf-8") == text
    assert len(list((tmp_path / "kit" / "favorites").glob("*.cypher"))) == len(QUESTIONS)
    served = FastAPI()
    served.include_router(kit_router)

    async def get_all() -> dict[str, httpx.Response]:
        transport = httpx.ASGITransport(app=served)
        async with httpx.AsyncClient(transport=transport, base_url="http://kit") as client:
            names = ["", *files, "nothing.txt"]
            return {name: await client.get(f"/neo4j/{name}") for name in names}

    responses = asyncio.run(get_all())
    assert responses[""].status_code == 200 and GUIDE in responses[""].text
    for name, text in files.items():
        assert responses[name].status_code == 200 and responses[name].text == text
        assert responses[name].headers["access-control-allow-origin"] == "*"
    assert responses["nothing.txt"].status_code == 404
