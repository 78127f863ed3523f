"""Fuzzing tracker cells: the loader never crashes; each row loads or is reported by line+field."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import TRACKER_COLUMNS
from opencase.graph import GraphStore
from opencase.loaders.tracker import load_tracker
from opencase.ontology import ONTOLOGY, ids

COLUMNS = TRACKER_COLUMNS
TRICKY = st.sampled_from(
    [
        ";",
        "\n",
        "\r\n",
        '"',
        ",",
        '""',
        "  ",
        "…",
        "2/30/2025",
        "20.02.2025",
        "A330 ATA72: HPC",
        "DAIA - X",
        "a@b.example",
        "yes",
    ]
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=25)
CELL = st.one_of(TEXT, TRICKY, st.lists(st.one_of(TEXT, TRICKY), max_size=4).map("".join))
ROW = st.fixed_dictionaries({c: CELL for c in COLUMNS})
_COUNTER = itertools.count()
_BREAK = re.compile(r"\r\n|\r|\n")


def _csv(rows: list[dict[str, str]]) -> tuple[str, list[int]]:
    """The file's text and the physical line each row starts on."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    starts = []
    for row in rows:
        starts.append(len(_BREAK.findall(buf.getvalue())) + 1)
        writer.writerow([row[c] for c in COLUMNS])
    return buf.getvalue(), starts


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, min_size=1, max_size=6))
def test_fuzzed_rows_load_or_are_reported(
    module_store: GraphStore, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    text, starts = _csv(rows)
    path = tmp_path / f"fuzz-{next(_COUNTER)}.csv"
    path.write_bytes(text.encode("utf-8"))
    system = f"FUZZ{next(_COUNTER)}"
    report = load_tracker(module_store, path, source_system=system)
    reported = {p.line for p in report.problems}
    assert all(p.field for p in report.problems), report.problems
    assert all(p.line in starts for p in report.problems), (report.problems, starts)
    for row, line in zip(rows, starts, strict=True):
        cells = [v.strip() for v in row.values()]
        if not any(cells) or all(re.fullmatch(r"[.…]*", c) for c in cells):
            continue  # blank rows are skipped, '...' rows warned about
        if line in reported:
            continue
        title = row["Actions"].strip() or row["Model"].strip()
        oid = ONTOLOGY.object_id(
            "Action", ids.tracker_action_id(system, row["Item #"].strip(), title)
        )
        assert module_store.get_one(oid) is not None, (line, row)


RAW = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
RAW_LINE = st.one_of(RAW, st.lists(st.one_of(RAW, TRICKY), max_size=8).map(",".join))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(RAW_LINE, min_size=1, max_size=6), newline=st.sampled_from(["\n", "\r\n"]))
def test_raw_malformed_lines_never_crash(
    module_store: GraphStore, tmp_path: Path, lines: list[str], newline: str
) -> None:
    """Stray quotes, ragged rows, odd line ends: every problem still names its line and field."""
    path = tmp_path / f"raw-{next(_COUNTER)}.csv"
    path.write_bytes((newline.join([",".join(COLUMNS), *lines]) + newline).encode("utf-8"))
    report = load_tracker(module_store, path, source_system=f"RAW{next(_COUNTER)}")
    total_lines = len(_BREAK.findall(path.read_bytes().decode("utf-8"))) + 1
    for problem in report.problems:
        assert problem.field and problem.line is not None, problem
        assert 2 <= problem.line <= total_lines, problem
    assert report.rejected == len({p.line for p in report.problems})
