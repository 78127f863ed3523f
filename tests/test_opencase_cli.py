"""The ``opencase`` command registers every package's sub-commands, and says when one is missing."""

from __future__ import annotations

import pytest

from opencase import cli


def test_every_contribution_is_a_command_group_or_command() -> None:
    names = {c.name for c in cli.app.registered_commands} | {
        g.name for g in cli.app.registered_groups
    }
    assert {"ontology", "store", "load", "serve", "export", "sync", "demo"} <= names


def test_a_missing_sub_command_module_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken install must not silently lose a command."""
    monkeypatch.setattr(cli, "_CONTRIBUTIONS", ("opencase.no_such_cli",))
    with pytest.raises(ModuleNotFoundError, match="no_such_cli"):
        cli._register()
