"""What a user sees: `opencase sync mlflow` output, and the synced lineage through GraphQL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from mlflow_world import MODEL_KEY, MlflowWorld, free_port
from typer.testing import CliRunner

from opencase.api.app import create_app
from opencase.cli import app
from opencase.graph import GraphStore, open_store

LINEAGE = """
query ($id: ID!, $direction: LineageDirection!) {
  lineage(id: $id, depth: 2, direction: $direction) {
    nodes { id objectType } edges { source target linkType } partial }
}
"""


async def _graphql(store: GraphStore, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    api = create_app(store=store)
    async with api.router.lifespan_context(api):
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


def test_graphql_lineage_of_a_version_reaches_its_run_and_data_and_the_run_its_outputs(
    world: MlflowWorld, store: GraphStore, sync: Any
) -> None:
    sync(world)
    version = f"model-version:{MODEL_KEY}@1"
    data = asyncio.run(_graphql(store, LINEAGE, {"id": version, "direction": "UPSTREAM"}))
    reached = {n["id"] for n in data["lineage"]["nodes"]}
    run = f"experiment:mlflow:{world.runs['train']}"
    assert run in reached  # the run that produced the version
    assert "dataset-version:egt-history@d1g35t01" in reached  # the data it trained on
    assert f"model-work:{MODEL_KEY}" in reached
    edges = {(e["source"], e["linkType"], e["target"]) for e in data["lineage"]["edges"]}
    assert (version, "model-version-has-experiment", run) in edges
    # the run's other outputs are downstream of the run
    made = asyncio.run(_graphql(store, LINEAGE, {"id": run, "direction": "DOWNSTREAM"}))
    outputs = {n["id"] for n in made["lineage"]["nodes"]}
    assert f"metric:mlflow:{world.runs['train']}|auc" in outputs
    assert f"artifact:mlflow:{world.runs['train']}/reports/report.html" in outputs
    assert version in outputs


def test_cli_sync_prints_json_and_a_second_sync_writes_nothing(
    world: MlflowWorld, tmp_path: Path
) -> None:
    graph = str(tmp_path / "cli-graph")
    argv = ["sync", "mlflow", "--tracking-uri", world.uri, "--store", graph, "--json"]
    first = CliRunner().invoke(app, argv)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["mode"] == "full" and summary["runs_read"] == 2 and summary["created"] > 0
    assert Path(graph + ".mlflow-sync.json").is_file()  # the watermark lives beside the store
    second = json.loads(CliRunner().invoke(app, argv).stdout)
    assert second["nothing_changed"] and second["created"] == second["updated"] == 0
    with open_store(graph, read_only=True) as store:
        assert store.count("Experiment") == 2


def test_cli_unreachable_server_exits_2_with_one_clear_error(tmp_path: Path) -> None:
    graph = tmp_path / "untouched"
    done = subprocess.run(
        [sys.executable, "-m", "opencase.cli", "sync", "mlflow", "--store", str(graph),
         "--tracking-uri", f"http://127.0.0.1:{free_port()}"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot reach the MLflow tracking server" in errors[0]
    assert "Traceback" not in done.stderr and not graph.exists()
