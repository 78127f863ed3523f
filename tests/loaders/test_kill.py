"""A load killed half-way leaves the graph as it was, and re-running it completes the job.

This kills a real ``opencase load tracker`` process with SIGKILL while it
runs, then checks the store as the next process finds it: a load is one
transaction, so the store holds either nothing of it or all of it (never a
part), with no link to a missing object and no object without its required
properties; a re-run must end with exactly the counts of a clean load.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from loaderkit import graph_is_whole

from bench.synthetic import synthetic_models, write_tracker, write_work_packages
from opencase.graph import open_store

ROWS = 4_000
BATCH = ["--batch-size", "4000"]  # ~9 batches in one transaction: a kill lands between them
#: When to kill, as a share of a clean load's duration (parsing is the first ~quarter).
KILL_AT = (0.7, 0.55, 0.85)


def _load(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "opencase.cli", "load", *args, "--json"],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> dict:  # type: ignore[type-arg]
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return json.loads(out)


def _stats(path: str) -> dict[str, int]:
    with open_store(path) as store:
        return store.stats()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_load_leaves_a_whole_graph_and_rerun_completes(tmp_path: Path) -> None:
    models = synthetic_models(40)
    wp = write_work_packages(tmp_path / "wp.txt", models)
    csv_path = write_tracker(tmp_path / "tracker.csv", ROWS, models)
    base, clean = tmp_path / "base", tmp_path / "clean"
    _finish(_load(["work-packages", str(wp), "--store", str(base)], tmp_path))
    shutil.copy(base, clean)
    started = time.perf_counter()
    _finish(_load(["tracker", str(csv_path), "--store", str(clean), *BATCH], tmp_path))
    clean_seconds = time.perf_counter() - started
    expected = _stats(str(clean))

    before = _stats(str(base))
    interrupted = None
    for share in KILL_AT:
        killed = tmp_path / f"killed-{share}"
        shutil.copy(base, killed)
        proc = _load(["tracker", str(csv_path), "--store", str(killed), *BATCH], tmp_path)
        time.sleep(clean_seconds * share)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        with open_store(str(killed)) as store:
            assert graph_is_whole(store) == [], f"killed at {share:.0%}"
            after = store.stats()
        # one transaction per load: all of it or none of it, never a part
        assert after in (before, expected), f"killed at {share:.0%}: a partial load"
        if proc.returncode == -signal.SIGKILL and after == before:
            interrupted = killed
            break
    assert interrupted is not None, "no kill landed while the load ran"

    rerun = _finish(
        _load(["tracker", str(csv_path), "--store", str(interrupted), *BATCH], tmp_path)
    )
    assert rerun["rejected"] == 0
    with open_store(str(interrupted)) as store:
        assert store.stats() == expected
        assert graph_is_whole(store) == []
