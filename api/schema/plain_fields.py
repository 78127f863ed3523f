"""Which fields are plain attribute reads, and how a leaf value is completed without graphql-core.

A field that is only an attribute read (a Strawberry field with no resolver,
no field extension and no arguments) whose type is a scalar or enum completes
as ``type.coerce_output_value(getattr(source, name))``. The executor
(execution.py) and the compiled subtrees (object_codegen.py) use these tables
and completions instead of graphql-core's generic path; anything unusual (a
null on a non-null field, a value the scalar rejects) raises :class:`Bail`, so
that the generic path produces exactly the error it always did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter

#: (parent type name, field name) -> (attribute to read, leaf type, non-null)
PlainLeaves = dict[tuple[str, str], tuple[str, GraphQLLeafType, bool]]

#: A compiled completion: the value a resolver gave -> its completed (JSON-ready) form.
Complete = Callable[[Any], Any]


class Bail(Exception):
    """This value needs the generic path (a null on a non-null, an unloaded link...)."""


def basic_attribute(field: GraphQLField) -> str | None:
    """The attribute a field without arguments, resolver or extension reads; else None."""
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or field.args or not definition.is_basic_field:
        return None
    if getattr(definition, "default_resolver", getattr) is not getattr:
        return None  # a configured default resolver: let Strawberry call it
    if getattr(field.resolve, "_is_default", False) is not True:
        return None  # Strawberry wrapped it (exception handlers): keep its resolver
    return str(definition.python_name)


#: (attribute, table, function) of a field resolved through a table (see table_projection)
Projection = tuple[str, dict[Any, Any], Callable[[Any], Any]]


def table_projection(field: GraphQLField) -> Projection | None:
    """What a field whose resolver maps one attribute of its parent through a table reads.

    Such a resolver is a plain function of its parent (no arguments, no field
    extension) marked with ``projection = (attribute, table, function)``:
    ``function(parent)`` is its value, and equals ``table[parent.attribute]``
    whenever that key is in the table (see graph_types.API_NAMES).
    """
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or field.args or definition.extensions:
        return None
    resolver = definition.base_resolver
    projection = getattr(getattr(resolver, "wrapped_func", None), "projection", None)
    if projection is None or resolver.is_async:
        return None
    return projection  # type: ignore[no-any-return]


def _plain_leaf(field: GraphQLField) -> tuple[str, GraphQLLeafType, bool] | None:
    attribute = basic_attribute(field)
    if attribute is None:
        return None
    non_null = isinstance(field.type, GraphQLNonNull)
    leaf = field.type.of_type if non_null else field.type
    if not is_leaf_type(leaf):
        return None
    return attribute, leaf, non_null


def plain_leaves(schema: GraphQLSchema) -> PlainLeaves:
    """Every object type field that is a plain attribute read of a scalar or enum."""
    found: PlainLeaves = {}
    for gql_type in schema.type_map.values():
        if not isinstance(gql_type, GraphQLObjectType) or gql_type.name.startswith("__"):
            continue
        for name, field in gql_type.fields.items():
            plan = _plain_leaf(field)
            if plan is not None:
                found[(gql_type.name, name)] = plan
    return found


def leaf_passes(leaf: GraphQLLeafType, var: str) -> str | None:
    """A Python test on ``var`` that is true when the value is already its own output.

    graphql-core's built-in scalars return a ``str`` (String, ID), a ``bool``
    (Boolean) or a 32-bit ``int`` (Int) unchanged; generated completions
    (object_codegen.py) inline this test and call the leaf's completion only
    for other values. None for types without such a test (enums, floats...).
    """
    if leaf is GraphQLString or leaf is GraphQLID:
        return f"type({var}) is str"
    if leaf is GraphQLBoolean:
        return f"type({var}) is bool"
    if leaf is GraphQLInt:
        return f"type({var}) is int and {GRAPHQL_MIN_INT} <= {var} <= {GRAPHQL_MAX_INT}"
    return None


def leaf_completion(leaf: GraphQLLeafType, non_null: bool) -> Complete:
    """A value completed as ``leaf``; the common exact types answered inline.

    Other values go through ``coerce_output_value`` (whose errors the generic
    path then reports: a rejected value or a null on a non-null raises Bail).
    """
    coerce = leaf.coerce_output_value

    def slow(value: Any) -> Any:
        if value is None:
            if non_null:
                raise Bail
            return None
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise Bail
        return coerced

    if leaf is GraphQLString or leaf is GraphQLID:
        return lambda value: value if type(value) is str else slow(value)
    if leaf is GraphQLBoolean:
        return lambda value: value if type(value) is bool else slow(value)
    if leaf is GraphQLInt:

        def complete_int(value: Any) -> Any:
            if type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT:
                return value
            return slow(value)

        return complete_int
    if isinstance(leaf, GraphQLEnumType):
        # an enum's output for a plain string depends on the string alone: look it
        # up once per request and value (a listing repeats a few statuses)
        names: dict[str, Any] = {}

        def complete_enum(value: Any) -> Any:
            if type(value) is not str:
                return slow(value)
            try:
                return names[value]
            except KeyError:
                name = names[value] = slow(value)
                return name

        return complete_enum
    return slow
