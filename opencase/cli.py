"""The ``opencase`` command. Each package contributes its own sub-commands.

Sub-apps live beside the code they drive (``opencase.loaders.cli`` and so on)
so that this module stays a table of contents.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from opencase.errors import OpenCaseError

app = typer.Typer(
    name="opencase",
    help="OpenCase: one typed graph of ML model lineage (ontology, graph store, API).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """OpenCase: one typed graph of ML model lineage (ontology, graph store, API)."""
    # A callback keeps `opencase` a command group even while only one package has
    # registered a command (typer would otherwise run that command as the root).


#: (module, attribute): each is either a Typer app added as a group, or a
#: function ``register(app)`` that adds plain commands.
_CONTRIBUTIONS = (
    "opencase.ontology.cli",
    "opencase.graph.cli",
    "opencase.graph.impact_cli",
    "opencase.loaders.cli",
    "opencase.api.cli",
    "opencase.api.apikey_cli",
    "opencase.loaders.mlflow_cli",
    "opencase.export.cli",
)


def _register() -> None:
    """Add every package's commands; a missing module is a broken install and fails loudly."""
    for module_name in _CONTRIBUTIONS:
        importlib.import_module(module_name).register(app)


_register()


def main() -> None:
    """Entry point that turns our own errors into one clear message and exit code 2."""
    try:
        app(standalone_mode=True)
    except OpenCaseError as exc:
        err.print(f"[bold red]error:[/] {exc.message}")
        if exc.suggestion:
            err.print(f"  [dim]hint:[/] {exc.suggestion}")
        sys.exit(2)


if __name__ == "__main__":
    main()
