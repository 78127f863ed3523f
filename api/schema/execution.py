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

A nested listing's edges, nodes and link fields went through the generic path
still (about a thousand of them, each with its resolve info, argument
coercion and awaitable checks). So when an object or list value is to be
completed, the executor first compiles the field's selection (per request,
once per field node) into plain Python closures: attribute reads, leaf
coercion, the link resolvers' ``prepare`` split (arguments once, then one
dataloader lookup per parent), ``__typename``. Only the simple shapes compile:
field nodes without directives, fragments, repeated response keys or
abstract types, and resolvers that are attribute reads or our link fields.
Completing with the closures either gives exactly what the generic path
would, or raises, and then the generic path completes the value (again, so
that the error, its path and its null are its own); a link whose dataloader
has not loaded yet does the same, so only already loaded levels take it.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
    FieldNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from . import graph_types
from .connections import ConnectionValue, EdgeValue, PageInfoValue
from .link_fields import NOT_READY
from .views import ObjectView, view_reader

#: (parent type name, field name) -> (attribute to read, leaf type, non-null)
PlainLeaves = dict[tuple[str, str], tuple[str, GraphQLLeafType, bool]]


#: What our resolvers return, never awaitable. The generic check ends in
#: ``hasattr(value, "__await__")``, which on an ObjectView goes through its
#: ``__getattr__`` and raises: the costliest step of a plain object field.
_NEVER_AWAITABLE = frozenset(
    {ObjectView, EdgeValue, ConnectionValue, PageInfoValue, str, int, float, bool, list, dict}
) | {type(None), graph_types.NodeValue, graph_types.EdgeValue}


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


#: A compiled completion: the value a resolver gave -> its completed (JSON-ready) form.
Complete = Callable[[Any], Any]


class _Uncompilable(Exception):
    """The selection has a shape the compiled path does not handle."""


class _Bail(Exception):
    """This value needs the generic path (a null on a non-null, an unloaded link...)."""


def _basic_attribute(field: GraphQLField) -> str | None:
    """The attribute a field without arguments or resolver reads (as in ``_plain_leaf``)."""
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or field.args or not definition.is_basic_field:
        return None
    if getattr(definition, "default_resolver", getattr) is not getattr:
        return None
    if getattr(field.resolve, "_is_default", False) is not True:
        return None
    return str(definition.python_name)


def _leaf_completion(read: Callable[[Any], Any], leaf: GraphQLLeafType, non_null: bool) -> Complete:
    """``read(source)`` completed as ``leaf``; the common exact types answered inline.

    graphql-core's built-in scalars return a ``str`` (String, ID), a ``bool``
    (Boolean) or a 32-bit ``int`` (Int) unchanged; only other values need
    ``coerce_output_value`` (whose errors the generic path then reports).
    """
    coerce = leaf.coerce_output_value

    def slow(value: Any) -> Any:
        if value is None:
            if non_null:
                raise _Bail
            return None
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise _Bail
        return coerced

    if leaf is GraphQLString or leaf is GraphQLID:

        def complete_str(source: Any) -> Any:
            value = read(source)
            return value if type(value) is str else slow(value)

        return complete_str
    if leaf is GraphQLBoolean:

        def complete_bool(source: Any) -> Any:
            value = read(source)
            return value if type(value) is bool else slow(value)

        return complete_bool
    if leaf is GraphQLInt:

        def complete_int(source: Any) -> Any:
            value = read(source)
            if type(value) is int and GRAPHQL_MIN_INT <= value <= GRAPHQL_MAX_INT:
                return value
            return slow(value)

        return complete_int
    if isinstance(leaf, GraphQLEnumType):
        # an enum's output for a plain string depends on the string alone: look it
        # up once per request and value (a listing repeats a few statuses)
        names: dict[str, Any] = {}

        def complete_enum(source: Any) -> Any:
            value = read(source)
            if type(value) is not str:
                return slow(value)
            try:
                return names[value]
            except KeyError:
                name = names[value] = slow(value)
                return name

        return complete_enum
    return lambda source: slow(read(source))


def _identity(value: Any) -> Any:
    return value


class _Compiler:
    """Turns a field's selection into closures; one per request (variables differ).

    Every completion takes the value a resolver gave and returns its completed
    form; a null where the type is non-null raises :class:`_Bail`, like every
    other case the generic path must judge.
    """

    def __init__(self, executor: PlainFieldExecutor) -> None:
        self.leaves = executor._short
        self.variables = executor.variable_values
        self.context = executor.context_value
        self.is_awaitable = executor.generic_is_awaitable
        #: result types seen not to be awaitable (generic check once per type)
        self.settled: set[type] = set(_NEVER_AWAITABLE)

    def value(self, return_type: GraphQLOutputType, node: FieldNode) -> Complete:
        non_null = isinstance(return_type, GraphQLNonNull)
        inner = return_type.of_type if non_null else return_type  # type: ignore[union-attr]
        if isinstance(inner, GraphQLList):
            return self._list(self.value(inner.of_type, node), non_null)
        if is_leaf_type(inner):
            return self._leaf(inner, non_null)  # type: ignore[arg-type]
        if isinstance(inner, GraphQLObjectType):
            return self._object(inner, node, non_null)
        raise _Uncompilable  # interfaces and unions: the generic path resolves the type

    @staticmethod
    def _list(item: Complete, non_null: bool) -> Complete:
        def complete(value: Any) -> Any:
            if type(value) is list:
                return [item(v) for v in value]
            if value is None and not non_null:
                return None
            raise _Bail  # other iterables, awaitables, a null on a non-null list

        return complete

    @staticmethod
    def _leaf(leaf: GraphQLLeafType, non_null: bool) -> Complete:
        return _leaf_completion(_identity, leaf, non_null)

    def _object(self, gql_type: GraphQLObjectType, node: FieldNode, non_null: bool) -> Complete:
        selection_set = node.selection_set
        if selection_set is None:
            raise _Uncompilable
        fields: list[tuple[str, Complete]] = []
        for sel in selection_set.selections:
            if not isinstance(sel, FieldNode) or sel.directives:
                raise _Uncompilable
            key = sel.alias.value if sel.alias else sel.name.value
            if any(key == seen for seen, _ in fields):
                raise _Uncompilable  # merged field nodes: the generic path merges them
            fields.append((key, self._field(gql_type, sel)))
        checker = gql_type.is_type_of
        type_name = getattr(checker, "checks_view_type", None)
        if checker is not None and type_name is None:
            raise _Uncompilable  # someone else's is_type_of may need the resolve info
        if type_name is not None:

            def complete_view(value: Any) -> Any:
                if type(value) is ObjectView and value._type_name == type_name:
                    return {key: fn(value) for key, fn in fields}
                if value is None and not non_null:
                    return None
                raise _Bail

            return complete_view
        settled = self.settled
        is_awaitable = self.is_awaitable

        def complete(value: Any) -> Any:
            if type(value) not in settled:
                if value is None:
                    if non_null:
                        raise _Bail
                    return None
                if is_awaitable(value) or hasattr(type(value), "__await__"):
                    raise _Bail
                settled.add(type(value))
            return {key: fn(value) for key, fn in fields}

        return complete

    def _field(self, parent: GraphQLObjectType, node: FieldNode) -> Complete:
        name = node.name.value
        if name == "__typename":
            typename = parent.name
            return lambda _source: typename
        field = parent.fields.get(name)
        if field is None:
            raise _Uncompilable
        leaf = self.leaves.get((parent.name, name))
        if leaf is not None and not node.arguments:
            # on a generated object type the source was checked to be an ObjectView
            on_view = getattr(parent.is_type_of, "checks_view_type", None) is not None
            return self._plain_leaf(*leaf, on_view)
        sub = self.value(field.type, node)
        prepare = getattr(field.resolve, "prepare", None)
        if prepare is not None:  # a link field (link_fields.py)
            try:
                args = get_argument_values(field, node, self.variables)
                resolve = prepare(args, [node])
            except Exception as exc:  # the generic path reports it where it belongs
                raise _Uncompilable from exc
            context = self.context

            def linked(source: Any) -> Any:
                value = resolve(source, context)
                if value is NOT_READY:
                    raise _Bail
                return sub(value)

            return linked
        attribute = _basic_attribute(field)
        if attribute is None:
            raise _Uncompilable
        return lambda source: sub(getattr(source, attribute))

    @staticmethod
    def _plain_leaf(
        attribute: str, leaf: GraphQLLeafType, non_null: bool, on_view: bool
    ) -> Complete:
        read = view_reader(attribute) if on_view else attrgetter(attribute)
        return _leaf_completion(read, leaf, non_null)


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor with a short path for plain leaf fields.

    ``plain`` is filled once the schema exists (see :func:`executor_for`); the
    default resolver must be ``getattr``, which is what Strawberry's default is.
    """

    plain: PlainLeaves = {}
    #: compile object subtrees (tests switch it off to compare with the generic path)
    compile_subtrees: bool = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Strawberry passes a manager even when no extension hooks ``resolve``
        manager = self.middleware_manager
        untouched = manager is None or not manager.middlewares
        self._short = self.plain if untouched else {}
        self._subtrees = untouched and self.compile_subtrees
        self._compiler: _Compiler | None = None
        #: (id of the field node, id of the type) -> its compiled completion, or None
        self._compiled: dict[tuple[int, int], Complete | None] = {}
        generic = self.generic_is_awaitable = self.is_awaitable

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

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self._subtrees and len(field_details_list) == 1:
            complete = self._compiled_for(return_type, field_details_list[0])
            if complete is not None:
                try:
                    return complete(result)
                except Exception:  # _Bail or anything else: the generic path decides
                    pass
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _compiled_for(self, return_type: GraphQLOutputType, details: Any) -> Complete | None:
        node = details.node
        key = (id(node), id(return_type))
        try:
            return self._compiled[key]
        except KeyError:
            pass
        complete: Complete | None = None
        inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        plain = is_leaf_type(inner)  # scalars: nothing to gain
        if not plain and details.defer_usage is None and details.fragment_variable_values is None:
            if self._compiler is None:
                self._compiler = _Compiler(self)
            try:
                complete = self._compiler.value(return_type, node)
            except _Uncompilable:
                complete = None
        self._compiled[key] = complete
        return complete


def executor_for(schema: GraphQLSchema, cls: type[PlainFieldExecutor]) -> None:
    """Give the executor class the plain leaf fields of the schema it executes."""
    cls.plain = plain_leaves(schema)


def executor_class() -> type[PlainFieldExecutor]:
    """A fresh subclass per schema, so two schemas never share a field table."""
    return type("OpenCaseExecutor", (PlainFieldExecutor,), {"plain": {}})
