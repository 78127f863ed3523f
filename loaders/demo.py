"""The demo graph: every seed system, from sample files, through the real loaders.

``opencase demo`` and ``opencase serve --demo`` (on an empty store) call
:func:`build_demo`. Nothing here writes records by hand: the files under
``samples/demo`` are what a user could load one by one with ``opencase load``,
so the demo doubles as an end-to-end check of the loaders.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from opencase.graph.store import GraphStore

from opencase.errors import LoaderError

from .jsonl import load_jsonl
from .report import LoadReport
from .tracker import load_tracker
from .workpackages import load_work_packages

Loader = Callable[[GraphStore, Path], LoadReport]

#: Load order matters: partners before the work packages whose headers name them,
#: models before the tracker rows and exports that link to them.
DEMO_FILES: tuple[tuple[str, Loader], ...] = (
    ("organisation.jsonl", lambda s, p: load_jsonl(s, p)),
    ("work_packages.txt", lambda s, p: load_work_packages(s, p)),
    ("daia_tracker.csv", lambda s, p: load_tracker(s, p)),
    ("lineage.jsonl", lambda s, p: load_jsonl(s, p)),
    ("opencase_cases.jsonl", lambda s, p: load_jsonl(s, p)),
    ("catapult_export.jsonl", lambda s, p: load_jsonl(s, p)),
    ("governance.jsonl", lambda s, p: load_jsonl(s, p)),
)


def demo_dir() -> Path:
    """``samples/demo`` of this checkout, or ``OPENCASE_DEMO_DIR`` when set."""
    explicit = os.environ.get("OPENCASE_DEMO_DIR")
    if explicit:
        return Path(explicit)
    return Path(__file__).resolve().parent.parent / "samples" / "demo"


def build_demo(store: GraphStore, directory: Path | None = None) -> LoadReport:
    """Load the demo files in order into ``store``; idempotent (a re-run changes nothing)."""
    directory = directory or demo_dir()
    if not directory.is_dir():
        raise LoaderError(
            f"demo data not found in {directory}",
            suggestion="run from a checkout of OpenCase or set OPENCASE_DEMO_DIR",
        )
    total = LoadReport("demo", str(directory))
    for name, load in DEMO_FILES:
        total.merge(load(store, directory / name))
    return total.finish()
