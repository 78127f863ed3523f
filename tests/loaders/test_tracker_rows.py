"""The tracker loader's row handling: ids from ``ids``, batch validation reported by line.

The loader parses each distinct cell once, takes every id from
:mod:`opencase.ontology.ids` and leaves the judging to the Action's validator,
a batch of rows at a time; these tests pin that on a real embedded store.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synthetic import synthetic_models, write_tracker, write_work_packages
from opencase.graph import GraphStore
from opencase.loaders import cells
from opencase.loaders.csvfile import CsvRow, iter_rows, read_records
from opencase.loaders.report import LoadReport
from opencase.loaders.staging import Staged
from opencase.loaders.tracker import stage_tracker
from opencase.loaders.tracker_columns import COLUMN_KEYS, columns_of
from opencase.loaders.workpackages import load_work_packages
from opencase.ontology import ONTOLOGY, ids
from opencase.ontology.validation import validator

ACTION = ONTOLOGY.object_type("Action")


def _staged(staged: Staged) -> tuple[dict[str, Any], dict[Any, Any]]:
    objects = {k: (v.object_type, dict(v.properties)) for k, v in staged.objects.items()}
    links = {k: dict(v.properties) for k, v in staged.links.items()}
    return objects, links


def _problems(report: LoadReport) -> list[tuple[Any, ...]]:
    return [(p.line, p.field, p.message) for p in [*report.problems, *report.warnings]]


@pytest.fixture
def synthetic(store: GraphStore, tmp_path: Path) -> Path:
    """A 300-row generated tracker (updates, model links, date spellings), models loaded."""
    models = synthetic_models(40)
    load_work_packages(store, write_work_packages(tmp_path / "wp.txt", models))
    return write_tracker(tmp_path / "tracker.csv", 300, models, seed=3)


def test_every_row_is_validated_once_in_batches(
    store: GraphStore, synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Actions go through the one validator a batch at a time, never row by row."""
    calls: list[int] = []
    check = validator("Action")
    records = check.records

    def counting(batch: Any) -> Any:
        calls.append(len(batch))
        return records(batch)

    monkeypatch.setattr(check, "records", counting)
    report = LoadReport("tracker", str(synthetic))
    stage_tracker(store, synthetic, report)
    assert report.ok and report.rows_read == 300
    assert calls == [300]


def test_ids_are_the_ids_modules(store: GraphStore, synthetic: Path) -> None:
    staged = stage_tracker(store, synthetic, LoadReport("tracker", str(synthetic)))
    actions = dict(staged.of_type("Action"))
    updates = dict(staged.of_type("StatusUpdate"))
    assert len(actions) == 300 and updates
    for oid, props in actions.items():
        expected = ids.tracker_action_id("DAIA_ACTIONS", props["source_id"], props["title"])
        assert oid == ONTOLOGY.object_id("Action", expected) == f"action:{props['action_id']}"
    parents = {
        lk.target_id: lk.source_id
        for lk in staged.links.values()
        if lk.link_type == "daia-action-has-update"
    }
    for oid, props in updates.items():
        action_id = actions[parents[oid]]["action_id"]
        assert props["update_id"] == ids.status_update_id(
            action_id, props["position"], props["body"]
        )


def test_invalid_source_system_rejects_each_row_by_line(store: GraphStore, synthetic: Path) -> None:
    """A value the validator refuses rejects each row, named by line and column."""
    report = LoadReport("tracker", str(synthetic))
    staged = stage_tracker(store, synthetic, report, source_system="  ")
    assert not list(staged.of_type("Action"))
    assert report.rejected == report.rows_read == 300
    assert {p.field for p in report.problems} == {"source_system"}
    assert len({p.line for p in report.problems}) == 300


def test_missing_columns_and_ragged_rows(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file(
        "t.csv",
        "Actions,Item #,Status\n"  # no Owner/Model/... columns; Status last
        "First,1\n"  # short row: Status missing
        "Second,2,done\n"
        "Third,3,blocked,extra,cells\n"  # long row: extras go to Status
        " , \n"  # blank: skipped
        "…,...\n",  # elision
    )
    report = LoadReport("tracker", str(path))
    staged = stage_tracker(store, path, report)
    by_title = {p["title"]: p for _, p in staged.of_type("Action")}
    assert by_title["First"]["status"] == "Planned"
    assert by_title["Second"]["status"] == "Completed"
    assert by_title["Third"]["status"] == "Planned"  # 'blocked, extra, cells' is unknown
    assert report.rows_read == 4 and report.rejected == 0
    warned = {(w.line, w.field) for w in report.warnings}
    assert {(4, "Status"), (6, None)} <= warned


def test_iter_rows_matches_read_records_and_skips_blank_rows(write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file("t.csv", 'a,b\n,x\n \t, \n\n"1\n2",y\r\n,\n')
    rows = list(iter_rows(path))
    assert rows == [(1, ["a", "b"]), (2, ["", "x"]), (5, ["1\n2", "y"])]
    assert [CsvRow(line, cells) for line, cells in rows] == list(read_records(path))


def test_picker_pads_missing_columns(write_file) -> None:  # type: ignore[no-untyped-def]
    report = LoadReport("tracker", "t.csv")
    cols = columns_of(CsvRow(1, ["Actions", "Item #"]), report)
    length, pick = cols.picker()
    values = ["Title", "7"] + [""] * (length - 2)
    picked = dict(zip(COLUMN_KEYS, pick(values), strict=True))
    assert picked["item"] == "7" and picked["actions"] == "Title"
    assert all(v == "" for k, v in picked.items() if k not in ("item", "actions"))


# ---- split_updates without a regex splits where the regex did --------------------------------

_REGEX_SPLIT = re.compile(r"[;\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]+")


def test_update_separators_are_exactly_the_line_ends_and_semicolon() -> None:
    line_ends = {c for c in map(chr, range(0x3000)) if len(f"a{c}b".splitlines()) > 1}
    assert set(cells.UPDATE_SEPARATORS) == {*line_ends, ";"}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*cells.UPDATE_SEPARATORS, "\r\n", "a", "b", " ", "\t", "\u00a0"])
    ).map("".join)
)
def test_split_updates_matches_the_regex_split(raw: str) -> None:
    expected = [p for p in (x.strip() for x in _REGEX_SPLIT.split(raw)) if p]
    assert cells.split_updates(raw) == expected
