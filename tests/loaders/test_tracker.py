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


def test_seed_excerpt_loads_both_rows_including_row_33(store: GraphStore, samples: Path) -> None:
    report = load_tracker(store, samples / "tracker" / "seed_001_excerpt.csv")
    assert report.rejected == 0 and report.ok
    assert report.created > 0
    row1 = action(store, "1", "2/20: Mathieu: find acms_metadata and sent param list to GE")
    assert row1 is not None
    assert row1.properties["status"] == "Planned"
    assert row1.properties["priority"] == "Medium"
    assert row1.properties["program_code"] == "A350"
    assert row1.properties["ac_family"] == "A350"
    row33 = action(store, "33", "correcting the maintenance advice...")
    assert row33 is not None, "row 33's unquoted comma shifts Actions; it still loads"
    assert row33.properties["issue"] == "Update: regarding GE A320 ATA 32"
    bodies = sorted(o.properties["body"] for o in all_objects(store, "StatusUpdate"))
    assert "GE to update model and maintenance advice., Changes have been made ..." in bodies
    lines = {(w.line, w.field) for w in report.warnings}
    assert (2, "Updates") in lines and (4, "Updates") in lines  # extra cells, named
    assert (2, "Model") in lines  # no ModelWork for the pivot table
    assert any(w.line == 3 and "elision" in w.message for w in report.warnings)
    people = all_objects(store, "Person")
    assert [p.properties["person_id"] for p in people] == ["francis-obusek"]


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
