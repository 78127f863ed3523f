"""Neo4j's own Cypher parser (``@neo4j-cypher/language-support``), for the Neo4j tests.

One ``node`` process lints a whole list of statements: the parser takes seconds
to start, so tests gather what they check and lint it in one call.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from opencase.graph.neo4j_conn import COMMON_LABEL
from opencase.ontology import ONTOLOGY

PARSER = Path(__file__).parent / "cypher_parser"
needs_parser = pytest.mark.skipif(
    not (
        shutil.which("node") and (PARSER / "node_modules/@neo4j-cypher/language-support").is_dir()
    ),
    reason="Neo4j's Cypher parser missing: run scripts/setup.d/26-cypher-parser.sh (needs npm)",
)


def lint(items: list[dict[str, Any]], parameters: Iterable[str] = ()) -> list[list[dict[str, Any]]]:
    """Diagnostics per item ({"text", "console"}): severity 1 is an error, 2 a warning."""
    schema = {
        "labels": [ot.name for ot in ONTOLOGY.object_types] + [COMMON_LABEL],
        "relationshipTypes": [lt.rel_type for lt in ONTOLOGY.link_types],
        "parameters": {name: "" for name in parameters},
    }
    done = subprocess.run(
        ["node", "parse.mjs"],
        input=json.dumps({"schema": schema, "items": items}),
        capture_output=True,
        text=True,
        cwd=PARSER,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: list[list[dict[str, Any]]] = json.loads(done.stdout)
    return result
