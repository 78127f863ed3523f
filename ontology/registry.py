"""The assembled ontology: lookups every consumer needs, and self-validation.

Validation runs once when the ontology is built (at import), so a typo in a
declaration fails loudly with the declaration's name instead of surfacing as a
wrong GraphQL field or an empty query weeks later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from opencase.errors import OntologyError

from .model import (
    ActionType,
    EnumType,
    LinkEnd,
    LinkRole,
    LinkType,
    ObjectType,
    Property,
    PropertyType,
)

#: Columns every node carries in both backends, beside the declared properties.
#: ``id`` is the global id (``<api-name>:<primary key>``), ``sys_title`` a copy of
#: the title property for search and lineage, ``sys_hash`` the content hash that
#: lets a re-load skip unchanged objects, ``sys_input_hash`` the hash of the last
#: input written (an identical input is skipped without reading the object back),
#: ``sys_deleted_*`` the soft-delete mark.
SYSTEM_PROPERTIES: tuple[Property, ...] = (
    Property("id", PropertyType.STRING, "Global id: '<object api name>:<primary key>'.", True),
    Property(
        "sys_title", PropertyType.STRING, "What a human sees (copy of the title property).", True
    ),
    Property("sys_hash", PropertyType.INT, "Hash of the declared properties' values (64 bits)."),
    Property(
        "sys_input_hash",
        PropertyType.INT,
        "Hash of the input of the last write to the object (re-sending it changes nothing).",
    ),
    Property("sys_created_at", PropertyType.DATETIME, "When OpenCase first wrote the object."),
    Property("sys_updated_at", PropertyType.DATETIME, "When OpenCase last changed the object."),
    Property("sys_deleted_at", PropertyType.DATETIME, "Soft-delete time; set means hidden."),
    Property("sys_deleted_by", PropertyType.STRING, "Who soft-deleted the object."),
)
SYSTEM_NAMES = frozenset(p.name for p in SYSTEM_PROPERTIES)

_PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class Ontology:
    """All declarations plus indexes; build it with :meth:`build` so it is validated."""

    version: str
    enums: tuple[EnumType, ...]
    object_types: tuple[ObjectType, ...]
    link_types: tuple[LinkType, ...]
    action_types: tuple[ActionType, ...]
    _by_name: dict[str, ObjectType] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        *,
        version: str,
        enums: Iterable[EnumType],
        object_types: Iterable[ObjectType],
        link_types: Iterable[LinkType],
        action_types: Iterable[ActionType],
    ) -> Ontology:
        onto = cls(
            version, tuple(enums), tuple(object_types), tuple(link_types), tuple(action_types)
        )
        problems = onto._problems()
        if problems:
            raise OntologyError(
                "the ontology is inconsistent:\n  - " + "\n  - ".join(problems),
                suggestion="fix the named declarations in ontology/declarations/",
            )
        for ot in onto.object_types:
            onto._by_name[ot.name] = ot
            onto._by_name[ot.api_name] = ot
        return onto

    # ---- lookups -------------------------------------------------------------------------

    def object_type(self, name: str) -> ObjectType:
        """By PascalCase name or kebab-case API name."""
        try:
            return self._by_name[name]
        except KeyError:
            raise OntologyError(
                f"unknown object type {name!r}",
                suggestion="see `opencase ontology` for the declared object types",
            ) from None

    def has_object_type(self, name: str) -> bool:
        return name in self._by_name

    def link_type(self, api_name: str) -> LinkType:
        try:
            return self._links[api_name]
        except KeyError:
            raise OntologyError(
                f"unknown link type {api_name!r}",
                suggestion="see `opencase ontology` for the declared link types",
            ) from None

    def has_link_type(self, api_name: str) -> bool:
        return api_name in self._links

    def action_type(self, name: str) -> ActionType:
        for at in self.action_types:
            if name in (at.name, at.api_name):
                return at
        raise OntologyError(f"unknown action type {name!r}")

    def enum(self, name: str) -> EnumType:
        try:
            return self._enums[name]
        except KeyError:
            raise OntologyError(f"unknown enum {name!r}") from None

    def links_from(self, object_type: str) -> tuple[LinkType, ...]:
        name = self.object_type(object_type).name
        return tuple(lt for lt in self.link_types if lt.source == name)

    def links_to(self, object_type: str) -> tuple[LinkType, ...]:
        name = self.object_type(object_type).name
        return tuple(lt for lt in self.link_types if name in lt.targets)

    def enum_of(self, prop: Property) -> EnumType | None:
        return self._enums.get(prop.enum) if prop.enum else None

    @cached_property
    def _links(self) -> dict[str, LinkType]:
        return {lt.api_name: lt for lt in self.link_types}

    @cached_property
    def system_types(self) -> frozenset[str]:
        """Names of the object types declared ``system`` (see :mod:`opencase.ontology.system`)."""
        return frozenset(ot.name for ot in self.object_types if ot.system)

    @cached_property
    def system_links(self) -> frozenset[str]:
        """API names of the link types with a system type at either end."""
        system = self.system_types
        return frozenset(
            lt.api_name
            for lt in self.link_types
            if lt.source in system or not system.isdisjoint(lt.targets)
        )

    @cached_property
    def _enums(self) -> dict[str, EnumType]:
        return {e.name: e for e in self.enums}

    # ---- ids -----------------------------------------------------------------------------

    def object_id(self, object_type: str, primary_key: object) -> str:
        """The global id of an object: ``<api name>:<primary key>``."""
        return f"{self.object_type(object_type).api_name}:{primary_key}"

    def type_of_id(self, object_id: str) -> ObjectType:
        """The object type a global id belongs to (its prefix), without touching the store."""
        prefix, sep, _ = object_id.partition(":")
        if not sep or prefix not in self._by_name:
            raise OntologyError(
                f"{object_id!r} is not an OpenCase id",
                suggestion="ids look like 'model-work:A330:72:hpc' (<object api name>:<key>)",
            )
        return self._by_name[prefix]

    # ---- self-validation -----------------------------------------------------------------

    def _problems(self) -> list[str]:
        out: list[str] = []
        out += self._enum_problems()
        names: set[str] = set()
        api_names: set[str] = set()
        for ot in self.object_types:
            out += self._object_problems(ot, names, api_names)
        object_names = {ot.name for ot in self.object_types}
        link_api: set[str] = set()
        fields: dict[tuple[str, str], str] = {}
        for ot in self.object_types:
            for p in ot.properties:
                fields[(ot.name, p.camel_name)] = f"property {p.name}"
        for lt in self.link_types:
            out += self._link_problems(lt, object_names, link_api, fields)
        seen_actions: set[str] = set()
        for at in self.action_types:
            where = f"action type {at.name}"
            if at.name in seen_actions:
                out.append(f"{where}: duplicate action name")
            seen_actions.add(at.name)
            if not _CAMEL.match(at.name):
                out.append(f"{where}: name must be camelCase")
            for t in at.touches:
                if t not in object_names:
                    out.append(f"{where}: touches unknown object type {t!r}")
            out += self._property_problems(where, at.parameters)
        return out

    def _enum_problems(self) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        for e in self.enums:
            if e.name in seen:
                out.append(f"enum {e.name}: declared twice")
            seen.add(e.name)
            if len(set(e.values)) != len(e.values):
                out.append(f"enum {e.name}: duplicate values")
            for raw, value in e.synonyms.items():
                if value not in e.values:
                    out.append(f"enum {e.name}: synonym {raw!r} maps to unknown value {value!r}")
        return out

    def _object_problems(self, ot: ObjectType, names: set[str], api_names: set[str]) -> list[str]:
        where = f"object type {ot.name}"
        out: list[str] = []
        if not _PASCAL.match(ot.name):
            out.append(f"{where}: name must be PascalCase")
        if not _KEBAB.match(ot.api_name):
            out.append(f"{where}: API name {ot.api_name!r} must be kebab-case")
        if ot.name in names:
            out.append(f"{where}: duplicate object type name")
        if ot.api_name in api_names:
            out.append(f"{where}: duplicate API name {ot.api_name!r}")
        names.add(ot.name)
        api_names.add(ot.api_name)
        if not ot.description:
            out.append(f"{where}: needs a description")
        if not ot.has_property(ot.primary_key):
            out.append(f"{where}: primary key {ot.primary_key!r} is not a property")
        elif not ot.prop(ot.primary_key).required:
            out.append(f"{where}: primary key {ot.primary_key!r} must be required")
        if not ot.has_property(ot.title_property):
            out.append(f"{where}: title property {ot.title_property!r} is not a property")
        out += self._property_problems(where, ot.properties)
        return out

    def _property_problems(self, where: str, props: tuple[Property, ...]) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        for p in props:
            pw = f"{where}, property {p.name}"
            if p.name in seen:
                out.append(f"{pw}: declared twice")
            seen.add(p.name)
            if not _SNAKE.match(p.name):
                out.append(f"{pw}: name must be snake_case")
            if p.name in SYSTEM_NAMES or p.name.startswith("sys_"):
                out.append(f"{pw}: name is reserved for the system")
            if not p.description:
                out.append(f"{pw}: needs a description")
            if p.type == PropertyType.ENUM:
                e = self._enums.get(p.enum or "")
                if e is None:
                    out.append(f"{pw}: unknown enum {p.enum!r}")
                elif p.default is not None and p.default not in e.values:
                    out.append(f"{pw}: default {p.default!r} is not a value of enum {e.name}")
            elif p.enum is not None:
                out.append(f"{pw}: only enum properties may name an enum")
            if p.pattern is not None:
                try:
                    re.compile(p.pattern)
                except re.error as exc:
                    out.append(f"{pw}: bad pattern ({exc})")
        return out

    def _link_problems(
        self,
        lt: LinkType,
        object_names: set[str],
        seen: set[str],
        fields: dict[tuple[str, str], str],
    ) -> list[str]:
        where = f"link type {lt.api_name}"
        out: list[str] = []
        if not _KEBAB.match(lt.api_name):
            out.append(f"{where}: API name must be kebab-case")
        if lt.api_name in seen:
            out.append(f"{where}: duplicate API name")
        seen.add(lt.api_name)
        if lt.source not in object_names:
            out.append(f"{where}: unknown source type {lt.source!r}")
        if not lt.targets:
            out.append(f"{where}: needs at least one target type")
        for t in lt.targets:
            if t not in object_names:
                out.append(f"{where}: unknown target type {t!r}")
        if not lt.description:
            out.append(f"{where}: needs a description")
        for side, owner_types, fname in (
            ("forward", (lt.source,), lt.forward_field),
            ("reverse", lt.targets, lt.reverse_field),
        ):
            if not _CAMEL.match(fname):
                out.append(f"{where}: {side} field {fname!r} must be camelCase")
            for owner in owner_types:
                key = (owner, fname)
                if key in fields:
                    out.append(f"{where}: {side} field {owner}.{fname} clashes with {fields[key]}")
                fields[key] = f"link {lt.api_name}"
        out += _role_problems(where, lt)
        out += self._property_problems(where, lt.properties)
        return out


#: What each role means, quoted in the error for a link type that declares none.
_ROLE_HINT = (
    "add role=FLOW with upstream=SOURCE or upstream=TARGET to its link(...) declaration "
    "if it records provenance (one end was made from, used, derived from, packaged, "
    "deployed or produced by the other; upstream is the input end), or role=CONTEXT if it "
    "records ownership, assignment, membership, partner, programme or governance "
    "(lineage then follows it only with include: [CONTEXT])"
)


def _role_problems(where: str, lt: LinkType) -> list[str]:
    """One rule for lineage roles: every link has one, and a flow link names its upstream end."""
    roles = ", ".join(r.value for r in LinkRole)
    ends = ", ".join(e.value for e in LinkEnd)
    if lt.role is None:
        return [f"{where}: declares no lineage role; {_ROLE_HINT}"]
    if lt.role not in tuple(LinkRole):
        return [f"{where}: role {lt.role!r} is not one of {roles}"]
    if lt.role == LinkRole.FLOW and lt.upstream not in tuple(LinkEnd):
        got = "none" if lt.upstream is None else repr(lt.upstream)
        return [f"{where}: a flow link must say which end is upstream (upstream={ends}), got {got}"]
    if lt.role == LinkRole.CONTEXT and lt.upstream is not None:
        return [f"{where}: a context link has no upstream end; drop upstream={lt.upstream!r}"]
    return []
