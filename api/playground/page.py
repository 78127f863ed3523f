"""The playground page: GraphiQL with React from ``vendor/``, never from a CDN.

Strawberry's own GraphiQL page loads its scripts from a CDN and renders blank
without internet access. ``scripts/setup.d/20-playground-assets.sh`` puts the
UMD builds into ``vendor/`` (git-ignored); when they are missing the page says
so and how to fetch them, instead of rendering an empty screen.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

HERE = Path(__file__).parent
VENDOR_DIR = HERE / "vendor"
#: URL prefix the app mounts VENDOR_DIR under.
VENDOR_URL = "/playground/vendor"
ASSETS = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
)

DEFAULT_QUERY = """# OpenCase GraphQL playground. Press Ctrl-Enter (or the run button) to run.
# Mutations need a write key: add {"X-API-Key": "oc_..."} in the Headers pane.
{
  modelWorks(first: 5) {
    totalCount
    edges { node { id title acFamily versions { totalCount } } }
  }
}
"""


def assets_present() -> bool:
    return all((VENDOR_DIR / name).is_file() for name in ASSETS)


@cache
def _template(name: str) -> Template:
    return Template((HERE / name).read_text(encoding="utf-8"))


def playground_html() -> str:
    if not assets_present():
        missing = ", ".join(n for n in ASSETS if not (VENDOR_DIR / n).is_file())
        return _template("missing.html").substitute(missing=missing, vendor=str(VENDOR_DIR))
    import json

    return _template("graphiql.html").substitute(
        vendor=VENDOR_URL, default_query=json.dumps(DEFAULT_QUERY)
    )
