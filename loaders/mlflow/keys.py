"""How MLflow things are keyed in the graph: deterministic, so every sync hits the same nodes.

The formats are the ones the ontology documents on each primary key (run key
``'<tracking system>:<run id>'``, metric ``'<run key>|<name>'``...); they are
spelled here once so that the run mapping and the registry mapping agree.
"""

from __future__ import annotations

from opencase.ontology import ids
from opencase.ontology.ids import metric_id, model_version_id

TRACKING_SYSTEM = "mlflow"

__all__ = ["metric_id", "model_version_id"]


def run_key(run_id: str) -> str:
    """``mlflow:<run id>``: run ids are UUIDs, unique across tracking servers in practice."""
    return ids.run_key(TRACKING_SYSTEM, run_id)


def artifact_id(run_id: str, path: str) -> str:
    """``mlflow:<run id>/<artifact path>``: the same file of the same run is one node."""
    return f"{run_key(run_id)}/{path.strip('/')}"


def registry_artifact_id(model_name: str, version: str) -> str:
    """A version's files when its source is not inside a run's artifacts (logged models)."""
    return f"{TRACKING_SYSTEM}:models/{model_name}/{version}"


def dataset_id(name: str) -> str:
    """A Dataset is keyed by its MLflow name, so runs reading it meet on one node."""
    return name


def dataset_version_id(name: str, digest: str) -> str:
    """``<dataset name>@<digest>``: the same content logged by two runs is one version."""
    return ids.dataset_version_id(name, digest)


def model_key(registered_model: str, tag_value: str | None) -> str:
    """The tag ``opencase.model_key`` when set (meet the tracker's node), else ``mlflow:<name>``."""
    if tag_value and tag_value.strip():
        return tag_value.strip()
    return f"{TRACKING_SYSTEM}:{registered_model}"
