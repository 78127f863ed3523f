"""Serves /explore: one HTML shell for every deep link, its own script and style, and
the libraries ``scripts/setup.d/25-explore-assets.sh`` fetched from npm.

The page reads and writes through ``/graphql`` only, like any other client;
the shell carries what is not data: the palette generated from the ontology
and the overview's chart list. Every path under /explore returns the same
shell, so a deep link (``/explore/lineage/<id>``) survives a reload; the
script reads the path. When the libraries are missing the shell says so and
how to fetch them, instead of drawing an empty page.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from string import Template

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from opencase.ontology.generators.palette import palette_json

from .charts import charts

HERE = Path(__file__).parent
VENDOR_DIR = HERE / "vendor"
STATIC_DIR = HERE / "static"
#: The libraries the page loads (axe.min.js is fetched too, for the accessibility test).
ASSETS = ("dagre.min.js",)

router = APIRouter(include_in_schema=False)


def assets_present(vendor: Path | None = None) -> bool:
    return all(((vendor or VENDOR_DIR) / name).is_file() for name in ASSETS)


@cache
def _template(name: str) -> Template:
    return Template((HERE / name).read_text(encoding="utf-8"))


def _config() -> str:
    """The page's settings as JSON that is safe inside a <script> element."""
    text = json.dumps({"palette": palette_json(), "charts": charts(), "base": "/explore"})
    return text.replace("<", "\\u003c")


@cache
def _version() -> str:
    """A digest of the page's own files, appended to their URLs so a browser never runs a
    cached script from another version of the page."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.iterdir()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def explore_html() -> str:
    import opencase.api.explore.page as me  # the tests point VENDOR_DIR elsewhere

    if not assets_present(me.VENDOR_DIR):
        missing = ", ".join(n for n in ASSETS if not (me.VENDOR_DIR / n).is_file())
        return _template("missing.html").substitute(missing=missing, vendor=str(me.VENDOR_DIR))
    return _template("index.html").substitute(config=_config(), v=_version())


@router.get("/explore")
@router.get("/explore/{rest:path}")
async def explore(rest: str = "") -> HTMLResponse:
    return HTMLResponse(explore_html())


def install(app: FastAPI) -> None:
    """Mount the assets before the catch-all route (Starlette matches in order)."""
    app.mount("/explore/static", StaticFiles(directory=STATIC_DIR), name="explore-static")
    app.mount(
        "/explore/vendor", StaticFiles(directory=VENDOR_DIR, check_dir=False), name="explore-vendor"
    )
    app.include_router(router)
