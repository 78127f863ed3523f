"""MLflow's model registry -> ModelWork and ModelVersion records.

A registered model tagged ``opencase.model_key`` names a ModelWork that the
tracker (or a person) already owns: the sync then only adds ``registry_name``
to it and never renames it, so tracker and MLflow data meet on one node. An
untagged registered model gets its own ModelWork, ``mlflow:<name>``, which the
sync owns outright.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlflow.entities.model_registry import ModelVersion, RegisteredModel

from opencase.errors import Problem, ValidationError
from opencase.graph.store import LinkRecord, ObjectRecord
from opencase.ontology import ONTOLOGY
from opencase.ontology.validation import validate_properties

from . import keys
from .config import MlflowSyncConfig
from .map_runs import millis

_WORK = ONTOLOGY.object_type("ModelWork")
_VERSION = ONTOLOGY.object_type("ModelVersion")
_ARTIFACT = ONTOLOGY.object_type("Artifact")
_RUNS_URI = re.compile(r"^runs:/(?P<run>[^/]+)/(?P<path>.+)$")


@dataclass
class RegistryRecords:
    """Registry objects and links; ``run_links`` point at runs that may not be in the graph."""

    objects: list[ObjectRecord] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    run_links: list[LinkRecord] = field(default_factory=list)
    version_ids: list[str] = field(default_factory=list)
    owned_works: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, object_type: Any, props: dict[str, Any], source: str) -> str:
        validate_properties(object_type, props, source=source)
        self.objects.append(ObjectRecord(object_type.name, props))
        return ONTOLOGY.object_id(object_type.name, props[object_type.primary_key])

    @staticmethod
    def run_of(link: LinkRecord) -> str:
        """The run end of a link in ``run_links``."""
        return (
            link.source_id if link.link_type == "experiment-produced-artifact" else link.target_id
        )


def version_status(
    aliases: Sequence[str], stage: str | None, config: MlflowSyncConfig
) -> str | None:
    """The first alias (in ``alias_status`` order) that maps wins; else the stage; else None."""
    present = {a.lower() for a in aliases}
    for alias, status in config.alias_status.items():
        if alias in present:
            return status
    return config.stage_status.get((stage or "none").lower())


def _work_props(
    rm: RegisteredModel, key: str, tagged: bool, existing: Mapping[str, str]
) -> dict[str, Any]:
    """Our own node: every field we know. A tagged (shared) node: only the registry name."""
    if tagged:
        work_id = ONTOLOGY.object_id(_WORK.name, key)
        props: dict[str, Any] = {"model_key": key, "registry_name": rm.name}
        # keep the name the owner gave; a model nobody loaded yet gets the registry's name
        props["name"] = existing.get(work_id, rm.name)
        return props
    return {
        "model_key": key,
        "name": rm.name,
        "description": rm.description or None,
        "registry_name": rm.name,
        "metadata": dict(rm.tags) or None,
        "created_on": millis(rm.creation_timestamp),
    }


def source_artifact(mv: ModelVersion, model_name: str) -> tuple[str, str | None]:
    """The Artifact key of a version's files, and the run path when they live in a run."""
    match = _RUNS_URI.match(mv.source or "")
    if match:
        return keys.artifact_id(match["run"], match["path"]), match["path"]
    if mv.run_id and mv.source:
        marker = f"/{mv.run_id}/artifacts/"
        if marker in mv.source:
            path = mv.source.split(marker, 1)[1]
            return keys.artifact_id(mv.run_id, path), path
    return keys.registry_artifact_id(model_name, str(mv.version)), None


def map_registry(
    models: Sequence[RegisteredModel],
    versions: Sequence[ModelVersion],
    config: MlflowSyncConfig,
    existing_works: Mapping[str, str],
) -> RegistryRecords:
    """Every registered model and version; one that cannot be mapped is reported, not fatal.

    ``existing_works`` maps ModelWork global ids already in the graph to their names.
    """
    out = RegistryRecords()
    by_model: dict[str, list[ModelVersion]] = {}
    for mv in versions:
        by_model.setdefault(mv.name, []).append(mv)
    for rm in models:
        tag = rm.tags.get(config.model_key_tag)
        key = keys.model_key(rm.name, tag)
        source = f"registered model {rm.name}"
        try:
            work_id = out.add(_WORK, _work_props(rm, key, bool(tag), existing_works), source)
            if not tag:
                out.owned_works.append(work_id)
        except ValidationError as exc:
            out.problems += [Problem(f"{source}: {p.message}", field=p.field) for p in exc.problems]
            continue
        aliases: dict[str, list[str]] = {}
        for alias, number in (rm.aliases or {}).items():
            aliases.setdefault(str(number), []).append(alias)
        for mv in by_model.get(rm.name, []):
            try:
                _add_version(
                    out, mv, key, work_id, sorted(aliases.get(str(mv.version), [])), config
                )
            except ValidationError as exc:
                out.problems += [
                    Problem(f"{source} version {mv.version}: {p.message}", field=p.field)
                    for p in exc.problems
                ]
    return out


def _add_version(
    out: RegistryRecords,
    mv: ModelVersion,
    key: str,
    work_id: str,
    aliases: list[str],
    config: MlflowSyncConfig,
) -> None:
    version = str(mv.version)
    source = f"model version {mv.name}/{version}"
    created = millis(mv.creation_timestamp)
    version_id = out.add(
        _VERSION,
        {
            "model_version_id": keys.model_version_id(key, version),
            "version": version,
            "model_key": key,
            "created_on": created.date() if isinstance(created, dt.datetime) else None,
            "description": mv.description or None,
            "status": version_status(aliases, mv.current_stage, config),
            "registry": keys.TRACKING_SYSTEM,
            "registry_version": version,
            "aliases": aliases or None,
            "source_uri": mv.source or None,
        },
        source,
    )
    out.version_ids.append(version_id)
    out.links.append(LinkRecord("model-work-has-version", work_id, version_id))
    artifact_key, path = source_artifact(mv, mv.name)
    artifact = out.add(
        _ARTIFACT,
        {
            "artifact_id": artifact_key,
            "name": (path or version).rstrip("/").rsplit("/", 1)[-1],
            "type": "model",
            "uri": mv.source or None,
        },
        source,
    )
    out.links.append(LinkRecord("model-version-has-artifact", version_id, artifact))
    if mv.run_id:
        run_id = ONTOLOGY.object_id("Experiment", keys.run_key(mv.run_id))
        out.run_links.append(LinkRecord("model-version-has-experiment", version_id, run_id))
        if path is not None:
            out.run_links.append(LinkRecord("experiment-produced-artifact", run_id, artifact))
