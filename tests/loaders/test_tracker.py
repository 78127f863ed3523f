"""The tracker CSV loader on a real embedded store: ids, updates, links, bad rows, re-loads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from loaderkit import all_links, all_objects

from opencase.graph import GraphStore
from opencase.loaders.demo import DEMO_DATA
from opencase.loaders.tracker import load_tracker
from opencase.loaders.workpackages import load_work_packages
from opencase.ontology import ONTOLOGY, ids

HEADER = "Item #,Subject,Owner,Partner,Program,Theme,Model,Issue,Actions,Updates,Status,Priority,Start,Due On,Completed\n"  # noqa: E501


def action(store: GraphStore, source_id: str, title: str, system: str = "DAIA_ACTIONS"):  # type: ignore[no-untyped-def]
    return store.get_one(
        ONTOLOGY.object_id("Action", ids.tracker_action_id(system, source_id, title))
    )


def test_seed_excerpt_rows_with_unquoted_commas_are_errors_not_shifted(
    store: GraphStore, samples: Path
) -> None:
    """Rows 1 and 33 of seed 001's excerpt carry an unquoted comma in free text: the extra
    cell could belong to Issue, Actions or Updates, so neither row is guessed at."""
    report = load_tracker(store, samples / "tracker" / "seed_001_excerpt.csv")
    assert report.rejected == 2 and not report.ok
    by_line = {p.line: p for p in report.problems}
    assert set(by_line) == {2, 4}
    row1 = by_line[2].message
    assert "11 cells for 10 columns" in row1
    assert "'ask them which params to use'" in row1
    assert "Issue or Actions or Updates" in row1
    assert "'Changes have been made ...'" in by_line[4].message
    assert all_objects(store, "Action") == []
    assert all_objects(store, "StatusUpdate") == []
    assert any(w.line == 3 and "elision" in w.message for w in report.warnings)


def test_extra_cells_rejoin_into_the_one_column_that_can_take_them(
    store: GraphStore, tmp_path: Path
) -> None:
    """A comma in Subject: shifting it anywhere else would put text in the typed columns."""
    csv = tmp_path / "t.csv"
    csv.write_text(
        HEADER + "7,QG1 - Data, labels,Sophie Martin,Liebherr,A220,QG1,,Issue,Do it,,"
        "Planned,High,2/1/2025,3/1/2025,\n",
        encoding="utf-8",
    )
    report = load_tracker(store, csv)
    assert report.ok, report.problems
    (warning,) = [w for w in report.warnings if "cells for" in w.message]
    assert warning.line == 2 and warning.field == "Subject"
    assert "16 cells for 15 columns" in warning.message
    act = action(store, "7", "Do it")
    assert act is not None
    assert act.properties["subject"] == "QG1 - Data, labels"
    assert (act.properties["partner_name"], act.properties["status"]) == ("Liebherr", "Planned")


def test_update_dates_come_from_the_notes(store: GraphStore, samples: Path) -> None:
    report = load_tracker(store, DEMO_DATA / "daia_tracker.csv")
    assert report.ok, report.problems
    notes = {o.properties["body"]: o.properties for o in all_objects(store, "StatusUpdate")}
    day = lambda y, m, d: dt.datetime(y, m, d, tzinfo=dt.UTC)  # noqa: E731
    # m/d without a year: the year of the row's start date (2/20/2025)
    assert notes["2/20: Mathieu: found acms_metadata, param list sent to GE"]["created_at"] == (
        day(2025, 2, 20)
    )
    assert notes["2/27: GE asked for the 2024 parameter catalogue"]["created_at"] == day(
        2025, 2, 27
    )
    # dd.mm.yyyy
    assert notes["10.03.2025: false alarm rate 2.1%, below target"]["created_at"] == (
        day(2025, 3, 10)
    )
    assert notes["1/29: 310 events labelled"]["dated_by_load"] is False
    # no date in the note: the load time, flagged, and counted in the report
    undated = notes["Snapshots extracted for 42 tails"]
    assert undated["dated_by_load"] is True
    assert undated["created_at"].date() == dt.datetime.now(dt.UTC).date()
    (flag,) = [w for w in report.warnings if "start with no date" in w.message]
    assert flag.field == "Updates" and "dated_by_load" in flag.message
    assert flag.message.startswith(
        f"{sum(1 for p in notes.values() if p['dated_by_load'])} status update(s)"
    )


def test_reloading_keeps_the_load_time_of_undated_notes(store: GraphStore, samples: Path) -> None:
    load_tracker(store, DEMO_DATA / "daia_tracker.csv")
    first = {o.id: o.properties["created_at"] for o in all_objects(store, "StatusUpdate")}
    again = load_tracker(store, DEMO_DATA / "daia_tracker.csv")
    assert (again.created, again.updated) == (0, 0)
    assert {o.id: o.properties["created_at"] for o in all_objects(store, "StatusUpdate")} == first


def test_row_makes_action_updates_and_links(store: GraphStore, samples: Path) -> None:
    load_work_packages(store, DEMO_DATA / "work_packages.txt")
    report = load_tracker(store, DEMO_DATA / "daia_tracker.csv")
    assert report.ok, report.problems
    title = "Re-run MP VAL replay with the 1.3.0 thresholds"
    act = action(store, "3", title)
    assert act is not None
    p = act.properties
    assert p["action_id"] == ids.md5_key("DAIA_ACTIONS", "3", title)
    assert (p["status"], p["priority"]) == ("InProgress", "Critical")
    assert (p["start_date"], p["due_on"]) == (dt.date(2025, 3, 3), dt.date(2025, 3, 21))
    assert p["completed"] is False
    assert (p["ac_family"], p["ata_chapter"], p["model_name"]) == (
        "A330",
        "72",
        "HPC (CF6-80E) - Cruise",
    )
    assert p["owner_email"] == "mathieu.renard@daia.example"
    out = {
        lk.link_type: lk.target_id
        for lt in ONTOLOGY.links_from("Action")
        for lk in all_links(store, lt.api_name)
        if lk.source_id == act.id
    }
    assert out["daia-action-about-model"] == "model-work:A330:72:hpc-cf6-80e-cruise"
    assert out["daia-action-assigned-to"] == "person:mathieu.renard@daia.example"
    assert out["daia-action-with-partner"] == "partner:GE"
    assert out["daia-action-in-program"] == "program:A330"
    updates = [
        lk.target_id for lk in all_links(store, "daia-action-has-update") if lk.source_id == act.id
    ]
    bodies = {store.get_one(u).properties["body"] for u in updates}  # type: ignore[union-attr]
    assert bodies == {
        "03.03.2025: replay started on MPVAL",
        "10.03.2025: false alarm rate 2.1%, below target",
    }
    # status synonyms of the seed, and the completed flag
    assert (
        action(
            store, "1", "Find acms_metadata and send param list to GE, ask them which params to use"
        ).properties["status"]
        == "WaitingResponse"
    )  # type: ignore[union-attr]
    assert (
        action(store, "4", "Align HPT feature extraction with HPC 1.3.0").properties["status"]
        == "Planned"
    )  # type: ignore[union-attr]
    done = action(store, "2", "Extract 18 months of CF6-80E cruise snapshots for GE")
    assert done is not None and done.properties["completed_on"] == dt.date(2025, 1, 29)
    # ATA given as 28-22-35 in the name still finds the A220 model
    fuel = action(store, "8", "Label 2024 fuel imbalance events with line maintenance")
    assert fuel is not None
    about = [
        lk.target_id
        for lk in all_links(store, "daia-action-about-model")
        if lk.source_id == fuel.id
    ]
    assert about == ["model-work:A220:28:fuel-imbalance-model-28-22-35"]


def test_reload_changes_nothing(store: GraphStore, samples: Path) -> None:
    load_work_packages(store, DEMO_DATA / "work_packages.txt")
    first = load_tracker(store, DEMO_DATA / "daia_tracker.csv")
    before = store.stats()
    second = load_tracker(store, DEMO_DATA / "daia_tracker.csv")
    assert (second.created, second.updated, second.links_created) == (0, 0, 0)
    assert second.unchanged == first.created + first.updated + first.unchanged
    assert store.stats() == before


def test_bad_rows_are_reported_and_good_rows_load(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file(
        "t.csv",
        HEADER
        + "1,S,Ann Lee,GE,A330,,,,Good one,,,,2/20/2025,,\n"
        + "2,S,Ann Lee,GE,A330,,,,Bad start,,,,next week,,\n"
        + ",S,Ann Lee,GE,A330,,,,No item,,,,,,\n"
        + '4,S,Ann Lee,GE,A330,,,,"multi\nline",,,,,31.02.2025,\n'
        + "5,S,Ann Lee,GE,A330,,,,Also good,,Weird,Sometime,,,\n",
    )
    report = load_tracker(store, path)
    assert report.rejected == 3 and not report.ok and report.exit_code == 1
    found = {(p.line, p.field) for p in report.problems}
    assert found == {(3, "Start"), (4, "Item #"), (5, "Due On")}
    assert all(p.source == str(path) for p in report.problems)
    assert store.count("Action") == 2
    weird = action(store, "5", "Also good")
    assert weird is not None
    assert (weird.properties["status"], weird.properties["priority"]) == ("Planned", "Medium")
    assert {(w.line, w.field) for w in report.warnings} >= {(7, "Status"), (7, "Priority")}


def test_strict_writes_nothing_when_a_row_is_bad(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file(
        "t.csv", HEADER + "1,S,Ann,GE,A330,,,,Good,,,,,,\n2,S,Ann,GE,A330,,,,Bad,,,,x,,\n"
    )
    report = load_tracker(store, path, strict=True)
    assert not report.written and report.rejected == 1
    assert store.stats() == {}


def test_bom_crlf_and_quoted_newlines_keep_physical_lines(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    text = (
        "item#,SUBJECT,owner,partner,program,theme,model,issue,ACTIONS,updates,due on\r\n"
        '1,S,Ann,GE,A330,,,,First,"a\r\nb\r\nc",\r\n'
        "\r\n"
        "2,S,Ann,GE,A330,,,,Second,,not a date\r\n"
    )
    report = load_tracker(store, write_file("t.csv", text, bom=True))
    assert [(p.line, p.field) for p in report.problems] == [(6, "Due On")]
    first = action(store, "1", "First")
    assert first is not None and first.properties["subject"] == "S"
    assert store.count("StatusUpdate") == 3


def test_title_falls_back_to_model_and_identity_is_per_person(
    store: GraphStore, write_file
) -> None:  # type: ignore[no-untyped-def]
    path = write_file(
        "t.csv",
        HEADER
        + "1,S,DAIA - Francis Obusek,ge,a330,,A330 Some model,,,,,,,,\n"
        + "2,S,Francis Obusek,GE,A330,,,,Second,,,,,,\n",
    )
    report = load_tracker(store, path)
    assert report.ok
    assert action(store, "1", "A330 Some model") is not None
    assert store.count("Person") == 1
    assert store.count("Partner") == 1 and store.count("Program") == 1
    assert {(w.line, w.field) for w in report.warnings} == {(2, "Model")}


def test_source_system_is_part_of_the_id(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file("t.csv", HEADER + "1,S,Ann,GE,A330,,,,Same row,,,,,,\n")
    load_tracker(store, path)
    load_tracker(store, path, source_system="GE_TRACKER")
    assert store.count("Action") == 2
    assert action(store, "1", "Same row", "GE_TRACKER") is not None


def test_a_row_overriding_an_earlier_one_replaces_its_single_valued_links(
    store: GraphStore,
    write_file,  # type: ignore[no-untyped-def]
) -> None:
    """Found by test_fuzz: the earlier row's program stayed staged beside the later one's."""
    csv = write_file(
        "dup.csv",
        "Item #,Subject,Owner,Partner,Program,Theme,Model,Issue,Actions,Updates\n"
        "7,s,Ann,GE,P1,t,,i,Do it,\n"
        "7,s,Bob,GE,P2,t,,i,Do it,\n",
    )
    report = load_tracker(store, csv)
    assert report.rejected == 0 and report.created > 0
    assert any("overrides" in w.message for w in report.warnings)
    programs = all_links(store, "daia-action-in-program")
    owners = all_links(store, "daia-action-assigned-to")
    assert [lk.target_id for lk in programs] == ["program:P2"]
    assert len(owners) == 1 and owners[0].target_id.endswith("bob")
