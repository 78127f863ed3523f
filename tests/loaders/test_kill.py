"""A load killed half-way leaves a whole graph, and re-running it completes the job.

This kills a real ``opencase load tracker`` process with SIGKILL while it
writes, then checks the store as the next process finds it: no link to a
missing object, no object without its required properties; a re-run must end
with exactly the counts of a clean load.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from loaderkit import graph_is_whole

from opencase.graph import open_store
from opencase.loaders.synthetic import synthetic_models, write_tracker, write_work_packages

ROWS = 6_000


def _load(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "opencase.cli", "load", *args, "--json"],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> dict:  # type: ignore[type-arg]
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return json.loads(out)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_load_leaves_a_whole_graph_and_rerun_completes(tmp_path: Path) -> None:
    models = synthetic_models(40)
    wp = write_work_packages(tmp_path / "wp.txt", models)
    csv_path = write_tracker(tmp_path / "tracker.csv", ROWS, models)
    clean, killed = str(tmp_path / "clean"), str(tmp_path / "killed")
    batch = ["--batch-size", "2000"]

    for store in (clean, killed):
        _finish(_load(["work-packages", str(wp), "--store", store], tmp_path))
    started = time.perf_counter()
    _finish(_load(["tracker", str(csv_path), "--store", clean, *batch], tmp_path))
    clean_seconds = time.perf_counter() - started

    proc = _load(["tracker", str(csv_path), "--store", killed, *batch], tmp_path)
    time.sleep(clean_seconds * 0.7)  # parsing is the first ~fifth; this lands in the writes
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)

    with open_store(killed) as store:
        assert graph_is_whole(store) == []
        partial = store.stats()
    with open_store(clean) as store:
        expected = store.stats()
    assert partial != expected or proc.returncode == 0, "the kill should interrupt the load"

    rerun = _finish(_load(["tracker", str(csv_path), "--store", killed, *batch], tmp_path))
    assert rerun["rejected"] == 0
    with open_store(killed) as store:
        assert store.stats() == expected
        assert graph_is_whole(store) == []
