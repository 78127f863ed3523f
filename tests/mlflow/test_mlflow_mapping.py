"""The pure parts of the mapping: version status, artifact kinds, keys."""

from __future__ import annotations

import pytest
from mlflow.entities.model_registry import ModelVersion

from opencase.loaders.mlflow import MlflowSyncConfig
from opencase.loaders.mlflow.keys import metric_id, model_key, model_version_id
from opencase.loaders.mlflow.map_registry import source_artifact, version_status
from opencase.loaders.mlflow.map_runs import artifact_kind
from opencase.ontology.ids import composite_key

CONFIG = MlflowSyncConfig(tracking_uri="sqlite:///x.db")


@pytest.mark.parametrize(
    ("aliases", "stage", "status"),
    [
        (["champion"], "None", "Approved"),
        (["challenger"], "Production", "Validating"),  # an alias decides before the stage
        (["nickname"], "Staging", "Validating"),  # unknown aliases are ignored
        ([], "Archived", "Deprecated"),
        ([], "Production", "Approved"),
        ([], None, "Draft"),
        (["archived", "champion"], "None", "Approved"),  # alias map order is precedence
    ],
)
def test_version_status(aliases: list[str], stage: str | None, status: str) -> None:
    assert version_status(aliases, stage, CONFIG) == status


def test_status_maps_are_checked_against_the_ontology() -> None:
    with pytest.raises(ValueError, match="is not one of"):
        MlflowSyncConfig(tracking_uri="x", stage_status={"staging": "Shipped"})
    custom = MlflowSyncConfig(tracking_uri="x", alias_status={"Gold": "production"})
    assert version_status(["gold"], None, custom) == "Approved"


@pytest.mark.parametrize(
    ("path", "kind"),
    [("model/weights.pt", "weights"), ("model/MLmodel", "model"), ("eval/report.html", "report"),
     ("train.log", "log"), ("conf.yaml", "config"), ("README", "other")],
)  # fmt: skip
def test_artifact_kind(path: str, kind: str) -> None:
    assert artifact_kind(path) == kind


def test_keys_follow_the_ontology_formats() -> None:
    assert metric_id("mlflow:abc", "auc") == composite_key("mlflow:abc", "auc")
    assert metric_id("mlflow:abc", "auc", 3) == composite_key("mlflow:abc", "auc", 3)
    assert model_key("churn", None) == "mlflow:churn"
    assert model_key("churn", " A330:72:x ") == "A330:72:x"
    assert model_version_id("mlflow:churn", 2) == model_version_id("mlflow:churn", "2")


def test_version_source_inside_a_run_is_that_runs_artifact() -> None:
    def version(source: str) -> ModelVersion:
        return ModelVersion("m", "3", 0, run_id="r1", source=source)

    assert source_artifact(version("runs:/r1/model"), "m") == ("mlflow:r1/model", "model")
    local = version("/srv/mlruns/1/r1/artifacts/model")
    assert source_artifact(local, "m") == ("mlflow:r1/model", "model")
    assert source_artifact(version("models:/m-123"), "m") == ("mlflow:models/m/3", None)
