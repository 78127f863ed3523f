"""A graphql-core executor that completes plain property fields without the generic path.

A nested listing returns a few hundred objects and some 2,000 scalar fields
(``id``, ``title``, ``status``...). graphql-core completes every one of them
the same way: a resolve-info tuple, the resolver wrapper, the awaitable
checks, then ``complete_value`` walking non-null/list/leaf/abstract. For a
field that is only an attribute read (a Strawberry field with no resolver,
no field extension and no arguments) whose type is a scalar or enum, all of
that reduces to ``type.coerce_output_value(getattr(source, name))``, so this
executor does just that. Anything unusual (a null on a non-null field, a
value the scalar rejects, an exception, schema middleware) goes through the
normal path again, which produces exactly the error it always did.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from .connections import ConnectionValue, EdgeValue, PageInfoValue
from .views import ObjectView

#: (parent type name, field name) -> (attribute to read, leaf type, non-null)
PlainLeaves = dict[tuple[str, str], tuple[str, GraphQLLeafType, bool]]


#: What our resolvers return, never awaitable. The generic check ends in
#: ``hasattr(value, "__await__")``, which on an ObjectView goes through its
#: ``__getattr__`` and raises: the costliest step of a plain object field.
_NEVER_AWAITABLE = frozenset(
    {ObjectView, EdgeValue, ConnectionValue, PageInfoValue, str, int, float, bool, list, dict}
) | {type(None)}


def _plain_leaf(field: GraphQLField) -> tuple[str, GraphQLLeafType, bool] | None:
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or field.args or not definition.is_basic_field:
        return None
    if getattr(definition, "default_resolver", getattr) is not getattr:
        return None  # a configured default resolver: let Strawberry call it
    if getattr(field.resolve, "_is_default", False) is not True:
        return None  # Strawberry wrapped it (exception handlers): keep its resolver
    non_null = isinstance(field.type, GraphQLNonNull)
    leaf = field.type.of_type if non_null else field.type
    if not is_leaf_type(leaf):
        return None
    return definition.python_name, leaf, non_null


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


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor with a short path for plain leaf fields.

    ``plain`` is filled once the schema exists (see :func:`executor_for`); the
    default resolver must be ``getattr``, which is what Strawberry's default is.
    """

    plain: PlainLeaves = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Strawberry passes a manager even when no extension hooks ``resolve``
        manager = self.middleware_manager
        self._short = self.plain if manager is None or not manager.middlewares else {}
        generic = self.is_awaitable

        def is_awaitable(value: Any) -> bool:
            return type(value) not in _NEVER_AWAITABLE and generic(value)

        self.is_awaitable = is_awaitable  # type: ignore[method-assign]

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        plan = self._short.get((parent_type.name, field_details_list[0].node.name.value))
        if plan is not None:
            attribute, leaf, non_null = plan
            try:
                value = getattr(source, attribute)
                if value is None:
                    if not non_null:
                        return None
                else:
                    coerced = leaf.coerce_output_value(value)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
            except Exception:  # the normal path below reports it properly
                pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def executor_for(schema: GraphQLSchema, cls: type[PlainFieldExecutor]) -> None:
    """Give the executor class the plain leaf fields of the schema it executes."""
    cls.plain = plain_leaves(schema)


def executor_class() -> type[PlainFieldExecutor]:
    """A fresh subclass per schema, so two schemas never share a field table."""
    return type("OpenCaseExecutor", (PlainFieldExecutor,), {"plain": {}})
