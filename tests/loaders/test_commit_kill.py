"""A load killed while it commits leaves the graph as it was, never a part of the load.

The engine writes COPYed rows to its data file only in the checkpoint that
ends a commit, while the transaction's other statements (updates, rows
created one by one) are in its write-ahead log: a process killed inside that
checkpoint used to come back with the logged part of the load and without
the rest. These tests kill a real loader process at several moments after it
starts its commit (the store reports "committing" just before), for a first
load (new rows, COPY and row-by-row) and for a re-load that changes stored
rows and adds new ones, and check what the next process finds: the graph as
before, or the whole load, whole and readable.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from loaderkit import all_objects, graph_is_whole

from bench.synthetic import synthetic_models, write_tracker, write_work_packages
from opencase.graph import open_store

#: Seconds after "committing" to kill: from the commit record to the end of the checkpoint.
KILL_AFTER = (0.0, 0.03, 0.08, 0.15)

_CHILD = """
import sys
from opencase.graph import open_store
from opencase.loaders.progress import LoadProgress
from opencase.loaders.tracker import load_tracker

class Committing(LoadProgress):
    def stage(self, text):
        if text == "committing":
            print("committing", flush=True)

with open_store(sys.argv[1]) as store:
    store.install_schema()
    load_tracker(store, sys.argv[2], progress=Committing(enabled=False))
print("done", flush=True)
"""


def _state(path: Path, *, whole: bool = False) -> tuple[dict[str, int], str]:
    """Counts per type and link type, and a digest of every action.

    A lost update or a lost row both show. Equal to a state checked whole (no
    link to a missing object, no object without its required values) is whole.
    """
    with open_store(str(path)) as store:
        if whole:
            assert graph_is_whole(store) == []
        actions = sorted(
            (o.id, sorted((k, str(v)) for k, v in o.properties.items() if k != "updated_at"))
            for o in all_objects(store, "Action")
        )
        return store.stats(), hashlib.sha256(repr(actions).encode()).hexdigest()


def _load(store: Path, file: Path, loader: str = "tracker") -> None:
    """``opencase load <loader> FILE --store STORE`` in its own process."""
    command = [sys.executable, "-m", "opencase.cli", "load", loader, str(file)]
    subprocess.run([*command, "--store", str(store), "--json"], check=True, capture_output=True)


def _killed_in_commit(store: Path, tracker: Path, delay: float) -> bool:
    """Run the load, kill it ``delay`` s into its commit; True when the kill landed in it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(store), str(tracker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "committing":
            break
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    # the undo copy still there: the process died between its first COPY and the commit's end
    return Path(f"{store}.commit-undo").exists()


def _changed(first: Path, more: Path, out: Path) -> Path:
    """The first tracker's items with another priority and issue text, and 300 new items."""
    with first.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    priority, description = header.index("Priority"), header.index("Issue")
    for row in body:
        row[priority] = "High" if row[priority] != "High" else "Low"
        row[description] += " (reviewed again)"
    with more.open(newline="", encoding="utf-8") as f:
        extra = list(csv.reader(f))[1 + len(body) :]
    with out.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *body, *extra])
    return out


@pytest.fixture(scope="module")
def trackers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("commit-kill")
    models = synthetic_models(40)
    base = root / "base"
    _load(base, write_work_packages(root / "wp.txt", models), "work-packages")
    first = write_tracker(root / "first.csv", 2_000, models)
    second = _changed(first, write_tracker(root / "more.csv", 2_300, models), root / "second.csv")
    loaded = root / "loaded"
    shutil.copy(base, loaded)
    _load(loaded, first)
    return {"root": root, "base": base, "loaded": loaded, "first": first, "second": second}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize(
    ("start", "tracker"), [("base", "first"), ("loaded", "second")], ids=["new", "changed"]
)
def test_a_load_killed_while_it_commits_is_all_or_nothing(
    trackers: dict[str, Path], start: str, tracker: str
) -> None:
    root = trackers["root"]
    clean = root / f"clean-{start}"
    shutil.copy(trackers[start], clean)
    _load(clean, trackers[tracker])
    before, after = _state(trackers[start], whole=True), _state(clean, whole=True)
    assert before[0] != after[0] and before[1] != after[1]  # rows added and rows changed

    landed = []
    for delay in KILL_AFTER:
        killed = root / f"killed-{start}-{delay}"
        shutil.copy(trackers[start], killed)
        if _killed_in_commit(killed, trackers[tracker], delay):
            landed.append(killed)
        found = _state(killed)
        assert found in (before, after), f"killed {delay}s into the commit: a part of the load"
        assert not list(root.glob(f"{killed.name}.commit-undo*")), "the undo copy was left"
    assert landed, "no kill landed inside a commit"
    # and the next load completes the job
    _load(landed[0], trackers[tracker])
    assert _state(landed[0]) == after


def test_a_read_only_open_names_an_interrupted_write(tmp_path: Path) -> None:
    """Only a read-write open can put the store back; a read-only one says so instead."""
    models = synthetic_models(4)
    wp = write_work_packages(tmp_path / "wp.txt", models)
    tracker = write_tracker(tmp_path / "t.csv", 2_000, models)
    store = tmp_path / "store"
    _load(store, wp, "work-packages")
    before = _state(store)
    assert _killed_in_commit(store, tracker, 0.0)
    from opencase.errors import StoreUnavailableError

    with pytest.raises(StoreUnavailableError, match="interrupted while it committed"):
        open_store(str(store), read_only=True)
    assert _state(store) == before  # the read-write open put it back
    with open_store(str(store), read_only=True) as again:
        assert json.dumps(again.stats(), sort_keys=True)
