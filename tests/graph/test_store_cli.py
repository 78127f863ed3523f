"""``opencase store install`` and ``opencase store info`` on a real store."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from opencase.cli import app
from opencase.graph import ObjectRecord, WriteBatch, open_store


def test_install_then_info(tmp_path: Path) -> None:
    path = str(tmp_path / "g")
    runner = CliRunner()
    first = runner.invoke(app, ["store", "install", "--store", path])
    assert first.exit_code == 0, first.output
    assert "created table ModelWork" in first.output
    again = runner.invoke(app, ["store", "install", "--store", path])
    assert "0 change(s)" in again.output
    with open_store(path) as store:
        store.write(
            WriteBatch(objects=[ObjectRecord("ModelWork", {"model_key": "k", "name": "N"})])
        )
    info = runner.invoke(app, ["store", "info", "--store", path])
    assert info.exit_code == 0, info.output
    assert "embedded" in info.output and "ModelWork" in info.output
