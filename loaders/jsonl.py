"""Generic JSONL / JSON-array records, validated against the ontology.

Any seed system's export comes in without new code, as long as it speaks::

    {"objectType": "release", "properties": {"release_id": "...", ...}}
    {"linkType": "model-work-has-release", "source": "llama-3-7b-companyA",
     "target": "release:llama-3-7b-companyA|1.0.0|fp16"}

An endpoint is a global id (``<api name>:<key>``) or a bare primary key, which
the link type's declared source/target type turns into a global id; a link
with several target types needs a global id or an explicit ``targetType``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from opencase.errors import LoaderError, OntologyError, Problem, ValidationError
from opencase.graph.store import GraphStore
from opencase.ontology import ONTOLOGY, LinkType, ObjectType, camel_to_snake
from opencase.ontology.system import refusal
from opencase.ontology.validation import validate_link_properties, validate_properties

from .progress import LoadProgress
from .report import LoadReport
from .staging import BATCH_SIZE, Staged, load_file


def _records(path: Path) -> Iterator[tuple[int | None, int, Any]]:
    """(line, record number, parsed value): lines for JSONL, record numbers for arrays."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoaderError(f"cannot read {path}: {exc}") from exc
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LoaderError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc
        for number, item in enumerate(items, start=1):
            yield None, number, item
        return
    if path.suffix.lower() == ".json":  # one pretty-printed record, not JSON Lines
        try:
            yield None, 1, json.loads(text)
            return
        except json.JSONDecodeError:
            pass  # read it as JSON Lines, reporting each bad line
    number = 0
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("//"):
            continue
        number += 1
        try:
            yield line, number, json.loads(raw)
        except json.JSONDecodeError as exc:
            yield line, number, ValueError(f"not valid JSON ({exc.msg}, column {exc.colno})")


def _snake_keys(ot: ObjectType | LinkType, props: dict[str, Any]) -> dict[str, Any]:
    """Accept API (camelCase) names too: ``partnerName`` -> ``partner_name`` when declared."""
    declared = {p.name for p in ot.properties}
    return {k if k in declared else camel_to_snake(k): v for k, v in props.items()}


def _normalise_enums(ot: ObjectType, props: dict[str, Any]) -> dict[str, Any]:
    """Source spellings (``production``, ``Urgent``) become the ontology's values via synonyms.

    An unknown spelling is left as it is, so validation reports it with the
    allowed values instead of the loader guessing.
    """
    out = dict(props)
    for prop in ot.properties:
        raw = out.get(prop.name)
        enum = ONTOLOGY.enum_of(prop) if isinstance(raw, str) else None
        if enum is not None and raw not in enum.values:
            out[prop.name] = enum.normalise(raw) or raw
    return out


class _FieldError(ValueError):
    """A record-level mistake that belongs to one key of the record (``target``, ...)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class _Resolver:
    """Turns link endpoints into global ids and checks that they exist."""

    def __init__(self, store: GraphStore, staged: Staged) -> None:
        self.store, self.staged = store, staged

    def endpoint(self, raw: Any, allowed: tuple[str, ...], explicit: Any, side: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise _FieldError(
                f"{side} must be a non-empty string (a global id or primary key)", side
            )
        raw = raw.strip()
        prefix = raw.partition(":")[0]
        for name in allowed:
            if ONTOLOGY.object_type(name).api_name == prefix:
                return raw
        if explicit is not None:
            ot = ONTOLOGY.object_type(str(explicit))
            if ot.name not in allowed:
                raise _FieldError(
                    f"{side}Type {explicit!r} is not one of {', '.join(allowed)}", f"{side}Type"
                )
            return ONTOLOGY.object_id(ot.name, raw)
        if len(allowed) > 1:
            raise _FieldError(
                f"{side} {raw!r} is ambiguous: the link allows {', '.join(allowed)}; "
                f"give a global id or '{side}Type'",
                side,
            )
        return ONTOLOGY.object_id(allowed[0], raw)


def load_jsonl(
    store: GraphStore,
    path: str | Path,
    *,
    strict: bool = False,
    progress: LoadProgress | None = None,
    batch_size: int | None = BATCH_SIZE,
) -> LoadReport:
    """Load generic object and link records; each bad record is reported, the rest load."""
    report = LoadReport("jsonl", str(path), strict=strict)
    return load_file(store, path, report, stage_jsonl, progress, batch_size)


def stage_jsonl(
    store: GraphStore, path: str | Path, report: LoadReport, staged: Staged | None = None
) -> Staged:
    """Validate the records into ``staged`` (links may point at what it already holds)."""
    path = Path(path)
    staged = staged if staged is not None else Staged()
    resolver = _Resolver(store, staged)
    pending_links: list[tuple[int | None, int, str, str, str]] = []
    first_problem = len(report.problems)
    for line, number, item in _records(path):
        report.rows_read += 1
        where = {"line": line, "record": None if line else number, "source": report.source}
        try:
            if isinstance(item, Exception):
                raise item
            if not isinstance(item, dict):
                raise ValueError("a record must be a JSON object")
            if "objectType" in item:
                _stage_object(staged, item, where)
            elif "linkType" in item:
                lt, props = _link_type(item, where)
                source = resolver.endpoint(
                    item.get("source"), (lt.source,), item.get("sourceType"), "source"
                )
                target = resolver.endpoint(
                    item.get("target"), lt.targets, item.get("targetType"), "target"
                )
                staged.add_link(lt.api_name, source, target, props)
                pending_links.append((line, number, lt.api_name, source, target))
            else:
                raise ValueError("a record needs 'objectType' or 'linkType'")
        except ValidationError as exc:
            report.reject(exc.problems)
        except (ValueError, OntologyError) as exc:
            message = exc.message if isinstance(exc, OntologyError) else str(exc)
            field = getattr(exc, "field", None) or _guilty_key(item)
            report.reject([Problem(message, field=field, **where)])
    _drop_dangling(store, staged, pending_links, report)
    # in file order: the dangling links are only known once every line was read
    report.problems[first_problem:] = sorted(
        report.problems[first_problem:], key=lambda p: (p.line or 0, p.record or 0)
    )
    return staged


def _guilty_key(item: Any) -> str | None:
    """Which key an ontology error is about: an unknown objectType or linkType."""
    if isinstance(item, dict):
        for key in ("objectType", "linkType"):
            if key in item:
                return key
    return None


def _not_system(what: str, name: str, field: str, where: dict[str, Any]) -> None:
    """System types are not for loaders (:mod:`opencase.ontology.system`): name the line now."""
    problem = refusal(what, name, field=field, **where)
    if problem is not None:
        raise ValidationError(
            problem, suggestion="remove the line; audit entries come from actions only"
        )


def _stage_object(staged: Staged, item: dict[str, Any], where: dict[str, Any]) -> None:
    ot = ONTOLOGY.object_type(str(item["objectType"]))
    _not_system("create or update", ot.name, "objectType", where)
    props = item.get("properties")
    if not isinstance(props, dict):
        raise _FieldError("'properties' must be a JSON object", "properties")
    checked = validate_properties(ot, _normalise_enums(ot, _snake_keys(ot, props)), **where)
    staged.add_object(ot.name, checked)


def _link_type(item: dict[str, Any], where: dict[str, Any]) -> tuple[LinkType, dict[str, Any]]:
    lt = ONTOLOGY.link_type(str(item["linkType"]))
    _not_system("link", lt.api_name, "linkType", where)
    props = item.get("properties") or {}
    if not isinstance(props, dict):
        raise _FieldError("'properties' must be a JSON object", "properties")
    return lt, validate_link_properties(lt.api_name, _snake_keys(lt, props), **where)


def _drop_dangling(
    store: GraphStore,
    staged: Staged,
    links: list[tuple[int | None, int, str, str, str]],
    report: LoadReport,
) -> None:
    """A link whose endpoint is neither in the file nor in the store is rejected, not written."""
    wanted = {oid for *_, s, t in links for oid in (s, t) if oid not in staged.objects}
    found = set(store.get(sorted(wanted))) if wanted else set()
    for line, number, api_name, source, target in links:
        missing = [
            oid for oid in (source, target) if oid not in staged.objects and oid not in found
        ]
        if missing:
            staged.drop_link(api_name, source, target)
            report.reject(
                [
                    Problem(
                        f"{api_name}: {', '.join(missing)} is neither in this file "
                        "nor in the store",
                        field="target" if missing[-1] == target else "source",
                        line=line,
                        record=None if line else number,
                        source=report.source,
                    )
                ]
            )
