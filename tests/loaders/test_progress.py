"""Long loads say what they are doing: the store's stages reach the progress bar."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from bench.generate import generate
from opencase.graph import open_store
from opencase.loaders import progress as progress_module
from opencase.loaders.progress import LoadProgress


def test_a_bulk_upsert_names_its_stages_in_order(tmp_path: Path) -> None:
    objects, links = generate(300, seed=2)
    seen: list[str] = []
    with open_store(str(tmp_path / "g")) as store:
        store.install_schema()
        results = list(store.upsert(objects, links, stage=seen.append))
    assert sum(r.created for r in results) == len(objects)
    assert seen == [
        f"checking {len(objects):,} objects",
        f"checking {len(links):,} links",
        "writing objects",
        "writing links",
        "committing",
    ]


def test_the_bar_shows_the_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with LoadProgress(console=console) as bar:
        bar.phase("writing", 10)
        bar.stage("committing")
        bar.advance(10)
    assert "writing: committing" in out.getvalue()


def test_a_quiet_bar_ignores_stages() -> None:
    out = io.StringIO()
    with LoadProgress(enabled=False, console=Console(file=out)) as bar:
        bar.phase("writing", 10)
        bar.stage("committing")
    assert out.getvalue() == ""
