"""Generic JSONL/JSON records: seed systems' exports come in without new code."""

from __future__ import annotations

import json
from pathlib import Path

from loaderkit import all_links

from opencase.graph import GraphStore
from opencase.loaders.demo import DEMO_DATA
from opencase.loaders.jsonl import load_jsonl


def jsonl(write_file, records: list[dict]) -> Path:  # type: ignore[no-untyped-def, type-arg]
    return write_file("x.jsonl", "".join(json.dumps(r) + "\n" for r in records))


def test_catapult_export_loads(store: GraphStore, samples: Path) -> None:
    report = load_jsonl(store, DEMO_DATA / "catapult_export.jsonl")
    assert report.ok, report.problems
    stats = store.stats()
    assert stats["ModelWork"] == 3 and stats["Release"] == 6 and stats["Deployment"] == 5
    prod = store.get_one("deployment:dep-llama7b-prod-v2")
    assert prod is not None
    assert prod.properties["environment"] == "PROD"  # "production" through the enum's synonyms
    assert prod.properties["endpoint_url"] == "https://api.companyA.prod/v2/llama"
    releases = {
        lk.target_id
        for lk in all_links(store, "model-work-has-release")
        if lk.source_id == "model-work:llama-3-7b-companyA"
    }
    assert "release:llama-3-7b-companyA|1.0.0|fp16" in releases
    again = load_jsonl(store, DEMO_DATA / "catapult_export.jsonl")
    assert (again.created, again.updated, again.links_created) == (0, 0, 0)


def test_opencase_json_array_with_api_names_loads(store: GraphStore, samples: Path) -> None:
    report = load_jsonl(store, samples / "jsonl" / "opencase_export.json")
    assert report.ok, report.problems
    case = store.get_one("integration-case:CASE-2025-030")
    assert case is not None
    assert case.properties["status"] == "NotStarted"  # "open" is a CaseStatus synonym
    assert case.properties["ata_chapter"] == "79-21"
    tasks = {lk.target_id for lk in all_links(store, "case-has-task")}
    assert tasks == {"integration-task:TASK-030-01", "integration-task:TASK-030-02"}
    risk = store.get_one("risk-issue:RISK-030-01")
    assert risk is not None and risk.properties["severity"] == "High"


def test_bad_records_name_line_and_field(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = jsonl(
        write_file,
        [
            {"objectType": "policy", "properties": {"policy_id": "P1", "name": "Export"}},
            {
                "objectType": "policy",
                "properties": {"policy_id": "P2", "colour": "red", "name": "x"},
            },
            {"objectType": "policy", "properties": {"policy_id": "P3"}},
            {"objectType": "no-such-type", "properties": {}},
            {"linkType": "policy-governs", "source": "P1", "target": "M1"},
            {"linkType": "policy-governs", "source": "P1", "target": "model-work:missing"},
            {"something": "else"},
        ],
    )
    path.write_text(path.read_text() + "{not json\n")
    report = load_jsonl(store, path)
    found = [(p.line, p.field) for p in report.problems]
    assert (2, "colour") in found and (3, "name") in found
    assert any(line == 4 for line, _ in found)
    assert (5, "target") in found  # ambiguous bare key for a multi-target link
    assert (6, "target") in found  # target neither in the file nor in the store
    assert any(line == 7 for line, _ in found) and any(line == 8 for line, _ in found)
    assert report.rejected == 7 and store.count("Policy") == 1


def test_multi_target_link_with_target_type_and_bare_keys(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = jsonl(
        write_file,
        [
            {"objectType": "ModelWork", "properties": {"model_key": "A330:72:hpc", "name": "HPC"}},
            {"objectType": "Policy", "properties": {"policy_id": "P1", "name": "Export"}},
            {
                "linkType": "policy-governs",
                "source": "P1",
                "target": "A330:72:hpc",
                "targetType": "model-work",
            },
        ],
    )
    report = load_jsonl(store, path)
    assert report.ok, report.problems
    links = all_links(store, "policy-governs")
    assert [(lk.source_id, lk.target_id) for lk in links] == [
        ("policy:P1", "model-work:A330:72:hpc")
    ]


def test_link_to_an_object_already_in_the_store(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    load_jsonl(
        store,
        jsonl(
            write_file, [{"objectType": "Dataset", "properties": {"dataset_id": "d1", "name": "D"}}]
        ),
    )
    report = load_jsonl(
        store,
        jsonl(
            write_file,
            [
                {
                    "objectType": "DatasetVersion",
                    "properties": {"dataset_version_id": "d1@v1", "version_id": "v1"},
                },
                {"linkType": "dataset-has-version", "source": "d1", "target": "d1@v1"},
            ],
        ),
    )
    assert report.ok, report.problems
    assert store.stats()["dataset-has-version"] == 1


def test_a_single_pretty_printed_json_record(store: GraphStore, write_file) -> None:  # type: ignore[no-untyped-def]
    path = write_file(
        "one.json",
        json.dumps(
            {"objectType": "Tool", "properties": {"toolId": "mlflow-2-14", "name": "MLflow"}},
            indent=2,
        ),
    )
    report = load_jsonl(store, path)
    assert report.ok and report.created == 1
    tool = store.get_one("tool:mlflow-2-14")
    assert tool is not None and tool.properties["name"] == "MLflow"
