"""``opencase sync mlflow``: bring the graph up to date with an MLflow tracking server.

The report goes to stdout (a table, or JSON with ``--json``), the progress bar
and errors to stderr. Exit status: 0 synced, 1 some run or version could not be
mapped (the rest was written), 2 the server or the store cannot be used at all.
"""

from __future__ import annotations

import typer
from rich.console import Console

from opencase.config import store_uri

sync_app = typer.Typer(
    name="sync",
    help="Synchronise the graph with external systems (MLflow).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(sync_app, name="sync")


@sync_app.command("mlflow")
def mlflow_command(
    tracking_uri: str = typer.Option(
        ...,
        "--tracking-uri",
        envvar="MLFLOW_TRACKING_URI",
        help="sqlite:///mlflow.db, a file store folder, or http://host:5000.",
    ),
    experiment: list[str] = typer.Option(
        [], "--experiment", help="Sync only this experiment (repeatable); default: all."
    ),
    full: bool = typer.Option(
        False, "--full", help="Re-read everything instead of what changed since the last sync."
    ),
    metric_history: bool = typer.Option(
        False, "--metric-history", help="Keep every step of every metric, not only the latest."
    ),
    artifacts: bool = typer.Option(
        True, "--artifacts/--no-artifacts", help="List run artifacts into Artifact objects."
    ),
    state_file: str | None = typer.Option(
        None, "--state-file", help="Watermark file (default: beside the embedded store)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    store: str | None = typer.Option(
        None,
        "--store",
        help="Store path or bolt:// URI (default: OPENCASE_STORE or ./.opencase/graph).",
    ),
) -> None:
    """Runs, metrics, artifacts, datasets, registered models and versions from MLflow."""
    from opencase.graph import open_store
    from opencase.loaders.progress import LoadProgress

    from .mlflow import MlflowSyncConfig, sync_mlflow
    from .mlflow.client import MlflowReader

    config = MlflowSyncConfig(
        tracking_uri=tracking_uri,
        experiments=tuple(experiment),
        full=full,
        metric_history=metric_history,
        artifacts=artifacts,
        state_path=state_file,
    )
    MlflowReader(config).check()  # a dead server fails before the store is even opened
    target = store_uri(store)
    with open_store(target) as graph, LoadProgress() as progress:
        graph.install_schema()
        report = sync_mlflow(graph, config, store_uri=target, progress=progress)
    if as_json:
        typer.echo(report.to_json())
    else:
        report.print(Console())
    raise typer.Exit(report.exit_code)
