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

Which fields are plain reads, and how a leaf value completes, is in
plain_fields.py; each object of a compiled selection completes with one
generated function (object_codegen.py), a list of them with one comprehension.
A field whose resolver only maps an attribute through a table (a traversal
node's objectType) is read inline from that table too. A list held as
columns (rows.py: a lineage's nodes and edges) completes from its columns
when every field of the selection is a plain read of one of them.

A compiled selection with no link field uses nothing of its request (no
variables, no context): it is kept across requests for as long as the parser
cache hands out the same document, so a lineage query is compiled once, not
once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from opencase.graph.store import LineageEdge, LineageNode, PathStep

from .connections import ConnectionValue, EdgeValue, PageInfoValue
from .link_fields import NOT_READY
from .object_codegen import Call, Constant, Field, LeafRead, TableRead, object_completion
from .plain_fields import (
    Bail,
    Complete,
    PlainLeaves,
    basic_attribute,
    leaf_completion,
    leaf_passes,
    plain_leaves,
    table_projection,
)
from .rows import Rows
from .views import ObjectView, view_property_key

#: What our resolvers return, never awaitable. The generic check ends in
#: ``hasattr(value, "__await__")``, which on an ObjectView goes through its
#: ``__getattr__`` and raises: the costliest step of a plain object field.
_NEVER_AWAITABLE = frozenset(
    {ObjectView, EdgeValue, ConnectionValue, PageInfoValue, str, int, float, bool, list, dict}
) | {type(None), LineageNode, LineageEdge, PathStep, Rows}

_Bail = Bail  # the name the compiled closures below raise

#: compiled completions kept across requests (PlainFieldExecutor.shared)
MAX_SHARED = 4096


class _Uncompilable(Exception):
    """The selection has a shape the compiled path does not handle."""


def _admitter(settled: set[type], is_awaitable: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def admit(value: Any) -> bool:
        """Whether a source of a type not seen yet is a plain value (see object_completion)."""
        if value is None:
            return False
        if is_awaitable(value) or hasattr(type(value), "__await__"):
            raise _Bail
        settled.add(type(value))
        return True

    return admit


class _Compiler:
    """Turns a field's selection into closures; one per request (variables differ).

    Every completion takes the value a resolver gave and returns its completed
    form; a null where the type is non-null raises :class:`_Bail`, like every
    other case the generic path must judge. ``bound`` tells whether the last
    completion compiled uses the request (its variables or context: a link
    field); one that does not is the same for every request of that document.
    """

    def __init__(self, executor: PlainFieldExecutor) -> None:
        self.leaves = executor._short
        self.variables = executor.variable_values
        self.context = executor.context_value
        #: result types seen not to be awaitable (generic check once per type and
        #: process: whether a type's values are awaitable does not change)
        self.settled: set[type] = executor.settled
        # not a method: completions kept across requests must not hold this request
        self.admit = _admitter(self.settled, executor.generic_is_awaitable)
        self.bound = False

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
        many = getattr(item, "many", None)  # an object completion's list form
        if many is None:
            many = lambda items: [item(v) for v in items]  # noqa: E731
        columns = getattr(item, "columns", None)  # its form for rows held as columns

        def complete(value: Any) -> Any:
            if type(value) is list:
                return many(value)
            if type(value) is Rows:
                if columns is not None:
                    try:
                        return columns(value)
                    except (_Bail, KeyError):  # a value or column it does not vouch for
                        pass
                return many(value.records())  # the same rows, record by record
            if value is None and not non_null:
                return None
            raise _Bail  # other iterables, awaitables, a null on a non-null list

        return complete

    @staticmethod
    def _leaf(leaf: GraphQLLeafType, non_null: bool) -> Complete:
        return leaf_completion(leaf, non_null)

    def _object(self, gql_type: GraphQLObjectType, node: FieldNode, non_null: bool) -> Complete:
        selection_set = node.selection_set
        if selection_set is None:
            raise _Uncompilable
        checker = gql_type.is_type_of
        type_name = getattr(checker, "checks_view_type", None)
        if checker is not None and type_name is None:
            raise _Uncompilable  # someone else's is_type_of may need the resolve info
        fields: list[Field] = []
        for sel in selection_set.selections:
            if not isinstance(sel, FieldNode) or sel.directives:
                raise _Uncompilable
            key = sel.alias.value if sel.alias else sel.name.value
            if any(key == seen.key for seen in fields):
                raise _Uncompilable  # merged field nodes: the generic path merges them
            fields.append(self._field(gql_type, sel, key, on_view=type_name is not None))
        return object_completion(
            fields, view_type=type_name, non_null=non_null, settled=self.settled, admit=self.admit
        )

    def _field(self, parent: GraphQLObjectType, node: FieldNode, key: str, on_view: bool) -> Field:
        name = node.name.value
        if name == "__typename":
            return Constant(key, parent.name)
        field = parent.fields.get(name)
        if field is None:
            raise _Uncompilable
        leaf = self.leaves.get((parent.name, name))
        if leaf is not None and not node.arguments:
            # on a generated object type the source was checked to be an ObjectView
            attribute, leaf_type, non_null = leaf
            return LeafRead(
                key,
                attribute,
                view_property_key(attribute) if on_view else None,
                leaf_passes(leaf_type, "{x}"),
                leaf_completion(leaf_type, non_null),
            )
        projection = None if on_view or node.arguments else table_projection(field)
        if projection is not None:
            return self._table_read(field, key, *projection)
        sub = self.value(field.type, node)
        prepare = getattr(field.resolve, "prepare", None)
        if prepare is not None:  # a link field (link_fields.py)
            self.bound = True
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

            return Call(key, linked)
        attribute = basic_attribute(field)
        if attribute is None:
            raise _Uncompilable
        return Call(key, lambda source: sub(getattr(source, attribute)))

    @staticmethod
    def _table_read(
        field: GraphQLField, key: str, attribute: str, table: dict[Any, Any], fn: Complete
    ) -> Field:
        """A field resolved as ``table[source.attribute]`` (see plain_fields.table_projection)."""
        non_null = isinstance(field.type, GraphQLNonNull)
        leaf = field.type.of_type if non_null else field.type  # type: ignore[union-attr]
        passes = leaf_passes(leaf, "{x}") if is_leaf_type(leaf) else None
        if passes is None:
            raise _Uncompilable
        sub = leaf_completion(leaf, non_null)  # type: ignore[arg-type]
        return TableRead(key, attribute, table.get, passes, lambda source: sub(fn(source)))


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor with a short path for plain leaf fields.

    ``plain`` is filled once the schema exists (see :func:`executor_for`); the
    default resolver must be ``getattr``, which is what Strawberry's default is.
    """

    plain: PlainLeaves = {}
    #: compile object subtrees (tests switch it off to compare with the generic path)
    compile_subtrees: bool = True
    #: (id of the field node, id of the type) -> (node, type, completion): the
    #: completions that use no request state, shared by every request of a
    #: document (the parser cache hands out the same nodes; held here, so their
    #: ids stay theirs). A lineage compiled per request cost a tenth of a ms.
    shared: dict[tuple[int, int], tuple[FieldNode, GraphQLOutputType, Complete | None]] = {}
    #: result types known not to be awaitable (see _Compiler.settled)
    settled: set[type] = set(_NEVER_AWAITABLE)

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
        # deferred fields and fragment variables depend on the request's variables
        if not plain and details.defer_usage is None and details.fragment_variable_values is None:
            shared = self.shared.get(key)
            if shared is not None and shared[0] is node and shared[1] is return_type:
                complete = self._compiled[key] = shared[2]
                return complete
            if self._compiler is None:
                self._compiler = _Compiler(self)
            compiler = self._compiler
            compiler.bound = False
            try:
                complete = compiler.value(return_type, node)
            except _Uncompilable:
                complete = None
            if not compiler.bound:
                if len(self.shared) >= MAX_SHARED:
                    self.shared.clear()  # documents come and go: start over, rarely
                self.shared[key] = (node, return_type, complete)
        self._compiled[key] = complete
        return complete


def executor_for(schema: GraphQLSchema, cls: type[PlainFieldExecutor]) -> None:
    """Give the executor class the plain leaf fields of the schema it executes."""
    cls.plain = plain_leaves(schema)


def executor_class() -> type[PlainFieldExecutor]:
    """A fresh subclass per schema, so two schemas never share a field table."""
    return type(
        "OpenCaseExecutor",
        (PlainFieldExecutor,),
        {"plain": {}, "shared": {}, "settled": set(_NEVER_AWAITABLE)},
    )
