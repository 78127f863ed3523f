"""`opencase load ...` and `opencase demo` as users run them: real processes, real store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from opencase.loaders.demo import DEMO_DATA


def opencase(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opencase.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_loader_from_the_cli_on_a_fresh_store(tmp_path: Path, samples: Path) -> None:
    store = str(tmp_path / "graph")
    wp = opencase(
        "load",
        "work-packages",
        str(DEMO_DATA / "work_packages.txt"),
        "--store",
        store,
        "--json",
        cwd=tmp_path,
    )
    assert wp.returncode == 0, wp.stderr
    assert json.loads(wp.stdout)["created"] > 0
    tracker = opencase(
        "load",
        "tracker",
        str(DEMO_DATA / "daia_tracker.csv"),
        "--source-system",
        "DAIA_ACTIONS",
        "--store",
        store,
        "--json",
        cwd=tmp_path,
    )
    assert tracker.returncode == 0, tracker.stderr
    report = json.loads(tracker.stdout)  # stdout is only the JSON report
    assert report["rows_read"] == 20 and report["rejected"] == 0
    again = opencase(
        "load",
        "tracker",
        str(DEMO_DATA / "daia_tracker.csv"),
        "--store",
        store,
        "--json",
        cwd=tmp_path,
    )
    second = json.loads(again.stdout)
    assert (second["created"], second["updated"], second["links_created"]) == (0, 0, 0)
    table = opencase(
        "load",
        "jsonl",
        str(samples / "jsonl" / "opencase_export.json"),
        "--store",
        store,
        cwd=tmp_path,
    )
    assert table.returncode == 0, table.stderr
    assert "created" in table.stdout and "jsonl" in table.stdout


def test_rejected_rows_make_the_exit_status_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "t.csv"
    bad.write_text("Item #,Actions,Due On\n1,Good,2/20/2025\n2,Bad,soon\n", encoding="utf-8")
    done = opencase(
        "load", "tracker", str(bad), "--store", str(tmp_path / "g"), "--json", cwd=tmp_path
    )
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["rejected"] == 1
    assert [(p["line"], p["field"]) for p in report["problems"]] == [(3, "Due On")]
    strict = opencase(
        "load", "tracker", str(bad), "--strict", "--store", str(tmp_path / "g2"), cwd=tmp_path
    )
    assert strict.returncode == 1 and "nothing was written" in strict.stdout


#: One good line and eight lines each wrong in its own way (line number, field).
NINE_LINES = [
    ('{"objectType": "partner", "properties": {"name": "GoodCo"}}', None),
    ('{"objectType": "partner", "properties": {"name": "X", "status": "Bogus"}}', "status"),
    ('{"objectType": "nosuch", "properties": {"name": "Y"}}', "objectType"),
    ("not json at all", None),
    ('{"objectType": "partner", "properties": "text"}', "properties"),
    ('{"linkType": "work-package-for-partner", "source": "wp-x", "target": "GoodCo"}', "source"),
    ('{"objectType": "action-log", "properties": {"log_id": "forged"}}', "objectType"),
    ('{"objectType": "partner", "properties": {"country": "FR"}}', "name"),
    ("[1, 2]", None),
]


def test_jsonl_reports_every_bad_line_and_loads_the_good_one(tmp_path: Path) -> None:
    path = tmp_path / "nine.jsonl"
    path.write_text("".join(line + "\n" for line, _ in NINE_LINES), encoding="utf-8")
    done = opencase(
        "load", "jsonl", str(path), "--store", str(tmp_path / "g"), "--json", cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    expected = [(n, field) for n, (_, field) in enumerate(NINE_LINES, start=1) if n > 1]
    assert [(p["line"], p["field"]) for p in report["problems"]] == expected
    assert (report["rejected"], report["created"], report["written"]) == (8, 1, True)
    strict = opencase(
        "load",
        "jsonl",
        str(path),
        "--strict",
        "--json",
        "--store",
        str(tmp_path / "g2"),
        cwd=tmp_path,
    )
    assert strict.returncode == 1
    assert (json.loads(strict.stdout)["created"], json.loads(strict.stdout)["written"]) == (
        0,
        False,
    )


def test_unreadable_source_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "t.csv"
    bad.write_text("Subject,Actions\nS,A\n", encoding="utf-8")
    done = opencase("load", "tracker", str(bad), "--store", str(tmp_path / "g"), cwd=tmp_path)
    assert done.returncode == 2
    assert "no 'Item #' column" in " ".join(done.stderr.split())


def test_demo_command_builds_and_rebuilds_without_changes(tmp_path: Path) -> None:
    store = str(tmp_path / "graph")
    first = opencase("demo", "--store", store, "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["created"] > 100
    second = json.loads(opencase("demo", "--store", store, "--json", cwd=tmp_path).stdout)
    assert (second["created"], second["updated"], second["links_created"]) == (0, 0, 0)
