"""The cell readers: dates, completion, updates, model references, people."""

from __future__ import annotations

import datetime as dt

import pytest

from opencase.loaders import cells
from opencase.ontology import ids


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-02-20", dt.date(2025, 2, 20)),
        ("2025-02-20T10:30:00Z", dt.date(2025, 2, 20)),
        ("2/20/2025", dt.date(2025, 2, 20)),
        ("2/20/25", dt.date(2025, 2, 20)),
        ("20/2/2025", dt.date(2025, 2, 20)),  # cannot be month-first
        ("20.02.2025", dt.date(2025, 2, 20)),
        ("2025/02/20", dt.date(2025, 2, 20)),
        ("20 Feb 2025", dt.date(2025, 2, 20)),
        ("Feb 20, 2025", dt.date(2025, 2, 20)),
    ],
)
def test_dates_in_tracker_spellings(raw: str, expected: dt.date) -> None:
    assert cells.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["next week", "2/30/2025", "31.02.2025", "2025-13-01", "20"])
def test_a_non_date_says_so(raw: str) -> None:
    with pytest.raises(ValueError, match="date"):
        cells.parse_date(raw)


def test_completed_is_yes_no_or_a_date() -> None:
    assert cells.parse_completed("yes") == (True, None)
    assert cells.parse_completed("No") == (False, None)
    assert cells.parse_completed("2/12/2025") == (True, dt.date(2025, 2, 12))
    with pytest.raises(ValueError, match="neither yes/no nor a date"):
        cells.parse_completed("maybe")


def test_updates_split_on_newlines_and_semicolons() -> None:
    raw = "2/20: sent list;  ask GE \r\n\n2/27: GE replied;;"
    assert cells.split_updates(raw) == ["2/20: sent list", "ask GE", "2/27: GE replied"]
    assert cells.split_updates(" ; \n ") == []


def test_model_cell_gives_family_ata_and_name() -> None:
    ref = cells.parse_model("A330 ATA72: HPC (CF6-80E) - Cruise")
    assert (ref.family, ref.ata, ref.ata_chapter, ref.name) == (
        "A330",
        "72",
        "72",
        "HPC (CF6-80E) - Cruise",
    )
    assert ids.model_key(ref.family, ref.ata, ref.name) == "A330:72:hpc-cf6-80e-cruise"


def test_most_specific_ata_code_wins() -> None:
    ref = cells.parse_model("A220 Fuel Imbalance model 28-22-35")
    assert (ref.family, ref.ata, ref.ata_chapter) == ("A220", None, "28-22")
    assert cells.most_specific_ata("28", "Fuel Imbalance model 28-22-35") == "28-22"
    assert cells.most_specific_ata("34", "Fuel Imbalance model 28-22-35") == "34"


def test_owner_spellings_are_one_person() -> None:
    a = cells.parse_person("DAIA - Francis Obusek")
    b = cells.parse_person("Francis  Obusek")
    assert a is not None and b is not None
    assert a.key == b.key == "francis-obusek"
    assert (a.name, a.organisation) == ("Francis Obusek", "DAIA")
    c = cells.parse_person("Mathieu Renard <Mathieu.Renard@daia.example>")
    assert c is not None
    assert (c.key, c.name, c.email) == (
        "mathieu.renard@daia.example",
        "Mathieu Renard",
        "mathieu.renard@daia.example",
    )
    assert cells.parse_person("  ") is None


@pytest.mark.parametrize(
    ("body", "anchor", "expected"),
    [
        ("2/20: Mathieu: found it", dt.date(2025, 2, 20), dt.date(2025, 2, 20)),
        ("1/5: after new year", dt.date(2024, 12, 2), dt.date(2025, 1, 5)),
        ("12/30: before new year", dt.date(2025, 1, 6), dt.date(2024, 12, 30)),
        ("03.03.2025: replay started", dt.date(2025, 1, 1), dt.date(2025, 3, 3)),
        ("2025-03-10 - signed off", dt.date(2025, 1, 1), dt.date(2025, 3, 10)),
        ("20/2: day first when the month cannot be 20", dt.date(2025, 2, 1), dt.date(2025, 2, 20)),
        ("2/29: leap day", dt.date(2025, 1, 10), dt.date(2024, 2, 29)),
    ],
)
def test_note_dates(body: str, anchor: dt.date, expected: dt.date) -> None:
    assert cells.note_date(body, anchor) == expected


@pytest.mark.parametrize(
    "body", ["Training held on 2/25 with 9 attendees", "2/3 of tails done", "13/13: no month"]
)
def test_notes_without_a_leading_date(body: str) -> None:
    assert cells.note_date(body, dt.date(2025, 1, 1)) is None
