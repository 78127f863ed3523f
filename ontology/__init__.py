"""The ontology: the single source of truth every other part is generated from.

``ONTOLOGY`` is built (and validated) at import; a contradiction in the
declarations raises :class:`opencase.errors.OntologyError` naming it.
"""

from __future__ import annotations

from .declarations import (
    ACTION_TYPES,
    ENUMS,
    GATE_POLICIES,
    LIFECYCLES,
    LINK_TYPES,
    OBJECT_TYPES,
)
from .model import (
    ActionType,
    Cardinality,
    EnumType,
    GatePolicy,
    Lifecycle,
    LinkType,
    ObjectType,
    Property,
    PropertyType,
    camel_to_snake,
    snake_to_camel,
)
from .registry import SYSTEM_FIELDS, SYSTEM_NAMES, SYSTEM_PROPERTIES, Ontology

ONTOLOGY_VERSION = "0.1.0"

ONTOLOGY = Ontology.build(
    version=ONTOLOGY_VERSION,
    enums=ENUMS,
    object_types=OBJECT_TYPES,
    link_types=LINK_TYPES,
    action_types=ACTION_TYPES,
    lifecycles=LIFECYCLES,
    gate_policies=GATE_POLICIES,
)

__all__ = [
    "ONTOLOGY",
    "ONTOLOGY_VERSION",
    "SYSTEM_FIELDS",
    "SYSTEM_NAMES",
    "SYSTEM_PROPERTIES",
    "ActionType",
    "Cardinality",
    "EnumType",
    "GatePolicy",
    "Lifecycle",
    "LinkType",
    "ObjectType",
    "Ontology",
    "Property",
    "PropertyType",
    "camel_to_snake",
    "snake_to_camel",
]
