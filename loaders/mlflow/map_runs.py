"""MLflow runs -> Experiment, Metric, Artifact, Dataset and DatasetVersion records.

Pure functions: an MLflow entity in, ontology records out, so the mapping can be
read (and tested) apart from any I/O. Keys come from :mod:`.keys`; type and link
names are looked up in the ontology. Records are validated once, by the store's
write; a page it refuses is split until the run at fault is found and rejected
alone (see :mod:`.write_runs`), so validating here too would only double the cost.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mlflow.entities import FileInfo, Run
from mlflow.entities import Metric as MlflowMetric

from opencase.errors import Problem, ValidationError
from opencase.graph.store import LinkRecord, ObjectRecord
from opencase.ontology import ONTOLOGY

from . import keys

#: Run tags that are bulky bookkeeping rather than facts about the run.
SKIPPED_TAGS = frozenset({"mlflow.log-model.history"})
#: Tags MLflow writes for the code a run executed, best first.
CODE_TAGS = ("mlflow.source.git.commit", "mlflow.source.name")
#: Parameters that people use for the random seed.
SEED_PARAMS = ("seed", "random_seed", "random_state")
PARENT_TAG = "mlflow.parentRunId"
CONTEXT_TAG = "mlflow.data.context"

_EXPERIMENT = ONTOLOGY.object_type("Experiment")
_METRIC = ONTOLOGY.object_type("Metric")
_ARTIFACT = ONTOLOGY.object_type("Artifact")
_DATASET = ONTOLOGY.object_type("Dataset")
_DATASET_VERSION = ONTOLOGY.object_type("DatasetVersion")
_METRIC_NAME = _METRIC.name
#: ``ONTOLOGY.object_id("Metric", key)`` is this prefix plus the key (spelled once, hot loop)
_METRIC_PREFIX = ONTOLOGY.object_id(_METRIC.name, "")
_PRODUCED_METRIC = "experiment-produced-metric"
_STATUS = ONTOLOGY.enum_of(_EXPERIMENT.prop("status"))
_ARTIFACT_TYPE = ONTOLOGY.enum_of(_ARTIFACT.prop("type"))

#: File suffix -> artifact kind; the kind is then spelled by the ontology's enum.
SUFFIX_KIND = {
    ".pt": "weights", ".pth": "weights", ".bin": "weights", ".safetensors": "weights",
    ".ckpt": "weights", ".h5": "weights", ".onnx": "weights", ".pkl": "weights",
    ".joblib": "weights", ".ipynb": "notebook", ".pdf": "report", ".html": "report",
    ".md": "report", ".log": "log", ".whl": "wheel", ".py": "script", ".sh": "script",
    ".csv": "dataset", ".parquet": "dataset", ".yaml": "config", ".yml": "config",
    ".json": "config", ".toml": "config", ".png": "image", ".jpg": "image",
    ".svg": "image", ".zip": "tarball", ".gz": "tarball", ".tar": "tarball",
}  # fmt: skip
MODEL_FILES = frozenset({"MLmodel"})


@functools.cache
def run_status(raw: str) -> str | None:
    """MLflow's FINISHED/RUNNING/... in the ontology's spelling (a handful of values: cached)."""
    return _STATUS.normalise(raw) if _STATUS else raw


def millis(value: int | None) -> dt.datetime | None:
    """MLflow's epoch milliseconds as an aware UTC datetime."""
    return None if value is None else dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)


def artifact_kind(path: str) -> str:
    name = posixpath.basename(path)
    raw = "model" if name in MODEL_FILES else SUFFIX_KIND.get(posixpath.splitext(name)[1].lower())
    return (_ARTIFACT_TYPE.normalise(raw) if _ARTIFACT_TYPE and raw else None) or "other"


@dataclass
class RunRecords:
    """What one run becomes; ``parent`` is linked later, once both runs are in the graph."""

    run_key: str
    objects: list[ObjectRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    parent_key: str | None = None
    warnings: list[str] = field(default_factory=list)

    def add(self, object_type: Any, props: dict[str, Any]) -> str:
        self.objects.append(ObjectRecord(object_type.name, props))
        return ONTOLOGY.object_id(object_type.name, props[object_type.primary_key])

    def link(self, api_name: str, source: str, target: str, **props: Any) -> None:
        self.links.append(LinkRecord(api_name, source, target, props))


def _seed(params: Mapping[str, str]) -> int | None:
    for name in SEED_PARAMS:
        try:
            return int(params[name])
        except (KeyError, ValueError):
            continue
    return None


def experiment_props(run: Run, experiment_name: str, tracking_uri: str) -> dict[str, Any]:
    """Every Experiment property: the sync owns runs, so an absent value is cleared."""
    info, data = run.info, run.data
    tags = {k: v for k, v in data.tags.items() if k not in SKIPPED_TAGS}
    code = next((data.tags[t] for t in CODE_TAGS if data.tags.get(t)), None)
    return {
        "run_key": keys.run_key(info.run_id),
        "tracking_system": keys.TRACKING_SYSTEM,
        "run_id": info.run_id,
        "tracking_uri": tracking_uri,
        "experiment_name": experiment_name,
        "run_name": info.run_name or data.tags.get("mlflow.runName") or info.run_id,
        "parameters": dict(data.params),
        "tags": tags,
        "status": run_status(info.status),
        "start_time": millis(info.start_time),
        "end_time": millis(info.end_time),
        "seed": _seed(data.params),
        "code_ref": code,
        "user": data.tags.get("mlflow.user") or info.user_id or None,
    }


def metric_props(
    run_key: str,
    metric: MlflowMetric,
    *,
    with_step: bool,
    timestamp: dt.datetime | None = None,
) -> dict[str, Any]:
    """A Metric without threshold/compliance: those belong to whoever judges the value.

    ``timestamp`` is ``millis(metric.timestamp)`` when the caller converted it already.
    """
    return {
        "metric_id": keys.metric_id(run_key, metric.key, metric.step if with_step else None),
        "name": metric.key,
        "value": float(metric.value),
        "step": metric.step,
        "timestamp": timestamp if timestamp is not None else millis(metric.timestamp),
    }


def map_run(
    run: Run,
    experiment_name: str,
    tracking_uri: str,
    history: Mapping[str, list[MlflowMetric]] | None = None,
    artifacts: Iterable[FileInfo] = (),
) -> RunRecords:
    """One run's records; raises ValidationError (naming the run) when it cannot be mapped."""
    out = RunRecords(keys.run_key(run.info.run_id))
    exp_id = out.add(_EXPERIMENT, experiment_props(run, experiment_name, tracking_uri))
    parent = run.data.tags.get(PARENT_TAG)
    out.parent_key = keys.run_key(parent) if parent else None
    latest = run.data._metric_objs if hasattr(run.data, "_metric_objs") else []
    metrics = list(latest) or [
        MlflowMetric(k, v, 0, 0) for k, v in sorted(run.data.metrics.items())
    ]
    _add_metrics(out, exp_id, metrics, with_step=False)
    for steps in (history or {}).values():
        _add_metrics(out, exp_id, steps, with_step=True)
    for ds_input in run.inputs.dataset_inputs if run.inputs else ():
        _add_dataset(out, exp_id, ds_input)
    for info in artifacts:
        out.link(
            "experiment-produced-artifact", exp_id, out.add(_ARTIFACT, artifact_props(run, info))
        )
    return out


def _add_metrics(
    out: RunRecords, exp_id: str, metrics: Iterable[MlflowMetric], *, with_step: bool
) -> None:
    """The sync's hot loop (once per metric value), so lookups are hoisted out of it.

    Metrics logged together share a timestamp, so each distinct one is converted once.
    """
    objects, links, run_key = out.objects, out.links, out.run_key
    times: dict[int | None, dt.datetime | None] = {}
    for metric in metrics:
        if not math.isfinite(float(metric.value)):
            out.warnings.append(f"metric {metric.key!r} is {metric.value} and was skipped")
            continue
        stamp = metric.timestamp
        when = times.get(stamp)
        if when is None:
            when = times[stamp] = millis(stamp)
        props = metric_props(run_key, metric, with_step=with_step, timestamp=when)
        objects.append(ObjectRecord(_METRIC_NAME, props))
        links.append(LinkRecord(_PRODUCED_METRIC, exp_id, _METRIC_PREFIX + props["metric_id"]))


def _source_uri(source: str | None) -> str | None:
    """MLflow keeps a dataset's source as JSON; its ``uri`` (or ``url``, ``path``) is the place."""
    if not source:
        return None
    try:
        parsed = json.loads(source)
    except json.JSONDecodeError:
        return source
    if isinstance(parsed, dict):
        for name in ("uri", "url", "path", "table_name"):
            if parsed.get(name):
                return str(parsed[name])
    return source


def _schema(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError:
        return {"raw": raw}
    return parsed if isinstance(parsed, dict) else {"columns": parsed}


def _add_dataset(out: RunRecords, exp_id: str, ds_input: Any) -> None:
    ds = ds_input.dataset
    dataset_key = keys.dataset_id(ds.name)
    source = _source_uri(ds.source)
    dataset = out.add(
        _DATASET, {"dataset_id": dataset_key, "name": ds.name, "source_system": ds.source_type}
    )
    version = out.add(
        _DATASET_VERSION,
        {
            "dataset_version_id": keys.dataset_version_id(ds.name, ds.digest),
            "version_id": ds.digest,
            "dataset_id": dataset_key,
            "versioning_system": keys.TRACKING_SYSTEM,
            "checksum": ds.digest,
            "source": source,
            "storage_uri": source,
            "schema": _schema(ds.schema),
        },
    )
    out.link("dataset-has-version", dataset, version)
    context = next((t.value for t in ds_input.tags if t.key == CONTEXT_TAG), None)
    out.link(
        "experiment-used-dataset", exp_id, version, **({"context": context} if context else {})
    )


def artifact_props(run: Run, info: FileInfo) -> dict[str, Any]:
    root = run.info.artifact_uri.rstrip("/")
    return {
        "artifact_id": keys.artifact_id(run.info.run_id, info.path),
        "name": posixpath.basename(info.path) or info.path,
        "type": artifact_kind(info.path),
        "uri": f"{root}/{info.path}",
        "size_bytes": info.file_size,
    }


def safe_map_run(run: Run, *args: Any, **kwargs: Any) -> RunRecords | list[Problem]:
    """``map_run``, or the problems that stop this one run (the rest of the page goes on)."""
    try:
        return map_run(run, *args, **kwargs)
    except ValidationError as exc:
        return [
            Problem(f"run {run.info.run_id}: {p.message}", field=p.field, source=p.source)
            for p in exc.problems
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return [Problem(f"run {run.info.run_id}: cannot be mapped ({exc!r})")]
