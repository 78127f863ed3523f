"""The ``ontology`` root field: the ontology itself as typed, introspectable data.

Tools (and people in the playground) discover object, link and action types
here with their descriptions, without parsing SDL or reading the source.
"""

from __future__ import annotations

import strawberry

from opencase.ontology import ONTOLOGY, ActionType, LinkType, ObjectType, Property

from .naming import plural_field, single_field


@strawberry.type(description="A property of an object type, a link type or an action.")
class PropertyInfo:
    name: str = strawberry.field(description="snake_case name in the ontology.")
    fieldName: str = strawberry.field(name="fieldName", description="camelCase GraphQL name.")
    type: str = strawberry.field(description="string, int, float, bool, date, datetime, ...")
    enum: str | None = strawberry.field(description="The enum's name, for enum properties.")
    required: bool
    description: str
    searchable: bool


@strawberry.type(description="A closed vocabulary.")
class EnumInfo:
    name: str
    values: list[str]
    description: str


@strawberry.type(description="A kind of object in the graph.")
class ObjectTypeInfo:
    name: str = strawberry.field(description="PascalCase name, also the GraphQL type name.")
    apiName: str = strawberry.field(name="apiName")
    description: str
    primaryKey: str = strawberry.field(name="primaryKey")
    titleProperty: str = strawberry.field(name="titleProperty")
    area: str
    queryField: str = strawberry.field(name="queryField", description="Root field for one.")
    listField: str = strawberry.field(name="listField", description="Root field for many.")
    properties: list[PropertyInfo]


@strawberry.type(description="A typed, directed relation between object types.")
class LinkTypeInfo:
    apiName: str = strawberry.field(name="apiName")
    source: str
    targets: list[str]
    cardinality: str
    forwardField: str = strawberry.field(name="forwardField")
    reverseField: str = strawberry.field(name="reverseField")
    description: str
    role: str = strawberry.field(
        description="Lineage role: 'flow' (provenance, followed by default) or 'context'."
    )
    upstream: str | None = strawberry.field(
        description="For flow links, the upstream (input) end: 'source' or 'target'."
    )
    properties: list[PropertyInfo]


@strawberry.type(description="A write users trigger; each is a mutation of the same name.")
class ActionTypeInfo:
    name: str
    apiName: str = strawberry.field(name="apiName")
    description: str
    parameters: list[PropertyInfo]
    touches: list[str]
    admin: bool


@strawberry.type(description="The ontology the whole API is generated from.")
class OntologyInfo:
    version: str
    objectTypes: list[ObjectTypeInfo] = strawberry.field(name="objectTypes")
    linkTypes: list[LinkTypeInfo] = strawberry.field(name="linkTypes")
    actionTypes: list[ActionTypeInfo] = strawberry.field(name="actionTypes")
    enums: list[EnumInfo]


def _prop(p: Property) -> PropertyInfo:
    return PropertyInfo(
        name=p.name,
        fieldName=p.camel_name,
        type=str(p.type),
        enum=p.enum,
        required=p.required,
        description=p.description,
        searchable=p.searchable,
    )


def _object(ot: ObjectType) -> ObjectTypeInfo:
    return ObjectTypeInfo(
        name=ot.name,
        apiName=ot.api_name,
        description=ot.description,
        primaryKey=ot.primary_key,
        titleProperty=ot.title_property,
        area=ot.area,
        queryField=single_field(ot),
        listField=plural_field(ot),
        properties=[_prop(p) for p in ot.properties],
    )


def _link(lt: LinkType) -> LinkTypeInfo:
    return LinkTypeInfo(
        apiName=lt.api_name,
        source=lt.source,
        targets=list(lt.targets),
        cardinality=str(lt.cardinality),
        forwardField=lt.forward_field,
        reverseField=lt.reverse_field,
        description=lt.description,
        role=str(lt.role),
        upstream=str(lt.upstream) if lt.is_flow else None,
        properties=[_prop(p) for p in lt.properties],
    )


def _action(at: ActionType) -> ActionTypeInfo:
    return ActionTypeInfo(
        name=at.name,
        apiName=at.api_name,
        description=at.description,
        parameters=[_prop(p) for p in at.parameters],
        touches=list(at.touches),
        admin=at.admin,
    )


def ontology_info() -> OntologyInfo:
    return OntologyInfo(
        version=ONTOLOGY.version,
        objectTypes=[_object(ot) for ot in ONTOLOGY.object_types],
        linkTypes=[_link(lt) for lt in ONTOLOGY.link_types],
        actionTypes=[_action(at) for at in ONTOLOGY.action_types],
        enums=[
            EnumInfo(name=e.name, values=list(e.values), description=e.description)
            for e in ONTOLOGY.enums
        ],
    )
