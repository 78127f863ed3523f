"""Loader test helpers: the sample files, and CSV text written exactly as given."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from opencase.graph import GraphStore, open_store

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def write_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write text byte-exactly (no newline translation), so CRLF and BOM tests mean it."""

    def write(name: str, text: str, *, bom: bool = False) -> Path:
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    return write


@pytest.fixture(scope="module")
def module_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """One store for a module whose tests only add distinct data (fuzzing)."""
    with open_store(str(tmp_path_factory.mktemp("graph") / "g")) as store:
        store.install_schema()
        yield store
