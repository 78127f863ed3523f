"""Settings of one MLflow sync, as a pydantic model whose every field says what it does.

The CLI builds it from flags; a script or a scheduled job can build it from a
dict or a YAML file. Keeping the defaults here (not in the CLI) means the
library and the command behave the same.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from opencase.ontology import ONTOLOGY

#: Registered-model aliases people use for a version's standing, by lower-cased alias.
DEFAULT_ALIAS_STATUS: dict[str, str] = {
    "champion": "Approved",
    "production": "Approved",
    "prod": "Approved",
    "challenger": "Validating",
    "candidate": "Validating",
    "staging": "Validating",
    "archived": "Deprecated",
    "deprecated": "Deprecated",
}

#: MLflow's (deprecated but still common) stages, by lower-cased stage name.
DEFAULT_STAGE_STATUS: dict[str, str] = {
    "production": "Approved",
    "staging": "Validating",
    "archived": "Deprecated",
    "none": "Draft",
}


class MlflowSyncConfig(BaseModel):
    """What to read from which MLflow tracking server, and how."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tracking_uri: str = Field(
        description="Any tracking URI MLflow accepts: sqlite:///path/mlflow.db, a file store "
        "path (needs MLFLOW_ALLOW_FILE_STORE=true), or http(s)://host:port of `mlflow server`."
    )
    registry_uri: str | None = Field(
        default=None,
        description="Model registry URI when it differs from the tracking URI (rare).",
    )
    experiments: tuple[str, ...] = Field(
        default=(),
        description="Experiment names to sync; empty means every experiment, "
        "including ones created later.",
    )
    full: bool = Field(
        default=False,
        description="Ignore the watermark and re-read everything; still creates no duplicates "
        "and also catches metrics or artifacts logged to runs that had already ended.",
    )
    metric_history: bool = Field(
        default=False,
        description="Also keep every logged step of every metric (one Metric per step, "
        "beside the latest value); costs one MLflow call per run and metric.",
    )
    artifacts: bool = Field(
        default=True,
        description="List each run's artifacts (files, recursively) into Artifact objects.",
    )
    max_artifacts_per_run: int = Field(
        default=500,
        ge=0,
        description="Stop listing a run's artifacts after this many files (a warning says so).",
    )
    workers: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Parallel MLflow calls for per-run reads (artifact listings, metric "
        "history); they are I/O bound, so threads help most against an HTTP server.",
    )
    page_size: int = Field(
        default=1000,
        ge=1,
        le=50_000,
        description="Runs per MLflow search page.",
    )
    write_batch: int = Field(
        default=200_000,
        ge=1,
        description="Objects plus links per atomic graph write: whole pages of runs are "
        "joined until they reach this size. Every write is one commit, and the embedded "
        "engine checkpoints at each commit that adds rows, so few large writes are faster "
        "than one per page; the default matches the loaders' batch.",
    )
    alias_status: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_ALIAS_STATUS),
        description="Registered-model alias (lower case) -> ModelVersion status; an alias "
        "in this map decides the status before the version's stage does.",
    )
    stage_status: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_STAGE_STATUS),
        description="MLflow stage (lower case) -> ModelVersion status, used when no alias "
        "of the version is in alias_status.",
    )
    model_key_tag: str = Field(
        default="opencase.model_key",
        description="Registered-model tag naming an existing ModelWork key, so tracker and "
        "MLflow data meet on one node instead of two.",
    )
    state_path: str | None = Field(
        default=None,
        description="JSON file holding the watermark; default: '<store path>.mlflow-sync.json' "
        "beside an embedded store, '.opencase/mlflow-sync.json' for Neo4j.",
    )

    @field_validator("tracking_uri")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the tracking URI is empty")
        return value.strip()

    @field_validator("alias_status", "stage_status")
    @classmethod
    def _known_statuses(cls, value: dict[str, str]) -> dict[str, str]:
        """Keys lower-cased; values spelled as the ontology's ModelVersion status enum."""
        enum = ONTOLOGY.enum_of(ONTOLOGY.object_type("ModelVersion").prop("status"))
        out = {}
        for key, raw in value.items():
            status = enum.normalise(raw) if enum else raw
            if status is None:
                allowed = ", ".join(enum.values) if enum else ""
                raise ValueError(f"{raw!r} (for {key!r}) is not one of {allowed}")
            out[key.lower()] = status
        return out
