"""Action parameters, validated by a pydantic model generated from the ActionType.

Nobody writes a parameter schema by hand: each ActionType's declared
parameters become one TypedDict adapter (built once, cached), using the same
per-property annotations as object validation, so a date parameter accepts
exactly what a date property accepts. Problems name the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, NotRequired, Required

import pydantic
from typing_extensions import TypedDict

from opencase.errors import Problem, ValidationError
from opencase.ontology import ONTOLOGY, ActionType
from opencase.ontology.validation import _annotation as property_annotation


@cache
def _adapter(action_name: str) -> pydantic.TypeAdapter[Any]:
    """One adapter per action type, cached by name (the frozen dataclass hashes slowly)."""
    action = ONTOLOGY.action_type(action_name)
    fields: dict[str, Any] = {}
    for prop in action.parameters:
        ann = property_annotation(ONTOLOGY, prop)
        fields[prop.name] = Required[ann] if prop.required else NotRequired[ann]
    td = TypedDict(f"{action.name[:1].upper()}{action.name[1:]}Parameters", fields)  # type: ignore[operator]
    td.__pydantic_config__ = pydantic.ConfigDict(  # type: ignore[attr-defined]
        extra="forbid", str_strip_whitespace=True
    )
    return pydantic.TypeAdapter(td)


def _canonical(action: ActionType, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Snake_case names and canonical enum values, the way the ontology spells them.

    The GraphQL (camelCase) spelling of a name is accepted too. An enum value
    must be one of the declared values: a synonym a loader would map
    (``"open"``) is refused with the list of values, as a query refuses it.
    """
    by_camel = {p.camel_name: p.name for p in action.parameters}
    declared = {p.name: p for p in action.parameters}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = by_camel.get(key, key)
        enum = ONTOLOGY.enum_of(declared[name]) if name in declared else None
        if enum is not None and isinstance(value, str):
            value = enum.canonical(value) or value  # an unknown word fails validation, by name
        out[name] = value
    return out


def _problem(action: ActionType, err: Any) -> Problem:
    loc = err.get("loc") or ()
    field = str(loc[0]) if loc else None
    kind = err.get("type", "")
    declared = {p.name: p for p in action.parameters}
    if kind == "missing":
        msg = f"{action.name}: required parameter is missing"
    elif kind == "extra_forbidden":
        names = ", ".join(declared)
        msg = f"{action.name} has no parameter of that name (it takes {names})"
    elif kind == "literal_error" and field in declared:
        enum = ONTOLOGY.enum_of(declared[field])
        allowed = ", ".join(enum.values) if enum else ""
        msg = f"{action.name}: {err.get('input')!r} is not one of {allowed}"
    else:
        msg = f"{action.name}: {err.get('msg')} (got {err.get('input')!r})"
    return Problem(msg, field=field)


def validate_parameters(action: ActionType, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Coerce ``raw`` to the declared parameter types, fill defaults, drop empty values.

    Raises ``ValidationError`` with one problem per bad parameter, each naming
    it, so the caller (GraphQL, CLI) can point at the field.
    """
    try:
        checked: dict[str, Any] = _adapter(action.name).validate_python(_canonical(action, raw))
    except pydantic.ValidationError as exc:
        problems = [_problem(action, e) for e in exc.errors(include_url=False)]
        raise ValidationError(problems) from None
    empty_required = [
        Problem(f"{action.name}: required parameter is empty", field=p.name)
        for p in action.parameters
        if p.required and checked.get(p.name) is None
    ]
    if empty_required:
        raise ValidationError(empty_required)
    out = {k: v for k, v in checked.items() if v is not None}
    for prop in action.parameters:
        if prop.default is not None and prop.name not in out:
            out[prop.name] = prop.default
    return out


def parameters_as_json(action: ActionType, params: Mapping[str, Any]) -> dict[str, Any]:
    """The validated parameters as JSON-safe values (dates as ISO text) for the ActionLog."""
    dumped: dict[str, Any] = _adapter(action.name).dump_python(dict(params), mode="json")
    return dumped
