"""A real MLflow tracking store with the things a team really logs (helpers for the tests).

Built with MLflow's own client (no mocks): two experiments, a parent run with a
nested child, metrics logged over steps, params and tags, a dataset input, an
artifact file, and a registered model with versions, an alias and a stage.
"""

from __future__ import annotations

import shutil
import socket
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from mlflow import MlflowClient
from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag

COMMIT = "0123abcd"
MODEL_KEY = "A330:72:hpc-cruise"


@dataclass
class MlflowWorld:
    """Handles on the store built for a test: client, URI and the ids of what it holds."""

    root: Path
    uri: str
    client: MlflowClient
    experiment_id: str = ""
    runs: dict[str, str] = field(default_factory=dict)  # name -> run id

    def run(
        self,
        name: str,
        *,
        metrics: dict[str, list[float]] | None = None,
        params: dict[str, str] | None = None,
        parent: str | None = None,
        finish: bool = True,
        experiment_id: str | None = None,
    ) -> str:
        tags = {"mlflow.source.git.commit": COMMIT, "team": "hpc"}
        if parent:
            tags["mlflow.parentRunId"] = self.runs[parent]
        run = self.client.create_run(experiment_id or self.experiment_id, run_name=name, tags=tags)
        rid = run.info.run_id
        now = int(time.time() * 1000)
        logged = [
            Metric(key, value, now + step, step)
            for key, values in (metrics or {}).items()
            for step, value in enumerate(values)
        ]
        self.client.log_batch(
            rid,
            metrics=logged,
            params=[Param(k, v) for k, v in (params or {}).items()],
            tags=[RunTag("note", "synthetic")],
        )
        if finish:
            self.client.set_terminated(rid)
        self.runs[name] = rid
        return rid

    def dataset(self, run: str, name: str, digest: str, context: str = "training") -> None:
        ds = Dataset(
            name=name,
            digest=digest,
            source_type="s3",
            source='{"uri": "s3://bucket/' + name + '.parquet"}',
            schema='{"mlflow_colspec": [{"type": "double", "name": "egt"}]}',
            profile='{"num_rows": 100}',
        )
        self.client.log_inputs(
            self.runs[run], [DatasetInput(ds, [InputTag("mlflow.data.context", context)])]
        )

    def artifact(self, run: str, name: str, text: str, folder: str | None = None) -> None:
        path = self.root / "upload" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self.client.log_artifact(self.runs[run], str(path), folder)

    def version(self, model: str, run: str, path: str = "model") -> str:
        rid = self.runs[run]
        mv = self.client.create_model_version(model, source=f"runs:/{rid}/{path}", run_id=rid)
        return str(mv.version)

    def stage(self, model: str, version: str, stage: str) -> None:
        with warnings.catch_warnings():  # stages are deprecated in MLflow, still widely used
            warnings.simplefilter("ignore")
            self.client.transition_model_version_stage(model, version, stage)


def empty_store(path: Path) -> str:
    """A migrated, empty MLflow SQLite store at ``path`` (creating one takes seconds)."""
    uri = f"sqlite:///{path}"
    MlflowClient(tracking_uri=uri).search_experiments()
    return uri


def build_world(
    root: Path,
    template: Path | None = None,
    *,
    uri: str | None = None,
    local_artifacts: bool = True,
) -> MlflowWorld:
    """The standard world in a new SQLite store under ``root`` (or at ``uri``: a server, a folder).

    Artifacts go under ``root`` (never ./mlruns) unless ``local_artifacts`` is off, when
    the tracking server decides (``mlflow-artifacts:/`` behind ``mlflow server``).
    """
    root.mkdir(parents=True, exist_ok=True)
    if uri is None:
        if template is not None:
            shutil.copyfile(template, root / "mlflow.db")
        uri = f"sqlite:///{root / 'mlflow.db'}"
    world = MlflowWorld(root, uri, MlflowClient(tracking_uri=uri, registry_uri=uri))
    location = str(root / "artifacts") if local_artifacts else None
    world.experiment_id = world.client.create_experiment("hpc-cruise", artifact_location=location)
    world.run(
        "train",
        metrics={"auc": [0.7, 0.8, 0.91], "loss": [0.5, 0.3]},
        params={"lr": "0.01", "seed": "42"},
    )
    world.run("fold-1", metrics={"auc": [0.9]}, parent="train")
    world.dataset("train", "egt-history", "d1g35t01")
    world.dataset("train", "egt-holdout", "d1g35t02", context="evaluation")
    world.artifact("train", "report.html", "<h1>ok</h1>", "reports")
    world.artifact("train", "weights.pt", "0" * 64, "model")
    client = world.client
    client.create_registered_model("hpc-cruise", tags={"opencase.model_key": MODEL_KEY})
    v1 = world.version("hpc-cruise", "train")
    client.set_registered_model_alias("hpc-cruise", "champion", v1)
    client.create_registered_model("egt-baseline", description="A baseline")
    v2 = world.version("egt-baseline", "fold-1")
    world.stage("egt-baseline", v2, "Staging")
    return world


def free_port() -> int:
    """A loopback port nobody listens on (for an unreachable server, or to start one)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
