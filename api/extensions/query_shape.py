"""Refuses operations whose shape asks too much: tokens, depth, aliases, root fields, cost.

Checked per operation, before validation and before any resolver runs, with
the limits of the app serving the request (``Settings.limits``). One walk of
the operation (fragments expanded) measures all four shape limits; the token
limit is the parser's own (graphql-core stops parsing at the limit, so a huge
document is never built), and this extension is the schema's parser (with a
bounded cache of parsed documents).

The cost is the number of objects the operation may return: every field with
a page argument (``first``, ``maxNodes``) multiplies what is below it by its
value or its default, and adds that many objects, as GitHub's API counts
nodes. So 50 aliased ``modelWorks(first: 500)`` cost 25,000, and
``versions(first: 100)`` inside ``modelWorks(first: 500)`` costs 50,500.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    build_schema,
    get_named_type,
    get_operation_ast,
    parse,
)
from strawberry.extensions import SchemaExtension

from opencase.errors import LimitExceededError, ValidationError

from ..limits import Limits, default_limits
from .errors import map_error

#: Parsed documents kept: clients repeat the same few (each at most max_query_tokens long).
PARSED_DOCUMENTS = 256
#: Arguments that say how many objects a field returns.
PAGE_ARGUMENTS = ("first", "maxNodes")
_TOKENS = re.compile(r"Document contains more than \d+ tokens")


def limits_of(context: Any) -> Limits | None:
    settings = getattr(getattr(context, "services", None), "settings", None)
    return getattr(settings, "limits", None)


def refusal(exc: ValidationError) -> GraphQLError:
    """``exc`` as the GraphQL error that ends the operation before validation runs.

    Raised from a hook that starts, it is the operation's only error: Strawberry
    returns it as it is, so it carries its code and extensions already.
    """
    mapped = map_error(GraphQLError(exc.message, original_error=exc))
    return GraphQLError(mapped.message, extensions=mapped.extensions)


class QueryShapeLimits(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        """Parses the document (cached), stopping at the token limit with our error.

        It parses rather than Strawberry's ParserCache: an error raised while a
        parse hook starts is returned as it is raised, so the refusal must be
        made here to carry its code.
        """
        ec = self.execution_context
        limits = limits_of(ec.context) or default_limits()
        if ec.graphql_document is None and ec.query:
            try:
                ec.graphql_document = _parse(ec.query, limits.max_query_tokens)
            except GraphQLSyntaxError as error:
                if not _TOKENS.search(error.message):
                    raise
                refusal = map_error(GraphQLError("", original_error=_too_many_tokens(limits)))
                raise GraphQLError(refusal.message, extensions=refusal.extensions) from None
        yield

    def on_validate(self) -> Iterator[None]:
        """Measured before graphql-core validates: its rule for overlapping fields
        takes time that grows with the square of the fields, so 500 aliases are
        refused before that work, not after."""
        ec = self.execution_context
        limits = limits_of(ec.context)
        document = ec.graphql_document
        if limits is not None and document is not None:
            operation = get_operation_ast(document, ec.operation_name)
            schema = _types_of(ec.schema)
            root = schema.get_root_type(operation.operation) if operation is not None else None
            if operation is not None and root is not None:
                fragments = {
                    d.name.value: d
                    for d in document.definitions
                    if isinstance(d, FragmentDefinitionNode)
                }
                shape = _Shape(schema, fragments, ec.variables or {}, limits)
                try:
                    shape.measure(operation.selection_set, root)
                except LimitExceededError as exc:
                    raise refusal(exc) from None
        yield


@cache
def _types_of(schema: Any) -> GraphQLSchema:
    """The schema's types as graphql-core builds them from its SDL (public APIs only):
    field arguments with their defaults, which the cost counts."""
    return build_schema(schema.as_str())


@lru_cache(maxsize=PARSED_DOCUMENTS)
def _parse(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


def _too_many_tokens(limits: Limits) -> LimitExceededError:
    return limits.refuse("max_query_tokens", "the query document has too many tokens")


class _Shape:
    """One walk over an operation's selections, refusing at the first limit passed."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        limits: Limits,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.cost = 0
        self.aliases = 0
        #: fields visited; a fragment spread many times over is walked each time, so bounded
        self.visits = 0

    def measure(self, selection_set: SelectionSetNode, root: GraphQLNamedType) -> None:
        for roots, _ in enumerate(self._fields(selection_set, root), start=1):
            if roots > self.limits.max_root_fields:
                raise self.limits.refuse(
                    "max_root_fields",
                    f"the operation asks for more than {roots - 1:,} top-level fields",
                )
        stack: list[tuple[SelectionSetNode, GraphQLNamedType, int, int]] = [
            (selection_set, root, 1, 1)
        ]
        while stack:
            selections, parent, depth, scale = stack.pop()
            for node, field_type, args_def in self._fields(selections, parent):
                self._count(node, depth)
                if node.selection_set is None or field_type is None:
                    continue
                size = self._page(node, args_def)
                inner = scale
                if size is not None:
                    inner = scale * size
                    self.cost += inner
                    if self.cost > self.limits.max_query_cost:
                        raise self.limits.refuse(
                            "max_query_cost",
                            f"the operation may return more than {self.cost:,} objects "
                            "(page sizes multiplied)",
                        )
                stack.append((node.selection_set, field_type, depth + 1, inner))

    def _expand(self) -> None:
        self.visits += 1
        if self.visits > self.limits.max_query_tokens:
            raise self.limits.refuse("max_query_cost", "the operation expands to too many fields")

    def _count(self, node: FieldNode, depth: int) -> None:
        self._expand()
        if depth > self.limits.max_query_depth:
            raise self.limits.refuse("max_query_depth", f"the operation nests fields {depth} deep")
        if node.alias is not None:
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                raise self.limits.refuse(
                    "max_aliases", f"the operation has more than {self.aliases - 1:,} aliases"
                )

    def _fields(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType | None, Any]]:
        """The fields of a selection set, fragments expanded (validation refused cycles)."""
        pending: list[tuple[SelectionSetNode, GraphQLNamedType]] = [(selection_set, parent)]
        while pending:
            selections, owner = pending.pop()
            for sel in selections.selections:
                if isinstance(sel, FieldNode):
                    name = sel.name.value
                    if name.startswith("__"):  # introspection: its depth is the schema's
                        yield sel, None, {}
                        continue
                    defs = getattr(owner, "fields", {}).get(name)
                    named = get_named_type(defs.type) if defs is not None else None
                    yield sel, named, defs.args if defs is not None else {}
                elif isinstance(sel, InlineFragmentNode):
                    cond = sel.type_condition
                    target = self.schema.get_type(cond.name.value) if cond else owner
                    pending.append((sel.selection_set, target or owner))
                elif isinstance(sel, FragmentSpreadNode):
                    self._expand()  # not validated yet: fragments may even spread each other
                    fragment = self.fragments.get(sel.name.value)
                    if fragment is not None:
                        target = self.schema.get_type(fragment.type_condition.name.value)
                        pending.append((fragment.selection_set, target or owner))

    def _page(self, node: FieldNode, args_def: Mapping[str, Any]) -> int | None:
        """The page size a field asks for (given or default), None if it has no page argument."""
        given = {a.name.value: a.value for a in node.arguments or ()}
        for name in PAGE_ARGUMENTS:
            if name not in args_def:
                continue
            value = given.get(name)
            if isinstance(value, IntValueNode):
                return max(0, int(value.value))
            if isinstance(value, VariableNode):
                raw = self.variables.get(value.name.value)
                if isinstance(raw, int):
                    return max(0, raw)
            return _default(args_def[name])
        return None


def _default(argument: Any) -> int:
    """An Int argument's default value (from the SDL the types were built from), else 1."""
    if isinstance(argument.default_value, int):
        return int(argument.default_value)
    node = argument.ast_node.default_value if argument.ast_node is not None else None
    return max(0, int(node.value)) if isinstance(node, IntValueNode) else 1
