"""``opencase ontology``: the summary, the JSON export and the JSON Schema files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from opencase.cli import app
from opencase.ontology import ONTOLOGY

runner = CliRunner()


def test_summary_lists_counts_areas_and_every_type() -> None:
    result = runner.invoke(app, ["ontology"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert f"{len(ONTOLOGY.object_types)} object types" in result.output
    assert f"{len(ONTOLOGY.link_types)} link types" in result.output
    for area in {ot.area for ot in ONTOLOGY.object_types}:
        assert area in result.output
    for ot in ONTOLOGY.object_types:
        assert ot.name in result.output
    for lt in ONTOLOGY.link_types:
        assert lt.api_name in result.output


def test_json_has_the_documented_shape() -> None:
    result = runner.invoke(app, ["ontology", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"objectTypes", "linkTypes", "actionTypes", "enums", "version"}
    assert doc["version"] == ONTOLOGY.version
    assert [o["name"] for o in doc["objectTypes"]] == [ot.name for ot in ONTOLOGY.object_types]
    model_work = doc["objectTypes"][0]
    assert set(model_work) == {
        "name",
        "apiName",
        "primaryKey",
        "titleProperty",
        "description",
        "properties",
    }
    family = next(p for p in model_work["properties"] if p["name"] == "ac_family")
    assert family == {
        "name": "ac_family",
        "type": "enum",
        "required": False,
        "description": ONTOLOGY.object_type("ModelWork").prop("ac_family").description,
        "enum": ["A220", "A300", "A320", "A330", "A350"],
    }
    name = next(p for p in model_work["properties"] if p["name"] == "name")
    assert "enum" not in name
    link = next(lt for lt in doc["linkTypes"] if lt["apiName"] == "risk-applies-to")
    assert set(link) == {
        "apiName",
        "source",
        "targets",
        "cardinality",
        "forwardField",
        "reverseField",
        "description",
        "role",
        "properties",
    }
    assert link["role"] == "context"  # flow links add "upstream" (test_link_roles.py)
    assert link["targets"] == ["ModelWork", "ModelVersion", "Deployment"]
    assert link["cardinality"] == "many-to-many"
    action = doc["actionTypes"][0]
    assert set(action) == {"name", "apiName", "description", "parameters", "touches"}
    assert len(doc["actionTypes"]) == len(ONTOLOGY.action_types)
    assert {e["name"] for e in doc["enums"]} == {e.name for e in ONTOLOGY.enums}


def test_jsonschema_writes_one_file_per_object_type(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ontology", "--jsonschema", str(tmp_path / "schemas")])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "schemas").glob("*.schema.json"))
    assert [f.name for f in files] == sorted(
        f"{ot.api_name}.schema.json" for ot in ONTOLOGY.object_types
    )
    schema = json.loads((tmp_path / "schemas" / "deployment.schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["deployment_id", "environment"]
