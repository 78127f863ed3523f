"""A real dbt project (dbt-duckdb) run by `dbt-ol`, OpenLineage's dbt wrapper, against a server.

The dbt environment is installed apart by ``scripts/setup.d/45-dbt-openlineage.sh``
(dbt pins libraries of its own); without it this test is skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from apikit import Running

ROOT = Path(__file__).resolve().parents[2]
DBT_VENV = Path(os.environ.get("DBT_VENV", ROOT / ".dbt-venv"))
PROJECT = Path(__file__).resolve().parent / "dbt_project"

pytestmark = pytest.mark.slow


def _dbt_ol(args: list[str], project: Path, server: Running) -> None:
    env = {
        **os.environ,
        "PATH": f"{DBT_VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "OPENLINEAGE_URL": f"http://{server.url}",
        "OPENLINEAGE_API_KEY": server.write_key,
        "OPENLINEAGE_NAMESPACE": "dbt-warehouse",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    done = subprocess.run(
        [str(DBT_VENV / "bin" / "dbt-ol"), *args, "--profiles-dir", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_a_dbt_run_sends_its_models_as_datasets_with_lineage(
    server: Running, tmp_path: Path
) -> None:
    if not (DBT_VENV / "bin" / "dbt-ol").is_file():
        pytest.skip("dbt-ol not installed (scripts/setup.d/45-dbt-openlineage.sh)")
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    _dbt_ol(["seed"], project, server)  # the raw tables the sources point at
    _dbt_ol(["run"], project, server)
    answer = httpx.post(
        f"http://{server.url}/graphql",
        json={
            "query": """{
              datasets(where: {name: {eq: "warehouse.main.engine_features"}}) {
                edges { node { id namespace writtenByRuns { edges { node {
                  state job { name } inputs { edges { node { id } } } } } } } }
              }
            }"""
        },
        timeout=30,
    ).json()
    assert "errors" not in answer, answer
    (edge,) = answer["data"]["datasets"]["edges"]
    model = edge["node"]
    assert model["namespace"] == "duckdb://warehouse.duckdb"
    (run,) = [e["node"] for e in model["writtenByRuns"]["edges"]]
    assert run["state"] == "COMPLETE"
    inputs = {e["node"]["id"] for e in run["inputs"]["edges"]}
    assert inputs == {
        "dataset:duckdb://warehouse.duckdb/warehouse.main.engine_snapshots",
        "dataset:duckdb://warehouse.duckdb/warehouse.main.flights",
    }
    up = httpx.post(
        f"http://{server.url}/graphql",
        json={
            "query": f'{{ lineage(id: "{model["id"]}", direction: UPSTREAM, depth: 2) '
            "{ nodes { id } } }"
        },
        timeout=30,
    ).json()
    assert inputs <= {n["id"] for n in up["data"]["lineage"]["nodes"]}
