"""The ontology's building blocks: enums, properties, object, link and action types.

These are plain frozen dataclasses so that every generator (graph schema,
GraphQL, OWL, SHACL, JSON Schema, validation) walks the same immutable
declarations; nothing downstream writes a label or a field name by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class PropertyType(StrEnum):
    """The value kinds a property may have; every backend maps each one to a native type."""

    STRING = "string"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    ENUM = "enum"
    STRING_LIST = "string_list"
    JSON = "json"


class LinkRole(StrEnum):
    """What a link means for lineage: data flow (provenance) or context around it.

    ``flow`` links record that something was made from, used, derived from,
    packaged, deployed or produced by something else; lineage follows them by
    default. ``context`` links (ownership, assignment, membership, partner,
    programme, governance) describe the surroundings and are followed only on
    request, so the org chart does not drown the provenance.
    """

    FLOW = "flow"
    CONTEXT = "context"


class LinkEnd(StrEnum):
    """Which end of a flow link is upstream (the input) in data-flow terms."""

    SOURCE = "source"
    TARGET = "target"


class Cardinality(StrEnum):
    """How many targets one source may link to, and the reverse."""

    ONE_TO_ONE = "one-to-one"
    ONE_TO_MANY = "one-to-many"  # one source, many targets; each target has one source
    MANY_TO_ONE = "many-to-one"  # many sources share one target; each source has one target
    MANY_TO_MANY = "many-to-many"

    @property
    def source_max_targets_one(self) -> bool:
        """True when a source links to at most one target (forward field is single-valued)."""
        return self in (Cardinality.ONE_TO_ONE, Cardinality.MANY_TO_ONE)

    @property
    def target_max_sources_one(self) -> bool:
        """True when a target is linked from at most one source (reverse field is single-valued)."""
        return self in (Cardinality.ONE_TO_ONE, Cardinality.ONE_TO_MANY)


@dataclass(frozen=True)
class EnumType:
    """A closed vocabulary declared once and reused by every property that names it.

    ``synonyms`` maps lower-cased spellings seen in the customer's sources
    (``"pending reply"``) to the canonical value (``"WaitingResponse"``), so
    loaders normalise through the ontology instead of private tables.
    """

    name: str
    values: tuple[str, ...]
    description: str
    synonyms: Mapping[str, str] = field(default_factory=dict)

    def normalise(self, raw: str | None) -> str | None:
        """Map a raw spelling to the canonical value, or ``None`` when it is unknown."""
        if raw is None:
            return None
        text = raw.strip()
        if text in self.values:
            return text
        key = re.sub(r"[\s_\-]+", " ", text.lower()).strip()
        for value in self.values:
            if re.sub(r"[\s_\-]+", " ", value.lower()).strip() == key:
                return value
            if value.lower().replace(" ", "") == key.replace(" ", ""):
                return value
        return self.synonyms.get(key)


@dataclass(frozen=True)
class Property:
    """One typed property of an object type, a link type or an action's parameter."""

    name: str
    type: PropertyType
    description: str
    required: bool = False
    enum: str | None = None
    default: Any = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    searchable: bool = False
    # PROV-O alignment for the OWL export: "wasAssociatedWith" (the value names an
    # agent), "startedAtTime" or "endedAtTime" (the value times an activity).
    prov_property: str | None = None

    @property
    def camel_name(self) -> str:
        return snake_to_camel(self.name)


@dataclass(frozen=True)
class ObjectType:
    """A kind of thing in the graph (Foundry's object type)."""

    name: str
    api_name: str
    primary_key: str
    title_property: str
    description: str
    properties: tuple[Property, ...]
    plural: str | None = None
    area: str = ""
    prov_class: str | None = None  # PROV-O alignment: "Entity", "Activity" or "Agent"
    #: Written only by OpenCase's own code (the action executor's audit log): no
    #: loader, admin action or import may create, change, link or delete one, and
    #: a link type with a system type at either end is a system link type.
    #: See :mod:`opencase.ontology.system`.
    system: bool = False

    def prop(self, name: str) -> Property:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(f"{self.name} has no property {name!r}")

    def has_property(self, name: str) -> bool:
        return any(p.name == name for p in self.properties)

    @property
    def property_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)

    @property
    def plural_name(self) -> str:
        return self.plural or _pluralise(self.name)


@dataclass(frozen=True)
class LinkType:
    """A typed, directed relation between object types (Foundry's link type).

    ``forward_field`` is the field on the source (``ModelWork.versions``),
    ``reverse_field`` the field on each target (``ModelVersion.modelWork``).
    Several targets are allowed for polymorphic links (risk-applies-to).
    """

    api_name: str
    source: str
    targets: tuple[str, ...]
    cardinality: Cardinality
    forward_field: str
    reverse_field: str
    description: str
    properties: tuple[Property, ...] = ()
    prov_property: str | None = None  # PROV-O alignment, e.g. "used", "wasGeneratedBy"
    #: Lineage role; the registry refuses a link type without one.
    role: LinkRole | None = None
    #: For flow links: the end that is upstream (the input the other end was made from).
    upstream: LinkEnd | None = None

    @property
    def is_flow(self) -> bool:
        return self.role == LinkRole.FLOW

    @property
    def downstream_is_outgoing(self) -> bool:
        """True when following the link source -> target walks downstream (flow links)."""
        return self.upstream == LinkEnd.SOURCE

    @property
    def rel_type(self) -> str:
        """The relationship type/table name in both graph backends (from the API name)."""
        return api_to_rel(self.api_name)


@dataclass(frozen=True)
class ActionType:
    """A user-triggered write with typed parameters (Foundry's action type).

    ``touches`` names the object types the action may create or modify; the
    API issue's executor implements the effect, the ontology declares the shape.
    """

    name: str
    api_name: str
    description: str
    parameters: tuple[Property, ...]
    touches: tuple[str, ...]
    admin: bool = False


def snake_to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def camel_to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def pascal_to_kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def api_to_rel(api_name: str) -> str:
    """``daia-action-about-model`` -> ``DAIA_ACTION_ABOUT_MODEL``: a label both engines accept."""
    return api_name.upper().replace("-", "_")


def _pluralise(name: str) -> str:
    if name.endswith("y") and not name.endswith(("ay", "ey", "oy", "uy")):
        return name[:-1] + "ies"
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    return name + "s"
