"""How MLflow things are keyed in the graph: deterministic, so every sync hits the same nodes.

The formats are the ones the ontology documents on each primary key (run key
``'<tracking system>:<run id>'``, metric ``'<run key>|<name>'``...); they are
spelled here once so that the run mapping and the registry mapping agree.
"""

from __future__ import annotations

TRACKING_SYSTEM = "mlflow"


def run_key(run_id: str) -> str:
    """``mlflow:<run id>``: run ids are UUIDs, unique across tracking servers in practice."""
    return f"{TRACKING_SYSTEM}:{run_id}"


def metric_id(run_key_: str, name: str, step: int | None = None) -> str:
    """``<run key>|<name>`` for the latest value, ``<run key>|<name>|<step>`` for one step."""
    # spelled as ids.composite_key spells it; inlined because it runs once per metric value
    return f"{run_key_}|{name}" if step is None else f"{run_key_}|{name}|{step}"


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
    return f"{name}@{digest}"


def model_key(registered_model: str, tag_value: str | None) -> str:
    """The tag ``opencase.model_key`` when set (meet the tracker's node), else ``mlflow:<name>``."""
    if tag_value and tag_value.strip():
        return tag_value.strip()
    return f"{TRACKING_SYSTEM}:{registered_model}"


def model_version_id(model_key_: str, version: str | int) -> str:
    """``<model key>@<version>``; REST returns versions as strings, SQL as ints: same key."""
    return f"{model_key_}@{version}"
