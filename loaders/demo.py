"""The demo graph: every seed system, from sample files, through the real loaders.

``opencase demo`` and ``opencase serve --demo`` (on an empty store) call
:func:`build_demo`. Nothing here writes records by hand: the files under
``loaders/demo_data`` (shipped inside the package) are what a user could load
one by one with ``opencase load``, so the demo doubles as an end-to-end check of the loaders.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from opencase.errors import LoaderError
from opencase.graph.store import GraphStore

from .jsonl import stage_jsonl
from .openlineage.ingest import stage_openlineage
from .progress import LoadProgress
from .report import LoadReport
from .staging import Staged, gc_paused, write_staged
from .tracker import stage_tracker
from .workpackages import stage_work_packages

Stager = Callable[[GraphStore, Path, LoadReport, Staged], object]

#: Stage order matters: partners before the work packages whose headers name them,
#: models before the tracker rows and exports that link to them.
DEMO_FILES: tuple[tuple[str, str, Stager], ...] = (
    ("organisation.jsonl", "jsonl", stage_jsonl),
    ("work_packages.txt", "work-packages", stage_work_packages),
    ("daia_tracker.csv", "tracker", lambda g, p, r, s: stage_tracker(g, p, r, staged=s)),
    ("lineage.jsonl", "jsonl", stage_jsonl),
    ("opencase_cases.jsonl", "jsonl", stage_jsonl),
    ("catapult_export.jsonl", "jsonl", stage_jsonl),
    ("provenance.jsonl", "jsonl", stage_jsonl),
    ("governance.jsonl", "jsonl", stage_jsonl),
    ("platform.jsonl", "jsonl", stage_jsonl),
    ("pipelines.openlineage.jsonl", "openlineage", stage_openlineage),
)


#: The demo files as shipped in the package.
DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


def demo_dir() -> Path:
    """The demo files shipped inside the package, or ``OPENCASE_DEMO_DIR`` when set.

    They live in the package (not beside it) so that an installed wheel, e.g. the
    Docker image, can build the demo graph with no checkout around.
    """
    explicit = os.environ.get("OPENCASE_DEMO_DIR")
    if explicit:
        return Path(explicit)
    return DEMO_DATA


def build_demo(store: GraphStore, directory: Path | None = None) -> LoadReport:
    """Stage the demo files in order, then write them in one transaction; idempotent.

    One write instead of seven makes the demo fast (the store's cost is per
    batch and per type) and all-or-nothing: a server never starts on half a demo.
    """
    directory = directory or demo_dir()
    if not directory.is_dir():
        raise LoaderError(
            f"demo data not found in {directory}",
            suggestion="reinstall OpenCase (the package ships the demo files) "
            "or set OPENCASE_DEMO_DIR",
        )
    total = LoadReport("demo", str(directory))
    staged = Staged()
    with gc_paused():
        for name, loader, stage in DEMO_FILES:
            report = LoadReport(loader, str(directory / name))
            stage(store, directory / name, report, staged)
            total.merge(report)
        return write_staged(store, staged, total, LoadProgress(enabled=False))
