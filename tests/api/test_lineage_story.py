"""Lineage answers ML questions the way data-flow tools do, on a graph loaded from JSONL.

Two models share a person, a partner, a work package and a programme. The
dataset has two versions; each model was trained on its own version, and its
version was released and deployed (model A in two environments). The graph is
loaded with ``opencase load jsonl`` (a real process), then asked over GraphQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.graph import open_store

CONTEXT = {"person", "partner", "program", "work-package", "model-work"}


def _obj(api: str, **props: Any) -> dict[str, Any]:
    return {"objectType": api, "properties": props}


def _link(api: str, source: str, target: str, **props: Any) -> dict[str, Any]:
    return {"linkType": api, "source": source, "target": target, "properties": props}


RECORDS = [
    _obj("person", person_id="ana", name="Ana"),
    _obj("partner", name="Acme"),
    _obj("program", code="DAIA"),
    _obj("work-package", work_package_id="wp1", title="Engines"),
    _obj("model-work", model_key="A350:72:a", name="Model A"),
    _obj("model-work", model_key="A350:72:b", name="Model B"),
    _obj("dataset", dataset_id="logs", name="Flight logs"),
    _obj("dataset-version", dataset_version_id="logs@1", version_id="1"),
    _obj("dataset-version", dataset_version_id="logs@2", version_id="2"),
    _obj("experiment", run_key="ra", run_id="ra", tracking_system="mlflow"),
    _obj("experiment", run_key="rb", run_id="rb", tracking_system="mlflow"),
    _obj("model-version", model_version_id="a@1", version="1"),
    _obj("model-version", model_version_id="b@1", version="1"),
    _obj("release", release_id="a-rel", version="1.0.0"),
    _obj("deployment", deployment_id="a-prod", environment="PROD"),
    _obj("deployment", deployment_id="a-test", environment="TEST"),
    _obj("deployment", deployment_id="b-prod", environment="PROD"),
]
for model in ("model-work:A350:72:a", "model-work:A350:72:b"):
    RECORDS += [
        _link("daia-model-owned-by", model, "person:ana"),
        _link("daia-model-by-partner", model, "partner:Acme"),
        _link("daia-model-in-work-package", model, "work-package:wp1"),
        _link("model-work-uses-dataset", model, "dataset:logs"),
    ]
RECORDS += [
    _link("work-package-in-program", "work-package:wp1", "program:DAIA"),
    _link("dataset-has-version", "dataset:logs", "dataset-version:logs@1"),
    _link("dataset-has-version", "dataset:logs", "dataset-version:logs@2"),
    _link("experiment-used-dataset", "experiment:ra", "dataset-version:logs@1", context="training"),
    _link("experiment-used-dataset", "experiment:rb", "dataset-version:logs@2", context="training"),
    _link("model-version-has-experiment", "model-version:a@1", "experiment:ra"),
    _link("model-version-has-experiment", "model-version:b@1", "experiment:rb"),
    _link("model-work-has-version", "model-work:A350:72:a", "model-version:a@1"),
    _link("model-work-has-version", "model-work:A350:72:b", "model-version:b@1"),
    _link("release-packages-version", "release:a-rel", "model-version:a@1"),
    _link("deployment-of-release", "deployment:a-prod", "release:a-rel"),
    _link("deployment-deploys-version", "deployment:a-prod", "model-version:a@1"),
    _link("deployment-deploys-version", "deployment:a-test", "model-version:a@1"),
    _link("deployment-deploys-version", "deployment:b-prod", "model-version:b@1"),
]


def _opencase(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opencase.cli", *args], capture_output=True, text=True, timeout=300
    )


def _loaded(root: Path) -> str:
    """A store loaded from the story's JSONL with ``opencase load jsonl``."""
    records = root / "story.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    store_path = str(root / "graph")
    done = _opencase("load", "jsonl", str(records), "--store", store_path)
    assert done.returncode == 0, done.stderr
    return store_path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphQLClient]:
    root = tmp_path_factory.mktemp("story")
    with open_store(_loaded(root)) as store:
        c = GraphQLClient(create_app(store=store, keys_path=root / "keys.json"))
        yield c
        c.close()


def test_impact_on_the_command_line(tmp_path: Path) -> None:
    store = _loaded(tmp_path)
    done = _opencase("impact", "dataset-version:logs@1", "--types", "deployment", "-s", store)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "dataset-version:logs@1" in lines[0]
    assert [line for line in lines if "experiment:ra" in line]  # the chain, once
    assert len([line for line in lines if "deployment:" in line]) == 2
    assert "b-prod" not in done.stdout and "2 affected object(s) of type deployment" in done.stdout
    as_json = _opencase(
        "impact", "dataset-version:logs@2", "-t", "deployment,release", "--json", "-s", store
    )
    assert [n["id"] for n in json.loads(as_json.stdout)["nodes"]] == ["deployment:b-prod"]
    bad = _opencase("impact", "dataset-version:nope", "-s", store)
    assert bad.returncode == 2 and "dataset-version:nope" in bad.stderr


def _lineage(client: GraphQLClient, start: str, args: str) -> dict[str, Any]:
    query = (
        f'{{ lineage(id: "{start}", {args}) {{ nodes {{ id objectType depth via }} '
        "edges { source target linkType role properties } partial } }"
    )
    return client.data(query)["lineage"]


def _ids(result: dict[str, Any], start: str) -> set[str]:
    return {n["id"] for n in result["nodes"]} - {start}


def test_downstream_from_a_dataset_reaches_deployments_and_no_context(
    client: GraphQLClient,
) -> None:
    found = _lineage(client, "dataset:logs", "direction: DOWNSTREAM, depth: 8")
    ids = _ids(found, "dataset:logs")
    assert {"deployment:a-prod", "deployment:a-test", "deployment:b-prod"} <= ids
    assert not {n["objectType"] for n in found["nodes"]} & CONTEXT
    used = [e for e in found["edges"] if e["linkType"] == "experiment-used-dataset"]
    assert used and all(e["properties"] == {"context": "training"} for e in used)


def test_downstream_from_a_dataset_version_is_strict(client: GraphQLClient) -> None:
    found = _lineage(client, "dataset-version:logs@2", "direction: DOWNSTREAM, depth: 8")
    deployments = {n["id"] for n in found["nodes"] if n["objectType"] == "deployment"}
    assert deployments == {"deployment:b-prod"}
    assert _ids(found, "dataset-version:logs@2") == {
        "experiment:rb",
        "model-version:b@1",
        "deployment:b-prod",
    }


def test_upstream_from_a_deployment_reaches_its_exact_dataset_version(
    client: GraphQLClient,
) -> None:
    found = _lineage(client, "deployment:a-prod", "direction: UPSTREAM, depth: 8")
    ids = _ids(found, "deployment:a-prod")
    assert {"model-version:a@1", "experiment:ra", "dataset-version:logs@1", "dataset:logs"} <= ids
    assert "dataset-version:logs@2" not in ids
    assert not {"person:ana", "partner:Acme", "program:DAIA", "work-package:wp1"} & ids
    via = {n["id"]: n["via"] for n in found["nodes"]}
    assert via["dataset-version:logs@1"] == "experiment-used-dataset"
    assert via["deployment:a-prod"] is None


def test_include_context_adds_the_surroundings(client: GraphQLClient) -> None:
    found = _lineage(client, "model-version:a@1", "direction: UPSTREAM, include: [FLOW, CONTEXT]")
    ids = _ids(found, "model-version:a@1")
    assert {"person:ana", "partner:Acme", "work-package:wp1"} <= ids
    roles = {e["linkType"]: e["role"] for e in found["edges"]}
    assert roles["daia-model-owned-by"] == "context"
    assert roles["model-work-has-version"] == "flow"
    assert "model-version:b@1" not in ids
    error = client.error(
        '{ lineage(id: "model-work:A350:72:a", linkTypes: ["daia-model-owned-by"]) { partial } }'
    )
    assert "context link" in error["message"]


def test_impact_of_a_dataset_version_on_deployments(client: GraphQLClient) -> None:
    query = """{ impact(id: "dataset-version:logs@1", objectTypes: ["deployment"]) {
        nodes { id objectType title depth via path { id objectType } } partial } }"""
    found = client.data(query)["impact"]
    assert {n["id"] for n in found["nodes"]} == {"deployment:a-prod", "deployment:a-test"}
    assert not found["partial"]
    test = next(n for n in found["nodes"] if n["id"] == "deployment:a-test")
    assert test["depth"] == 3 and test["via"] == "deployment-deploys-version"
    assert [p["objectType"] for p in test["path"]] == [
        "dataset-version",
        "experiment",
        "model-version",
        "deployment",
    ]
    error = client.error('{ impact(id: "dataset-version:nope") { partial } }')
    assert "dataset-version:nope" in error["message"]


def test_path_prefers_provenance(client: GraphQLClient) -> None:
    query = """{ path(from: "dataset:logs", to: "deployment:b-prod"%s) {
        length edges { linkType properties } } }"""
    found = client.data(query % "")["path"]
    assert [e["linkType"] for e in found["edges"]] == [
        "dataset-has-version",
        "experiment-used-dataset",
        "model-version-has-experiment",
        "deployment-deploys-version",
    ]
    assert found["edges"][1]["properties"] == {"context": "training"}
    wide = client.data(query % ", include: [FLOW, CONTEXT]")["path"]
    assert wide["length"] == 3  # through the model work's context link
    narrow = client.data(query % ', linkTypes: ["dataset-has-version"]')["path"]
    assert narrow is None


def test_ontology_shows_each_link_types_role(client: GraphQLClient) -> None:
    links = client.data("{ ontology { linkTypes { apiName role upstream } } }")["ontology"]
    by_name = {lt["apiName"]: lt for lt in links["linkTypes"]}
    assert by_name["experiment-used-dataset"] == {
        "apiName": "experiment-used-dataset",
        "role": "flow",
        "upstream": "target",
    }
    assert by_name["daia-model-owned-by"]["role"] == "context"
    assert by_name["daia-model-owned-by"]["upstream"] is None


def test_link_properties_on_connection_edges(client: GraphQLClient) -> None:
    query = """{ experiment(id: "experiment:ra") {
        datasetVersions%s { totalCount edges { context node { id } } } } }"""
    edges = client.data(query % "")["experiment"]["datasetVersions"]["edges"]
    assert edges == [{"context": "training", "node": {"id": "dataset-version:logs@1"}}]
    training = client.data(query % '(where: {context: {eq: "training"}})')
    assert training["experiment"]["datasetVersions"]["totalCount"] == 1
    evaluation = client.data(query % '(where: {context: {eq: "evaluation"}, versionId: {eq: "1"}})')
    assert evaluation["experiment"]["datasetVersions"]["totalCount"] == 0
    back = client.data(
        """{ datasetVersion(id: "dataset-version:logs@2") {
            experiments(where: {context: {in: ["training"]}}) {
                edges { context node { id } } } } }"""
    )["datasetVersion"]["experiments"]["edges"]
    assert back == [{"context": "training", "node": {"id": "experiment:rb"}}]
