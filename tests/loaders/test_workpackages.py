"""Work-package lists: seed 001 section 4's examples, partners from headers, families."""

from __future__ import annotations

from pathlib import Path

from loaderkit import all_links, all_objects

from opencase.graph import GraphStore
from opencase.graph.store import ObjectRecord
from opencase.loaders.workpackages import load_work_packages


def models_by_key(store: GraphStore) -> dict[str, dict]:  # type: ignore[type-arg]
    return {o.properties["model_key"]: dict(o.properties) for o in all_objects(store, "ModelWork")}


def test_seed_examples_parse_as_the_seed_says(store: GraphStore, samples: Path) -> None:
    report = load_work_packages(store, samples / "work_packages_seed_001.txt")
    assert report.ok and report.rows_read == 5
    models = models_by_key(store)
    hpc = models["A330:72:hpc-cf6-80e-cruise"]
    assert (hpc["name"], hpc["ac_family"], hpc["ata_chapter"], hpc["partner_name"]) == (
        "HPC (CF6-80E) - Cruise",
        "A330",
        "72",
        "GE",
    )
    assert "A330:73:n1-shortfall-cf6-80e-take-off" in models
    fuel = models["A220:28:fuel-imbalance-model-28-22-35"]
    assert fuel["ata_chapter"] == "28-22" and fuel.get("partner_name") is None
    by_partner = {lk.source_id: lk.target_id for lk in all_links(store, "daia-model-by-partner")}
    assert by_partner == {
        "model-work:A330:72:hpc-cf6-80e-cruise": "partner:GE",
        "model-work:A330:72:hpt-cf6-80e-cruise": "partner:GE",
        "model-work:A330:73:n1-shortfall-cf6-80e-take-off": "partner:GE",
    }
    in_wp = {lk.source_id: lk.target_id for lk in all_links(store, "daia-model-in-work-package")}
    assert in_wp["model-work:A220:34:radio-altimeter-problem-34-44-01"] == (
        "work-package:a220-development-schedule"
    )
    assert len(in_wp) == 5


def test_same_name_under_two_families_is_two_models(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file(
        "wp.txt",
        "A330 PW CEO Development Schedule\nATA72: HPC (Cruise PW CEO)\n\n"
        "A350 PW CEO Development Schedule\nATA72: HPC (Cruise PW CEO)\n",
    )
    load_work_packages(store, path)
    assert sorted(models_by_key(store)) == [
        "A330:72:hpc-cruise-pw-ceo",
        "A350:72:hpc-cruise-pw-ceo",
    ]
    assert {o.properties["name"] for o in all_objects(store, "Partner")} == {"PW CEO"}


def test_partner_known_in_the_store_is_found_in_headers(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    list(store.upsert([ObjectRecord("Partner", {"name": "Liebherr"})]))
    path = write_file("wp.txt", "A350 Liebherr Development Schedule\nATA79: Oil Pressure 79-21\n")
    load_work_packages(store, path)
    model = models_by_key(store)["A350:79:oil-pressure-79-21"]
    assert (model["partner_name"], model["ata_chapter"]) == ("Liebherr", "79-21")


def test_lines_before_a_header_and_noise_are_reported(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file(
        "wp.txt",
        "ATA72: Orphan\n...\nA330 GE Development Schedule\nsome note\n"
        "ATA72: HPC (CF6-80E) - Cruise\n",
    )
    report = load_work_packages(store, path)
    assert [(p.line, p.field) for p in report.problems] == [(1, "header")]
    assert [w.line for w in report.warnings] == [4]
    assert list(models_by_key(store)) == ["A330:72:hpc-cf6-80e-cruise"]
    again = load_work_packages(store, path)
    assert (again.created, again.updated, again.links_created) == (0, 0, 0)
