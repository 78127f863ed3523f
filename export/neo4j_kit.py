"""The Neo4j Browser kit: a style file, a guide and favourites, generated from the ontology.

``opencase neo4j-kit DIR`` writes it; the API serves the same files at
``/neo4j/`` (with CORS, so Neo4j Browser can ``:play`` the guide from there);
the compose file mounts it into the Neo4j container. Everything comes from
the ontology: the colours and captions from the palette (the explorer's),
the questions from :mod:`.neo4j_questions`.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from opencase.errors import OpenCaseError
from opencase.ontology.generators.grass import GrassGenerator

from .neo4j_questions import QUESTIONS, Question, param_literal

GRASS = "opencase.grass"
GUIDE = "guide.html"
ALL_QUERIES = "questions.cypher"


def params_script(question: Question) -> str:
    """The ``:param`` commands that set a question's parameters in Neo4j Browser."""
    return "\n".join(f":param {k} => {param_literal(v)};" for k, v in question.params.items())


def favourite(question: Question) -> str:
    """One favourite: its title as a comment (the Browser shows it), parameters, the query."""
    head = f"// {question.title} ({question.source})\n"
    return head + params_script(question) + "\n" + question.cypher + ";\n"


def _slide(q: Question) -> str:
    params = html.escape(params_script(q).replace(";", ""))
    body = html.escape(q.cypher)
    where = "" if q.embedded else " Neo4j only."
    return (
        '<slide class="row-fluid"><div class="col-sm-12">\n'
        f"<h3>{html.escape(q.title)}</h3>\n"
        f"<p>Asked in {html.escape(q.source)}.{where} Set the parameters, then run the query "
        "(click a block to copy it into the editor).</p>\n"
        f'<pre class="pre-scrollable code runnable">{params}</pre>\n'
        f'<pre class="pre-scrollable code runnable">{body}</pre>\n'
        "</div></slide>\n"
    )


def guide_html() -> str:
    """A Neo4j Browser guide (``:play <url>``): one slide per question."""
    intro = (
        '<slide class="row-fluid"><div class="col-sm-12">\n'
        "<h3>OpenCase in Neo4j Browser</h3>\n"
        "<p>Every object is a node with its object type as label (and the common label "
        "<code>OntologyObject</code>); every link is a relationship named after its link type. "
        f"Drag <code>{GRASS}</code> onto the Browser to colour nodes like the OpenCase explorer. "
        "The next slides are the questions the customer asked, as parameterised Cypher.</p>\n"
        "</div></slide>\n"
    )
    slides = intro + "".join(_slide(q) for q in QUESTIONS)
    return (
        '<article class="guide">\n<carousel class="deck container-fluid">\n'
        f"{slides}</carousel>\n</article>\n"
    )


def kit_files() -> dict[str, str]:
    """Relative path -> text of every file of the kit."""
    files = {
        GRASS: GrassGenerator().serialize(),
        GUIDE: guide_html(),
        ALL_QUERIES: "\n".join(favourite(q) for q in QUESTIONS),
    }
    for i, q in enumerate(QUESTIONS, 1):
        files[f"favorites/{i:02d}-{q.key}.cypher"] = favourite(q)
    return files


def write_kit(directory: Path) -> list[Path]:
    """Write the kit into ``directory`` (created if needed); returns the files written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in kit_files().items():
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
    except OSError as exc:
        raise OpenCaseError(
            f"cannot write the Neo4j Browser kit to {directory}: {exc.strerror or exc}",
            suggestion="pick a directory you can write to",
        ) from exc
    return written


router = APIRouter(tags=["neo4j"])
_CORS = {"Access-Control-Allow-Origin": "*"}


@router.get("/neo4j/", summary="The Neo4j Browser kit (style file, guide, favourites)")
async def kit_index() -> HTMLResponse:
    items = "".join(
        f'<li><a href="/neo4j/{html.escape(name)}">{html.escape(name)}</a></li>'
        for name in kit_files()
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>OpenCase: Neo4j Browser kit</title></head><body><main>"
        "<h1>Neo4j Browser kit</h1>"
        f"<p>In Neo4j Browser run <code>:play http://HOST:PORT/neo4j/{GUIDE}</code> for the guide, "
        f"drag <code>{GRASS}</code> onto the Browser for the colours, "
        "and import the favourites.</p>"
        f"<ul>{items}</ul></main></body></html>"
    )
    return HTMLResponse(page, headers=_CORS)


@router.get("/neo4j/{name:path}", include_in_schema=False)
async def kit_file(name: str) -> Response:
    files = kit_files()
    if name not in files:
        return PlainTextResponse(f"no file {name!r} in the Neo4j Browser kit", status_code=404)
    if name.endswith(".html"):
        return HTMLResponse(files[name], headers=_CORS)
    return PlainTextResponse(files[name], headers=_CORS)
