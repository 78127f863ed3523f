"""GraphQL enums: one per ontology enum, plus the small fixed enums of the API.

Ontology enums become ``StrEnum`` classes whose members *equal* the stored
strings, so an enum property read from the store serialises without any
conversion and an enum argument reaches the store as its plain value.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from functools import cache

import strawberry

from opencase.ontology import ONTOLOGY

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
    return out
