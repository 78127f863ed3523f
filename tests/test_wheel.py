"""The wheel is the product: built from this checkout, installed into a clean virtualenv.

The Dockerfile ships exactly this wheel, so what is missing here (the playground's
browser assets, the demo files) is missing in the image. The test builds the wheel,
installs it where no checkout can leak in (another directory, a fresh venv), builds
the demo graph, serves it, and loads the playground page with every asset it names.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from opencase.api.playground.page import assets_present

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not assets_present():
        pytest.skip("playground assets not fetched (run scripts/setup, which needs npm)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("opencase-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel and its dependencies, and nothing of the checkout."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return env_dir / "bin"


def _clean_env(home: Path) -> dict[str, str]:
    """No PYTHONPATH, no OPENCASE_* of the caller: only what the wheel brings."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "OPENCASE_"))}
    return {**keep, "HOME": str(home)}


def test_the_wheel_ships_the_playground_assets_and_the_demo_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js"):
        assert f"opencase/api/playground/vendor/{asset}" in names
    for asset in ("vendor/dagre.min.js", "static/explore.js", "static/graph.js", "index.html"):
        assert f"opencase/api/explore/{asset}" in names
    assert "opencase/loaders/demo_data/daia_tracker.csv" in names
    assert not any(name.startswith(("tests/", "bench/")) for name in names)


@pytest.fixture(scope="module")
def served(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("work")
    env = _clean_env(work)
    store = str(work / "graph")
    demo = subprocess.run(
        [str(installed / "opencase"), "demo", "--store", store],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(installed / "opencase"), "serve", "--store", store, "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the installed server did not come up"
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_installed_package_builds_the_demo_and_serves_the_playground(served: str) -> None:
    page = httpx.get(f"{served}/graphql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', page.text)
    assert len(assets) >= 4, page.text[:500]
    for asset in assets:
        assert httpx.get(f"{served}{asset}", timeout=10).status_code == 200, asset
    explorer = httpx.get(f"{served}/explore/overview", timeout=10)
    assert explorer.status_code == 200 and "opencase-config" in explorer.text
    explorer_assets = re.findall(r'(?:src|href)="(/explore/[^"?]+\.(?:js|css))', explorer.text)
    assert len(explorer_assets) >= 4, explorer.text[:500]
    for asset in explorer_assets:
        assert httpx.get(f"{served}{asset}", timeout=10).status_code == 200, asset
    answer = httpx.post(
        f"{served}/graphql",
        json={"query": "{ modelWorks(first: 1) { totalCount } }"},
        timeout=30,
    ).json()
    assert answer["data"]["modelWorks"]["totalCount"] > 0
