"""The sync against a real `mlflow server` on loopback (REST client, proxied artifacts).

The server runs from its own environment (scripts/setup.d/40-mlflow-server.sh)
because full MLflow and our Strawberry need incompatible graphql-core versions.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mlflow_world import MODEL_KEY, build_world, free_port

from opencase.graph import GraphStore
from opencase.loaders.mlflow import MlflowSyncConfig, sync_mlflow

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(os.environ.get("MLFLOW_SERVER_VENV", ROOT / ".mlflow-server-venv")) / "bin" / "mlflow"
STARTUP_SECONDS = 180

pytestmark = pytest.mark.slow


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not SERVER.exists():
        pytest.skip(f"no `mlflow server` at {SERVER}: run scripts/setup.d/40-mlflow-server.sh")
    work = tmp_path_factory.mktemp("mlflow-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (work / "server.log").open("w")
    proc = subprocess.Popen(
        [str(SERVER), "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{work / 'mlflow.db'}",
         "--artifacts-destination", str(work / "artifacts"), "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT, cwd=work, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"mlflow server did not start:\n{(work / 'server.log').read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server's own process group, started above
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_sync_over_http_maps_everything_and_resync_writes_nothing(
    mlflow_server: str, store: GraphStore, tmp_path: Path
) -> None:
    world = build_world(tmp_path / "client", uri=mlflow_server, local_artifacts=False)
    config: dict[str, Any] = {"tracking_uri": mlflow_server, "state_path": str(tmp_path / "s.json")}
    report = sync_mlflow(store, MlflowSyncConfig(**config))
    assert report.ok, report.problems
    assert report.rows_read == 2 and report.versions_read == 2
    version = store.get_one(f"model-version:{MODEL_KEY}@1")  # REST gives "1": same key as SQL
    assert version is not None and version.properties["status"] == "Approved"
    report_file = store.get_one(f"artifact:mlflow:{world.runs['train']}/reports/report.html")
    assert report_file is not None and report_file.properties["size_bytes"] == len("<h1>ok</h1>")
    assert report_file.properties["uri"].startswith("mlflow-artifacts:")
    again = sync_mlflow(store, MlflowSyncConfig(**config))
    assert again.nothing_changed and again.rows_read == 0
    world.run("late", metrics={"auc": [0.99]})
    later = sync_mlflow(store, MlflowSyncConfig(**config))
    assert later.rows_read == 1 and store.get_one(f"experiment:mlflow:{world.runs['late']}")
