"""``opencase apikey create|list|revoke``: manage the keys the API accepts.

The key is printed once, alone on stdout (so ``KEY=$(opencase apikey create
...)`` works); the hint that it cannot be shown again goes to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import typer
from rich.console import Console
from rich.table import Table

from opencase.config import store_uri

from .auth import SCOPES, ApiKeyStore, Scope, default_keys_path

apikey_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
_out = Console()
_err = Console(stderr=True)

_STORE = typer.Option(None, "--store", help="Graph store path or URI (default OPENCASE_STORE).")
_KEYS = typer.Option(None, "--keys-file", help="API keys file (default: beside the store).")


def _keys(store: str | None, keys_file: Path | None) -> ApiKeyStore:
    return ApiKeyStore(keys_file or default_keys_path(store_uri(store)))


@apikey_app.command("create")
def create(
    scope: str = typer.Option(
        ...,
        "--scope",
        help="read; audit (reads, deleted objects included); or write (admin: all of it).",
    ),
    name: str | None = typer.Option(None, "--name", help="Name recorded as the actor."),
    store: str | None = _STORE,
    keys_file: Path | None = _KEYS,
) -> None:
    """Create a key and print it once."""
    if scope not in SCOPES:
        raise typer.BadParameter("must be read, audit or write", param_hint="--scope")
    keys = _keys(store, keys_file)
    chosen = cast(Scope, scope)
    key = keys.create(chosen, name)
    print(key)
    _err.print(
        f"[green]created[/] {chosen} key in {keys.path}\n"
        "[yellow]This is the only time the key is shown; it cannot be shown again.[/]\n"
        "Send it as the X-API-Key header."
    )


@apikey_app.command("list")
def list_keys(store: str | None = _STORE, keys_file: Path | None = _KEYS) -> None:
    """List key names, scopes and creation times (never the keys)."""
    keys = _keys(store, keys_file)
    table = Table("name", "scope", "created at", title=str(keys.path))
    for key in keys.list():
        table.add_row(key.name, key.scope, key.created_at.isoformat(timespec="seconds"))
    _out.print(table)


@apikey_app.command("revoke")
def revoke(
    name: str = typer.Argument(..., help="Name of the key to revoke."),
    store: str | None = _STORE,
    keys_file: Path | None = _KEYS,
) -> None:
    """Revoke a key: it stops working at once, even in a running server."""
    if not _keys(store, keys_file).revoke(name):
        _err.print(f"[red]no API key named {name!r}[/]")
        raise typer.Exit(1)
    _err.print(f"revoked {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(apikey_app, name="apikey")
