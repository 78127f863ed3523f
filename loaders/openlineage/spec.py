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

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable
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
    return _checker(expected)(value, path)


Checker = Callable[[Any, str], list[SpecProblem]]
_OK: list[SpecProblem] = []


@cache
def _checker(expected: Any) -> Checker:
    """A check for one declared type, built once: events are many, their types few."""
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(expected) if a is not type(None)]
        if len(options) != 1:
            return lambda value, path: _OK
        inner = _checker(options[0])
        return lambda value, path: _OK if value is None else inner(value, path)
    if expected is Any:
        return lambda value, path: _OK
    if origin is list:
        item = _checker(typing.get_args(expected)[0])

        def check_list(value: Any, path: str) -> list[SpecProblem]:
            if not isinstance(value, list):
                return [SpecProblem(path, f"expected an array, got {_kind(value)}")]
            return [p for i, v in enumerate(value) for p in item(v, f"{path}[{i}]")]

        return check_list
    if origin is dict:
        item_type = typing.get_args(expected)[1]
        kind = _FACET_KIND.get(item_type)
        entry = _checker(item_type)

        def check_map(value: Any, path: str) -> list[SpecProblem]:
            if not isinstance(value, dict):
                return [SpecProblem(path, f"expected an object, got {_kind(value)}")]
            if kind is not None:
                return _check_facets(value, kind, path)
            return [p for k, v in value.items() for p in entry(v, f"{path}.{k}")]

        return check_map
    if isinstance(expected, type) and issubclass(expected, enum.Enum):
        allowed = frozenset(m.value for m in expected)
        listed = ", ".join(m.value for m in expected)

        def check_enum(value: Any, path: str) -> list[SpecProblem]:
            if value in allowed:
                return _OK
            return [SpecProblem(path, f"must be one of {listed}, got {str(value)[:60]!r}")]

        return check_enum
    if attr.has(expected):
        return _object_checker(expected)
    return _scalar_checker(expected)


def _check_facets(value: dict[str, Any], kind: str, path: str) -> list[SpecProblem]:
    problems = []
    known = KNOWN_FACETS.get(kind, {})
    for key, facet in value.items():
        where = f"{path}.{key}"
        if not isinstance(facet, dict):
            problems.append(SpecProblem(where, f"a facet is an object, got {_kind(facet)}"))
        elif key in known:
            problems += _checker(known[key])(facet, where)
    return problems


def _object_checker(cls: type) -> Checker:
    """Fields are resolved at the first check: a class may contain itself (schema fields)."""
    fields: list[tuple[str, bool, Checker, Any]] = []

    def check_object(value: Any, path: str) -> list[SpecProblem]:
        if not isinstance(value, dict):
            return [SpecProblem(path, f"expected an object, got {_kind(value)}")]
        if not fields:
            hints = typing.get_type_hints(cls)
            fields.extend(
                (f.name, f.default is attr.NOTHING, _checker(hints.get(f.name, Any)), f)
                for f in attr.fields(cls)
            )
        problems: list[SpecProblem] = []
        for name, required, check, field in fields:
            if name not in value:
                if required:
                    problems.append(SpecProblem(f"{path}.{name}", "is required"))
                continue
            found = check(value[name], f"{path}.{name}")
            if found:
                problems += found
            elif field.validator is not None and isinstance(value[name], str):
                problems += _run_validator(field, value[name], f"{path}.{name}")
        return problems

    return check_object


def _run_validator(field: Any, value: str, path: str) -> list[SpecProblem]:
    """The generated class's own check of a string field (UUID run ids, ISO event times)."""
    if field.name == "eventTime" and "T" in value.upper():
        try:  # what the standard library parses, the client's ISO parser takes too
            dt.datetime.fromisoformat(value)
            return _OK
        except ValueError:
            pass
    try:
        field.validator(None, field, value)
    except (ValueError, TypeError, OverflowError) as exc:
        reason = str(exc) or type(exc).__name__
        return [SpecProblem(path, f"invalid {field.name} {value[:60]!r}: {reason[:120]}")]
    return _OK


def _scalar_checker(expected: Any) -> Checker:
    if expected is bool:
        ok: Callable[[Any], bool] = lambda v: isinstance(v, bool)  # noqa: E731
    elif expected is int:
        ok = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
    elif expected is float:
        ok = lambda v: isinstance(v, int | float) and not isinstance(v, bool)  # noqa: E731
    elif expected is str:
        ok = lambda v: isinstance(v, str)  # noqa: E731
    else:  # a type the generated classes use only for extensions: nothing to check
        return lambda value, path: _OK
    name = _NAMES[expected]

    def check_scalar(value: Any, path: str) -> list[SpecProblem]:
        return _OK if ok(value) else [SpecProblem(path, f"expected {name}, got {_kind(value)}")]

    return check_scalar


_NAMES = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )
