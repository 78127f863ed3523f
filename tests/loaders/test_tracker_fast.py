"""The tracker loader's shortcuts (memos, inlined ids, skipped re-validation) change nothing.

The loader skips the full pydantic validation of a row when every value is
known to pass unchanged, and derives ids without calling ``ids``; these tests
pin both to the slow, obvious way on a real embedded store.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencase.errors import ValidationError
from opencase.graph import GraphStore
from opencase.loaders import cells, tracker
from opencase.loaders.csvfile import CsvRow, iter_rows, read_records
from opencase.loaders.demo import DEMO_DATA
from opencase.loaders.fastcheck import ValueCheck
from opencase.loaders.report import LoadReport
from opencase.loaders.staging import Staged
from opencase.loaders.synthetic import synthetic_models, write_tracker, write_work_packages
from opencase.loaders.tracker import stage_tracker
from opencase.loaders.tracker_columns import COLUMN_KEYS, columns_of
from opencase.loaders.workpackages import load_work_packages
from opencase.ontology import ONTOLOGY, ids
from opencase.ontology.validation import validate_properties

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


class _SlowLoader(tracker.TrackerLoader):
    """Every row through ``validate_properties``, as the loader did before the fast path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fast = False


def test_fast_path_stages_what_full_validation_stages(
    store: GraphStore, synthetic: Path, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in (synthetic, DEMO_DATA / "daia_tracker.csv"):
        fast_report = LoadReport("tracker", str(path))
        fast = _staged(stage_tracker(store, path, fast_report))
        with monkeypatch.context() as patch:
            patch.setattr(tracker, "TrackerLoader", _SlowLoader)
            slow_report = LoadReport("tracker", str(path))
            slow = _staged(stage_tracker(store, path, slow_report))
        assert fast == slow
        assert _problems(fast_report) == _problems(slow_report)
        assert fast_report.rows_read == slow_report.rows_read > 0


def test_clean_rows_skip_the_second_validation(
    store: GraphStore, synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generated rows are all valid: none should need the full validation."""
    calls: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(kwargs.get("line", 0))
        return validate_properties(*args, **kwargs)

    monkeypatch.setattr(tracker, "validate_properties", counting)
    report = LoadReport("tracker", str(synthetic))
    stage_tracker(store, synthetic, report)
    assert report.ok and report.rows_read == 300
    assert calls == []


def test_inlined_ids_are_the_ids_module(store: GraphStore, synthetic: Path) -> None:
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
    """A value the fast path cannot vouch for goes through full validation and is named."""
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


# ---- ValueCheck says "passes unchanged" only when validation agrees ------------------------

PLAIN_TEXT = st.text(
    st.sampled_from(["a", " ", "\u00a0", "\u2028", "\x1c", "\x85", "\t", "é", "-", "\u200b"]),
    max_size=5,
)


def _kept(name: str, value: Any) -> bool:
    """What the full validation does with ``value`` in an otherwise valid Action."""
    props = {
        "action_id": "x",
        "title": "t",
        "status": "Planned",
        "source_system": "S",
        "source_id": "1",
    }
    props[name] = value
    try:
        out = validate_properties(ACTION, props)
    except ValidationError:
        return False
    return name in out and type(out[name]) is type(value) and out[name] == value


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(["title", "subject", "ata_chapter", "status", "owner_email"]),
    value=st.one_of(PLAIN_TEXT, st.sampled_from(["72", "28-22", "7", "Planned", "planned"])),
)
def test_value_check_never_vouches_for_a_changed_or_bad_string(name: str, value: str) -> None:
    if ValueCheck(ACTION).accepts(name, value):
        assert _kept(name, value)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("start_date", dt.date(2025, 2, 20), True),
        ("start_date", dt.datetime(2025, 2, 20, 10, 0), False),  # becomes a date
        ("start_date", "2025-02-20", False),  # parsed: not kept as is
        ("completed", True, True),
        ("completed", 1, False),  # coerced to True
        ("completed", "yes", False),
        ("priority", "Critical", True),
        ("priority", "critical", False),  # not an enum value
        ("ac_family", "A330", True),
        ("ata_chapter", "28-22", True),
        ("ata_chapter", "ATA 28", False),
        ("title", " padded ", False),
        ("title", None, False),
        ("title", ["a"], False),
        ("no_such_property", "x", False),
    ],
)
def test_value_check_agrees_on_typed_values(name: str, value: Any, expected: bool) -> None:
    check = ValueCheck(ACTION)
    assert check.accepts(name, value) is expected
    assert check.accepts(name, value) is expected  # memoised answer
    if expected:
        assert _kept(name, value)


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
