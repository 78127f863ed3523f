"""Checks an OpenLineage event against the spec, as the official Python client encodes it.

The ``openlineage-python`` package ships the spec as classes generated from its
JSON Schema (``openlineage.client.generated``): required fields, types, the
event-type enum, a UUID run id and an ISO event time with a time part. This
module walks those classes over a received JSON document, so the rules are the
client's, not a copy of them, and every problem comes back with its JSON path
(``$.inputs[1].namespace``) for a 400 that says what to fix.

Facets are open by design: a facet this module knows (those the mapping reads)
is checked against its generated class; any other facet only has to be a JSON
object, and is kept as received.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

import attr
from openlineage.client.generated import (
    base,
    column_lineage_dataset,
    dataset_version_dataset,
    datasource_dataset,
    documentation_dataset,
    documentation_job,
    error_message_run,
    job_type_job,
    nominal_time_run,
    parent_run,
    schema_dataset,
    source_code_location_job,
)

#: The facets the mapping reads, by the key the spec gives them in a facets map.
KNOWN_FACETS: dict[str, dict[str, type]] = {
    "dataset": {
        "schema": schema_dataset.SchemaDatasetFacet,
        "dataSource": datasource_dataset.DatasourceDatasetFacet,
        "version": dataset_version_dataset.DatasetVersionDatasetFacet,
        "columnLineage": column_lineage_dataset.ColumnLineageDatasetFacet,
        "documentation": documentation_dataset.DocumentationDatasetFacet,
    },
    "run": {
        "parent": parent_run.ParentRunFacet,
        "errorMessage": error_message_run.ErrorMessageRunFacet,
        "nominalTime": nominal_time_run.NominalTimeRunFacet,
    },
    "job": {
        "jobType": job_type_job.JobTypeJobFacet,
        "sourceCodeLocation": source_code_location_job.SourceCodeLocationJobFacet,
        "documentation": documentation_job.DocumentationJobFacet,
    },
}
#: Which facets map a facet base class stands for.
_FACET_KIND = {
    base.DatasetFacet: "dataset",
    base.InputDatasetFacet: "input",
    base.OutputDatasetFacet: "output",
    base.RunFacet: "run",
    base.JobFacet: "job",
}


@dataclass(frozen=True)
class SpecProblem:
    """One way an event breaks the spec: where (a JSON path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def event_kind(event: Any) -> str | None:
    """``run``, ``dataset`` or ``job`` (RunEvent, DatasetEvent, JobEvent), by the spec's shape."""
    if not isinstance(event, dict):
        return None
    if "run" in event:
        return "run"
    if "dataset" in event:
        return "dataset"
    if "job" in event:
        return "job"
    return None


_EVENT_CLASS = {"run": base.RunEvent, "dataset": base.DatasetEvent, "job": base.JobEvent}


def check_event(event: Any, path: str = "$") -> list[SpecProblem]:
    """Every problem of one event; an empty list means the spec accepts it."""
    kind = event_kind(event)
    if kind is None:
        return [
            SpecProblem(
                path,
                "not an OpenLineage event: expected an object with 'run' and 'job' "
                "(RunEvent), 'dataset' (DatasetEvent) or 'job' (JobEvent)",
            )
        ]
    return _check(event, _EVENT_CLASS[kind], path)


def _check(value: Any, expected: Any, path: str) -> list[SpecProblem]:
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(expected) if a is not type(None)]
        if value is None:
            return []
        return _check(value, options[0], path) if len(options) == 1 else []
    if expected is Any:
        return []
    if origin is list:
        if not isinstance(value, list):
            return [SpecProblem(path, f"expected an array, got {_kind(value)}")]
        (item,) = typing.get_args(expected)
        return [p for i, v in enumerate(value) for p in _check(v, item, f"{path}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [SpecProblem(path, f"expected an object, got {_kind(value)}")]
        _, item = typing.get_args(expected)
        kind = _FACET_KIND.get(item)
        if kind is not None:
            return _check_facets(value, kind, path)
        return [p for k, v in value.items() for p in _check(v, item, f"{path}.{k}")]
    if isinstance(expected, type) and issubclass(expected, enum.Enum):
        allowed = [m.value for m in expected]
        if value not in allowed:
            return [SpecProblem(path, f"must be one of {', '.join(allowed)}, got {value!r}")]
        return []
    if attr.has(expected):
        return _check_object(value, expected, path)
    return _check_scalar(value, expected, path)


def _check_facets(value: dict[str, Any], kind: str, path: str) -> list[SpecProblem]:
    problems = []
    known = KNOWN_FACETS.get(kind, {})
    for key, facet in value.items():
        where = f"{path}.{key}"
        if not isinstance(facet, dict):
            problems.append(SpecProblem(where, f"a facet is an object, got {_kind(facet)}"))
        elif key in known:
            problems += _check_object(facet, known[key], where)
    return problems


def _check_object(value: Any, cls: type, path: str) -> list[SpecProblem]:
    if not isinstance(value, dict):
        return [SpecProblem(path, f"expected an object, got {_kind(value)}")]
    problems = []
    hints = _hints(cls)
    for field in attr.fields(cls):
        name = field.name
        if name not in value:
            if field.default is attr.NOTHING:
                problems.append(SpecProblem(f"{path}.{name}", "is required"))
            continue
        problems += _check(value[name], hints.get(name, Any), f"{path}.{name}")
        if not problems and field.validator is not None and isinstance(value[name], str):
            problems += _run_validator(cls, field, value[name], f"{path}.{name}")
    return problems


def _run_validator(cls: type, field: Any, value: str, path: str) -> list[SpecProblem]:
    """The generated class's own check of a string field (UUID run ids, ISO event times)."""
    try:
        field.validator(None, field, value)
    except (ValueError, TypeError, OverflowError) as exc:
        reason = str(exc) or type(exc).__name__
        return [SpecProblem(path, f"invalid {field.name} {value[:60]!r}: {reason[:120]}")]
    return []


def _check_scalar(value: Any, expected: Any, path: str) -> list[SpecProblem]:
    if expected is bool:
        ok = isinstance(value, bool)
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif expected is str:
        ok = isinstance(value, str)
    else:
        return []  # a type the generated classes use only for extensions: nothing to check
    if ok:
        return []
    return [SpecProblem(path, f"expected {_NAMES[expected]}, got {_kind(value)}")]


_NAMES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)
