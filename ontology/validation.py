"""Validation of object and link records, generated from the declarations with pydantic.

One :class:`ObjectValidator` per object type is built lazily from its
properties, so a new property is validated the moment it is declared, and it
is the only judge of an object's values: the store, the loaders and the
actions all call it. Errors come back as :class:`~opencase.errors.Problem`
items naming the object type and field.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, NotRequired, Required

import pydantic
from pydantic import BeforeValidator, Field
from typing_extensions import TypedDict

from opencase.errors import Problem, ValidationError

from . import ONTOLOGY
from .model import ObjectType, Property, PropertyType
from .registry import Ontology


def _empty_to_none(value: Any) -> Any:
    """Blank text means "no value" (the one rule for it, per value)."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _blanks_to_none(record: Any) -> Any:
    """:func:`_empty_to_none` over a whole record: one call per record, not one per value.

    A record with no blank text (nearly all) is returned as it is.
    """
    if isinstance(record, dict):
        for value in record.values():
            if value.__class__ is str and (not value or value.isspace()):
                return {k: _empty_to_none(v) for k, v in record.items()}
    return record


def _json_map(value: Any) -> Any:
    """A JSON object as JSON itself reads it back: a JSON text is parsed, other maps round-trip.

    The round trip (no NaN or infinities; a value JSON has no form for, such as
    a datetime, as its text) is what makes a stored map hash the same before and
    after it is read back.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise ValueError("must be a JSON object (a map)")
    try:
        return json.loads(json.dumps(value, allow_nan=False, default=str))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"holds a value JSON cannot carry ({exc})") from None


def _string_list(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _datetime(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:  # a bare date
            text += "T00:00:00"
        value = text
    return value


def _utc(value: dt.datetime) -> dt.datetime:
    """Every datetime in UTC: a naive one counts as UTC, an aware one is converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value if value.tzinfo is dt.UTC else value.astimezone(dt.UTC)


#: The engine's and Neo4j's integers are 64-bit: a larger one could not be stored.
_INT64 = (-(2**63), 2**63 - 1)


def _annotation(
    onto: Ontology, prop: Property, *, nullable: bool = True, blanks: bool = True
) -> Any:
    """The pydantic type of one property; strict where a silent coercion would lose meaning.

    ``nullable=False`` (whole records) refuses ``None`` so a required property cannot be
    present but empty; patches keep ``None`` to report "cannot be cleared" by field.
    ``blanks=False`` leaves blank text to the record's own pre-step (:func:`_typed_dict`).
    """
    kind = prop.type
    pre = [BeforeValidator(_empty_to_none)] if blanks else []
    constraints: dict[str, Any] = {}
    if prop.pattern:
        constraints["pattern"] = prop.pattern
    if prop.minimum is not None:
        constraints["ge"] = prop.minimum
    if prop.maximum is not None:
        constraints["le"] = prop.maximum
    base: Any
    if kind is PropertyType.STRING:
        base = Annotated[str, Field(**constraints)]
    elif kind is PropertyType.INT:
        constraints.setdefault("ge", _INT64[0])
        constraints.setdefault("le", _INT64[1])
        base = Annotated[int, Field(strict=False, **constraints)]
    elif kind is PropertyType.FLOAT:
        base = Annotated[float, Field(allow_inf_nan=False, **constraints)]
    elif kind is PropertyType.BOOL:
        base = bool
    elif kind is PropertyType.DATE:
        base = Annotated[dt.date, BeforeValidator(_date)]
    elif kind is PropertyType.DATETIME:
        base = Annotated[dt.datetime, BeforeValidator(_datetime), pydantic.AfterValidator(_utc)]
    elif kind is PropertyType.ENUM:
        enum = onto.enum(prop.enum or "")
        base = Literal[enum.values]  # type: ignore[valid-type]
    elif kind is PropertyType.STRING_LIST:
        base = Annotated[list[str], BeforeValidator(_string_list)]
    elif kind is PropertyType.JSON:
        base = Annotated[dict[str, Any], BeforeValidator(_json_map)]
    else:  # pragma: no cover - exhaustive over PropertyType
        raise AssertionError(kind)
    if not nullable:
        return Annotated[base, *pre] if pre else base
    return Annotated[base | None, *pre] if pre else base | None


def _typed_dict(object_type: ObjectType, *, patch: bool) -> Any:
    """The record (or patch) form of a type as a TypedDict: pydantic-core validates it into a dict.

    A record needs every required property, present and not empty; a patch
    may send any subset, and its required properties stay nullable there so
    that clearing one is reported by name ("cannot be cleared").
    """
    fields: dict[str, Any] = {}
    for prop in object_type.properties:
        required = prop.required and not patch
        ann = _annotation(ONTOLOGY, prop, nullable=not required, blanks=False)
        fields[prop.name] = Required[ann] if required else NotRequired[ann]
    suffix = "Patch" if patch else "Record"
    td = TypedDict(f"{object_type.name}{suffix}", fields)  # type: ignore[operator]
    td.__pydantic_config__ = pydantic.ConfigDict(  # type: ignore[attr-defined]
        extra="forbid", str_strip_whitespace=True
    )
    return Annotated[td, BeforeValidator(_blanks_to_none)]


@dataclass(frozen=True)
class Checked:
    """A batch through :meth:`ObjectValidator.records`: a row or problems per input record."""

    rows: list[dict[str, Any] | None]  # None where the record has problems
    problems: dict[int, list[Problem]]  # by the record's position in the batch


class ObjectValidator:
    """The one validator of an object type, generated from its declaration.

    Every write path uses it: the store's planning validates each batch of a
    type in one pydantic-core call (:meth:`records`), and single writes, actions
    and loaders call :meth:`record` or :meth:`patch`, which are the same schema.
    What it returns is normalised: text stripped and blank text read as
    missing, datetimes in UTC, integers within 64 bits, floats finite, JSON
    maps made of JSON values only. Hashes and columns are taken of that
    output and nothing else, so no other module has to second-guess input.
    """

    def __init__(self, object_type: ObjectType) -> None:
        self.object_type = object_type
        record = _typed_dict(object_type, patch=False)
        self._record = pydantic.TypeAdapter(record)
        self._records = pydantic.TypeAdapter(list[record])  # type: ignore[valid-type]
        self._patch = pydantic.TypeAdapter(_typed_dict(object_type, patch=True))
        self._required = frozenset(p.name for p in object_type.properties if p.required)

    def record(self, properties: Mapping[str, Any], **where: Any) -> dict[str, Any]:
        """One whole record, validated; ``ValidationError`` names each bad field."""
        try:
            return self._record.validate_python(properties)  # type: ignore[no-any-return]
        except pydantic.ValidationError as exc:
            problems = _problems(exc.errors(include_url=False), self.object_type, where)
            raise ValidationError(problems) from None

    def patch(self, properties: Mapping[str, Any], **where: Any) -> dict[str, Any]:
        """Some properties of a stored object (an action's change, a partial re-load)."""
        try:
            checked: dict[str, Any] = self._patch.validate_python(properties)
        except pydantic.ValidationError as exc:
            problems = _problems(exc.errors(include_url=False), self.object_type, where)
            raise ValidationError(problems) from None
        cleared = [k for k in self._required if k in checked and checked[k] is None]
        if cleared:
            name = self.object_type.name
            raise ValidationError(
                [
                    Problem(f"{name}: required property cannot be cleared", field=k, **where)
                    for k in sorted(cleared)
                ]
            )
        return checked

    def records(self, batch: Sequence[Mapping[str, Any]]) -> Checked:
        """Validate a whole batch in one call; a bad record costs one more call for the rest."""
        try:
            return Checked(self._records.validate_python(batch), {})
        except pydantic.ValidationError as exc:
            errors: dict[int, list[Any]] = {}
            for err in exc.errors(include_url=False):
                index, *loc = err["loc"]
                errors.setdefault(int(index), []).append({**err, "loc": tuple(loc)})
        good = [i for i in range(len(batch)) if i not in errors]
        rows: list[dict[str, Any] | None] = [None] * len(batch)
        valid = self._records.validate_python([batch[i] for i in good])
        for i, row in zip(good, valid, strict=True):
            rows[i] = row
        problems = {i: _problems(errs, self.object_type, {}) for i, errs in errors.items()}
        return Checked(rows, problems)


def validator(type_name: str) -> ObjectValidator:
    """The validator of one object type (by name or API name), built once per process."""
    return _validator(ONTOLOGY.object_type(type_name).name)


@cache
def _validator(name: str) -> ObjectValidator:
    return ObjectValidator(ONTOLOGY.object_type(name))


def _problems(
    errors: list[Any], object_type: ObjectType, where: Mapping[str, Any]
) -> list[Problem]:
    out = []
    for err in errors:
        loc = err.get("loc") or ()
        field = str(loc[0]) if loc else None
        kind = err.get("type", "")
        if kind == "missing":
            msg = f"{object_type.name}: required property is missing"
        elif kind == "extra_forbidden":
            msg = f"{object_type.name} has no property of that name"
        elif err.get("input") is None and kind != "missing":
            msg = f"{object_type.name}: required property is empty"
        elif kind == "literal_error" and field and object_type.has_property(field):
            enum = ONTOLOGY.enum_of(object_type.prop(field))
            allowed = ", ".join(enum.values) if enum else ""
            msg = f"{object_type.name}: {err.get('input')!r} is not one of {allowed}"
        elif kind == "none_required" or (kind.endswith("_type") and err.get("input") is None):
            msg = f"{object_type.name}: required property is empty"
        else:
            msg = f"{object_type.name}: {err.get('msg')} (got {err.get('input')!r})"
        out.append(Problem(msg, field=field, **where))
    return out


def validate_properties(
    object_type: str | ObjectType,
    properties: Mapping[str, Any],
    *,
    partial: bool = False,
    **where: Any,
) -> dict[str, Any]:
    """Validate one object's properties with its :class:`ObjectValidator`.

    With ``partial=True`` only the given properties are checked (a patch by an
    action); required properties may then be absent. ``where`` (``line=``,
    ``source=``, ``record=``) is copied into each problem so the user can find it.
    """
    name = object_type.name if isinstance(object_type, ObjectType) else object_type
    check = validator(name)
    return check.patch(properties, **where) if partial else check.record(properties, **where)


def validate_link_properties(
    link_api_name: str, properties: Mapping[str, Any], **where: Any
) -> dict[str, Any]:
    """Validate a link's own properties (declared on the link type)."""
    lt = ONTOLOGY.link_type(link_api_name)
    out: dict[str, Any] = {}
    declared = {p.name: p for p in lt.properties}
    problems = []
    for key, value in properties.items():
        prop = declared.get(key)
        if prop is None:
            problems.append(
                Problem(f"link {lt.api_name} has no property of that name", field=key, **where)
            )
            continue
        try:
            out[key] = _link_adapter(lt.api_name, key).validate_python(value)
        except pydantic.ValidationError as exc:
            problems.append(
                Problem(f"link {lt.api_name}: {exc.errors()[0]['msg']}", field=key, **where)
            )
    if problems:
        raise ValidationError(problems)
    return out


@cache
def _link_adapter(link_api_name: str, name: str) -> pydantic.TypeAdapter[Any]:
    """Built once per link property: building a TypeAdapter costs far more than validating."""
    prop = next(p for p in ONTOLOGY.link_type(link_api_name).properties if p.name == name)
    return pydantic.TypeAdapter(_annotation(ONTOLOGY, prop))


def title_of(object_type: ObjectType, properties: Mapping[str, Any]) -> str:
    """What a human sees: the title property, else the primary key."""
    value = properties.get(object_type.title_property)
    if value is None or value == "":
        value = properties.get(object_type.primary_key)
    return str(value)


Normaliser = Callable[[str | None], str | None]
