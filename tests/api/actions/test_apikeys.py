"""API keys: only a salted hash on disk, 0600, scopes, verify/list/revoke, and the CLI."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from opencase.api import apikey_cli
from opencase.api.auth import ApiKeyStore, default_keys_path
from opencase.errors import ValidationError


@pytest.fixture
def keys(tmp_path: Path) -> ApiKeyStore:
    return ApiKeyStore(tmp_path / "keys" / "apikeys.json")


def test_create_then_verify(keys: ApiKeyStore) -> None:
    key = keys.create("write", "ci")
    found = keys.verify(key)
    assert found is not None
    assert (found.name, found.scope) == ("ci", "write")
    assert found.allows("write") and found.allows("read")


def test_a_read_key_only_reads(keys: ApiKeyStore) -> None:
    found = keys.verify(keys.create("read", "dash"))
    assert found is not None
    assert found.allows("read") and not found.allows("write")


def test_only_a_hash_is_on_disk_with_owner_only_permissions(keys: ApiKeyStore) -> None:
    key = keys.create("read", "dash")
    text = keys.path.read_text()
    secret = key.split("_", 2)[2]
    assert key not in text and secret not in text
    entry = json.loads(text)["keys"][0]
    assert set(entry) >= {"name", "scope", "created_at", "salt", "hash", "key_id"}
    assert stat.S_IMODE(keys.path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "wrong",
    ["", "oc_", "nonsense", "oc_deadbeef_guess", "Bearer x"],
)
def test_wrong_keys_are_refused(keys: ApiKeyStore, wrong: str) -> None:
    keys.create("write", "ci")
    assert keys.verify(wrong) is None


def test_a_tampered_key_is_refused(keys: ApiKeyStore) -> None:
    key = keys.create("write", "ci")
    assert keys.verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_list_and_revoke(keys: ApiKeyStore) -> None:
    first = keys.create("read", "a")
    second = keys.create("write", "b")
    assert [(k.name, k.scope) for k in keys.list()] == [("a", "read"), ("b", "write")]
    assert keys.revoke("a") is True
    assert keys.revoke("a") is False
    assert keys.verify(first) is None
    assert keys.verify(second) is not None


def test_a_revocation_reaches_an_open_key_store(keys: ApiKeyStore) -> None:
    """A server holds its ApiKeyStore open while the CLI revokes through another instance."""
    key = keys.create("write", "ci")
    assert keys.verify(key) is not None
    assert ApiKeyStore(keys.path).revoke("ci")
    assert keys.verify(key) is None


def test_names_are_unique_and_scopes_closed(keys: ApiKeyStore) -> None:
    keys.create("read", "a")
    with pytest.raises(ValidationError) as err:
        keys.create("read", "a")
    assert err.value.problems[0].field == "name"
    with pytest.raises(ValidationError) as err:
        keys.create("admin", "b")  # type: ignore[arg-type]
    assert err.value.problems[0].field == "scope"


def test_default_keys_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENCASE_API_KEYS", raising=False)
    store = tmp_path / ".opencase" / "graph"
    assert default_keys_path(str(store)) == tmp_path / ".opencase" / "graph.apikeys.json"
    assert default_keys_path("bolt://localhost:7687") == Path.home() / ".opencase/apikeys.json"
    monkeypatch.setenv("OPENCASE_API_KEYS", str(tmp_path / "k.json"))
    assert default_keys_path("neo4j://db") == tmp_path / "k.json"


def _cli() -> typer.Typer:
    app = typer.Typer()
    apikey_cli.register(app)

    @app.callback()
    def _root() -> None:
        """Group so that `apikey` is a sub-command, as in the opencase app."""

    return app


def test_cli_prints_the_key_once(tmp_path: Path) -> None:
    store = str(tmp_path / "graph")
    runner = CliRunner()
    made = runner.invoke(
        _cli(), ["apikey", "create", "--scope", "write", "--name", "ci", "--store", store]
    )
    assert made.exit_code == 0, made.output
    key = made.stdout.strip()
    assert key.startswith("oc_")
    assert "cannot be shown again" in made.stderr
    keys = ApiKeyStore(default_keys_path(store))
    assert keys.verify(key) is not None
    listed = runner.invoke(_cli(), ["apikey", "list", "--store", store])
    assert listed.exit_code == 0
    assert "ci" in listed.stdout and key not in listed.stdout
    assert key not in default_keys_path(store).read_text()
    gone = runner.invoke(_cli(), ["apikey", "revoke", "ci", "--store", store])
    assert gone.exit_code == 0
    assert keys.verify(key) is None
    again = runner.invoke(_cli(), ["apikey", "revoke", "ci", "--store", store])
    assert again.exit_code == 1


def test_cli_refuses_an_unknown_scope(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _cli(), ["apikey", "create", "--scope", "admin", "--keys-file", str(tmp_path / "k.json")]
    )
    assert result.exit_code != 0
    assert not (tmp_path / "k.json").exists()


def test_the_opencase_command_has_the_apikey_group() -> None:
    from opencase.cli import app

    result = CliRunner().invoke(app, ["apikey", "--help"])
    assert result.exit_code == 0
    assert "create" in result.stdout and "revoke" in result.stdout
