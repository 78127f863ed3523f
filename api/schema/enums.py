"""GraphQL enums: one per ontology enum, plus the small fixed enums of the API.

Ontology enums become ``StrEnum`` classes whose members *equal* the stored
strings, so an enum property read from the store serialises without any
conversion and an enum argument reaches the store as its plain value.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from functools import cache

import strawberry

from opencase.ontology import ONTOLOGY, EnumType, Lifecycle, snake_to_camel

from .naming import enum_member


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum(
    description="Which way lineage walks, in data-flow terms. UPSTREAM goes towards the "
    "inputs (a deployment's model version, the runs that produced it, the dataset versions "
    "they read); DOWNSTREAM towards what was made from the object (a dataset's versions, "
    "the runs that read them, the model versions, releases and deployments built from "
    "them); BOTH walks each way from the start without turning round."
)
class LineageDirection(Enum):
    UPSTREAM = "in"
    DOWNSTREAM = "out"
    BOTH = "both"


def _value_doc(declared: EnumType, value: str) -> str | None:
    """A value's description: its own words, then what the lifecycles using it say of it."""
    parts = [declared.value_docs[value]] if value in declared.value_docs else []
    for lc in ONTOLOGY.lifecycles:
        ot = ONTOLOGY.object_type(lc.object_type)
        if ot.prop(lc.property).enum != declared.name:
            continue
        group = lc.group_of(value)
        targets = ", ".join(sorted(lc.targets(value))) or "none (final)"
        where = f"{lc.object_type}.{ot.prop(lc.property).camel_name}"
        parts.append(
            f"{where}: " + (f"group {group}; " if group else "") + f"may move to {targets}."
        )
    return " ".join(parts) or None


def _describe_values(py_enum: type, declared: EnumType) -> None:
    """Give each GraphQL enum value its description (Strawberry keeps them per value)."""
    for value in py_enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = _value_doc(declared, value.value)


@strawberry.enum(
    description="Which links a traversal follows: FLOW (provenance: used, generated, derived, "
    "packaged, deployed) or CONTEXT (owner, partner, programme, case, governance)."
)
class LineageScope(Enum):
    FLOW = "flow"
    CONTEXT = "context"


@cache
def ontology_enums() -> dict[str, type[StrEnum]]:
    """Strawberry enums by ontology enum name, built once per process."""
    out: dict[str, type[StrEnum]] = {}
    for declared in ONTOLOGY.enums:
        members = {enum_member(v): v for v in declared.values}
        py_enum = StrEnum(declared.name, members)  # type: ignore[misc]
        out[declared.name] = strawberry.enum(py_enum, description=declared.description)
        _describe_values(out[declared.name], declared)
    return out


def group_enum_name(lc: Lifecycle) -> str:
    """``ActionStatusGroup``: the enum of one lifecycle's declared groups."""
    prop = snake_to_camel(lc.property)
    return f"{lc.object_type}{prop[:1].upper()}{prop[1:]}Group"


@cache
def group_enums() -> dict[tuple[str, str], type[StrEnum]]:
    """One enum per lifecycle that declares groups, by (object type, property)."""
    out: dict[tuple[str, str], type[StrEnum]] = {}
    for lc in ONTOLOGY.lifecycles:
        if not lc.groups:
            continue
        name = group_enum_name(lc)
        py_enum = StrEnum(name, {g: g for g in lc.groups})  # type: ignore[misc]
        doc = f"Groups of {lc.object_type}.{snake_to_camel(lc.property)} states: {lc.description}"
        out[(lc.object_type, lc.property)] = strawberry.enum(py_enum, description=doc)
        for value in out[(lc.object_type, lc.property)].__strawberry_definition__.values:  # type: ignore[attr-defined]
            value.description = "States " + ", ".join(lc.groups[value.value]) + "."
    return out
