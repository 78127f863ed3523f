"""The load journal: an unchanged re-run does no work, and anything that could matter stops it.

Real processes (`opencase load ...`) on a real store; the journal lives in the store.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from opencase.graph import ObjectRecord, WriteBatch, open_store
from opencase.loaders.demo import DEMO_DATA


def _load(tmp_path: Path, csv: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    store = str(tmp_path / "graph")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "opencase.cli",
            "load",
            "tracker",
            str(csv),
            "--json",
            *extra,
            "--store",
            store,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def _copy(samples: Path, tmp_path: Path) -> Path:
    csv = tmp_path / "tracker.csv"
    shutil.copy(DEMO_DATA / "daia_tracker.csv", csv)
    return csv


def test_an_unchanged_rerun_replays_the_report_without_reading(
    tmp_path: Path, samples: Path
) -> None:
    csv = _copy(samples, tmp_path)
    _, first = _load(tmp_path, csv)
    assert first["created"] > 0 and first["unchanged_since_revision"] is None
    _, again = _load(tmp_path, csv)
    assert again["unchanged_since_revision"] is not None
    assert (again["created"], again["updated"], again["links_created"]) == (0, 0, 0)
    assert again["unchanged"] == first["created"] + first["updated"] + first["unchanged"]
    assert again["links_unchanged"] == first["links_created"] + first["links_unchanged"]
    assert again["warnings"] == first["warnings"] and again["rows_read"] == first["rows_read"]
    _, forced = _load(tmp_path, csv, "--force")  # the full path agrees with the replay
    assert forced["unchanged_since_revision"] is None
    assert (forced["created"], forced["updated"], forced["links_created"]) == (0, 0, 0)
    assert forced["unchanged"] == again["unchanged"]


def test_a_write_in_between_makes_the_rerun_read_and_restore(tmp_path: Path, samples: Path) -> None:
    csv = _copy(samples, tmp_path)
    _load(tmp_path, csv)
    with open_store(str(tmp_path / "graph")) as store:
        action = store.list("Action", first=1).items[0]
        title = action.properties["title"]
        pk = action.id.partition(":")[2]
        store.write(WriteBatch(objects=[ObjectRecord("Action", {"action_id": pk, "title": "x"})]))
    _, again = _load(tmp_path, csv)
    assert again["unchanged_since_revision"] is None
    assert again["updated"] == 1
    with open_store(str(tmp_path / "graph")) as store:
        assert store.get_one(action.id).properties["title"] == title  # type: ignore[union-attr]


HEADER = "Item #,Subject,Owner,Partner,Program,Theme,Model,Issue,Actions,Updates,Due On\n"


def test_another_file_or_other_options_run_in_full(tmp_path: Path, write_file: Any) -> None:
    csv = write_file("t.csv", HEADER + "1,s,Ann,GE,P1,t,,i,Do it,,2024-01-01\n")
    _, first = _load(tmp_path, csv)
    _, other_source = _load(tmp_path, csv, "--source-system", "OTHER_TRACKER")
    assert other_source["unchanged_since_revision"] is None
    assert other_source["created"] > 0  # another source system: other action ids
    csv.write_text(csv.read_text() + "2,s,Ann,GE,P1,t,,i,Do more,,2024-01-02\n")
    _, changed = _load(tmp_path, csv)
    assert changed["unchanged_since_revision"] is None
    assert changed["rows_read"] == first["rows_read"] + 1 and changed["created"] > 0


def test_rejected_rows_are_replayed_with_the_exit_status(tmp_path: Path, write_file: Any) -> None:
    csv = write_file(
        "bad.csv",
        HEADER + "1,s,Ann,GE,P1,t,,i,Do it,,2024-01-01\n2,s,Ann,GE,P1,t,,i,Do more,,not a date\n",
    )
    code, first = _load(tmp_path, csv)
    code_again, again = _load(tmp_path, csv)
    assert code == code_again == 1
    assert again["unchanged_since_revision"] is not None
    assert again["problems"] == first["problems"] and again["rejected"] == first["rejected"] == 1
