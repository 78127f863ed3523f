"""Every query of docs/seed-questions.md, run on the demo graph, answers as documented.

The page is parsed here (each ``graphql`` block and the ``json`` block after it),
so the documentation and the test cannot drift apart: editing a query or the
demo data without updating the documented answer fails.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from apikit import DemoApi

PAGE = Path(__file__).resolve().parents[2] / "docs" / "seed-questions.md"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^### (.+)$", re.MULTILINE)


def questions(text: str) -> list[tuple[str, str, Any]]:
    """(question, query, documented answer) for each graphql block followed by a json block."""
    found = []
    blocks = [(m.start(), m[1], m[2]) for m in _BLOCK.finditer(text)]
    for i, (at, kind, body) in enumerate(blocks):
        if kind != "graphql":
            continue
        _, next_kind, answer = blocks[i + 1] if i + 1 < len(blocks) else (at, "", "")
        assert next_kind == "json", f"the query at offset {at} has no json answer after it"
        heading = [h[1] for h in _HEADING.finditer(text, 0, at)]
        found.append((heading[-1] if heading else "?", body, json.loads(answer)))
    return found


QUESTIONS = questions(PAGE.read_text(encoding="utf-8"))


def _leaves(value: Any) -> int:
    """How many non-null scalar values an answer holds."""
    if isinstance(value, dict):
        return sum(_leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(_leaves(v) for v in value)
    return 0 if value is None else 1


def test_the_page_asks_every_seed() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for seed in ("Seed 000", "Seed 001", "Seed 002", "Seed 003", "Seed 004"):
        assert f"## {seed}" in text
    assert len(QUESTIONS) >= 25
    assert all(query.count("{") == query.count("}") for _, query, _ in QUESTIONS)


@pytest.mark.parametrize(
    ("question", "query", "answer"), QUESTIONS, ids=[q for q, _, _ in QUESTIONS]
)
def test_question_is_answered_as_documented(
    demo: DemoApi, question: str, query: str, answer: Any
) -> None:
    data = demo.data(query)
    assert _leaves(data) > 0, f"{question}: the demo graph gives an empty answer"
    assert data == answer, f"{question}: the answer differs from docs/seed-questions.md"
