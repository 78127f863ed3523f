"""Refuses argument values over the limits: long strings, long lists, large filters, bad text.

Every argument of the document (literals) and every variable value is walked
once, before the document is validated and any resolver runs: a string over ``max_string_length``
characters, a list over ``max_list_items`` items, a ``where`` filter with
more than ``max_filter_terms`` comparisons (an ``in`` list is one) and text
that is not valid Unicode (an unpaired surrogate such as ``\\ud800``, which
no store can take) are refused with the argument's path. The walk is
iterative, so deeply nested values cannot exhaust the interpreter's stack,
and errors quote no more than a short prefix of the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    StringValueNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

from opencase.errors import LimitExceededError, Problem, ValidationError

from ..limits import Limits
from .query_shape import limits_of, refusal

#: Lone surrogates: Python strings may hold them (JSON "\\ud800"), UTF-8 cannot.
_SURROGATE = re.compile("[\ud800-\udfff]")


class ArgumentLimits(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        limits = limits_of(ec.context)
        document = ec.graphql_document
        if limits is not None and document is not None:
            try:
                _Walk(limits, ec.variables or {}).document(document)
            except ValidationError as exc:
                raise refusal(exc) from None
        yield


class _Walk:
    def __init__(self, limits: Limits, variables: Mapping[str, Any]) -> None:
        self.limits = limits
        self.variables = variables

    def document(self, document: DocumentNode) -> None:
        self.value(dict(self.variables), "variables", in_where=False)
        for definition in document.definitions:
            if isinstance(definition, ExecutableDefinitionNode):
                self._selections(definition)

    def _selections(self, definition: Node) -> None:
        stack: list[Any] = [definition.selection_set]  # type: ignore[attr-defined]
        while stack:
            selection_set = stack.pop()
            if selection_set is None:
                continue
            for sel in selection_set.selections:
                if isinstance(sel, FieldNode):
                    for arg in sel.arguments or ():
                        name = arg.name.value
                        self.node(arg.value, f"{sel.name.value}.{name}", name == "where")
                stack.append(getattr(sel, "selection_set", None))

    def node(self, root: Node, path: str, in_where: bool) -> None:
        """An argument's literal value (variables inside resolved)."""
        terms = 0
        stack: list[tuple[Node, str]] = [(root, path)]
        while stack:
            node, at = stack.pop()
            if isinstance(node, StringValueNode):
                self._string(node.value, at)
            elif isinstance(node, ListValueNode):
                self._list(len(node.values), at)
                scalars = not any(isinstance(v, ObjectValueNode) for v in node.values)
                if in_where and scalars:
                    terms = self._term(terms, at)
                stack += [(v, f"{at}[{i}]") for i, v in enumerate(node.values) if not scalars]
                stack += [(v, at) for v in node.values if scalars]
            elif isinstance(node, ObjectValueNode):
                for f in node.fields:
                    value, key = f.value, f"{at}.{f.name.value}"
                    if in_where and not isinstance(value, ObjectValueNode | ListValueNode):
                        terms = self._term(terms, key)
                    stack.append((value, key))
            elif isinstance(node, VariableNode) and in_where:
                self.value(self.variables.get(node.name.value), at, in_where=True)

    def value(self, root: Any, path: str, *, in_where: bool) -> None:
        """A variable's (JSON) value."""
        terms = 0
        stack: list[tuple[Any, str]] = [(root, path)]
        while stack:
            value, at = stack.pop()
            if isinstance(value, str):
                self._string(value, at)
            elif isinstance(value, list):
                self._list(len(value), at)
                scalars = not any(isinstance(v, dict) for v in value)
                if in_where and scalars:
                    terms = self._term(terms, at)
                stack += [(v, at if scalars else f"{at}[{i}]") for i, v in enumerate(value)]
            elif isinstance(value, dict):
                for key, item in value.items():
                    where = f"{at}.{key}" if isinstance(key, str) else at
                    if in_where and not isinstance(item, dict | list):
                        terms = self._term(terms, where)
                    stack.append((item, where))

    def _term(self, terms: int, at: str) -> int:
        terms += 1
        if terms > self.limits.max_filter_terms:
            raise self.limits.refuse(
                "max_filter_terms",
                f"the filter has more than {terms - 1:,} comparisons",
                field=_short(at),
            )
        return terms

    def _string(self, text: str, at: str) -> None:
        if len(text) > self.limits.max_string_length:
            raise self.limits.refuse(
                "max_string_length", f"a text of {len(text):,} characters", field=_short(at)
            )
        if _SURROGATE.search(text):
            raise ValidationError(
                Problem("text is not valid Unicode (it has an unpaired surrogate)", _short(at)),
                suggestion="send text as valid UTF-8; a \\ud800-\\udfff escape must be "
                "part of a surrogate pair",
            )

    def _list(self, size: int, at: str) -> None:
        if size > self.limits.max_list_items:
            raise self.limits.refuse(
                "max_list_items", f"a list of {size:,} items", field=_short(at)
            )


def _short(path: str) -> str:
    """A path is built from the request's own names: cut it like any quoted input."""
    return path if len(path) <= 120 else path[:120] + "…"


__all__ = ["ArgumentLimits", "LimitExceededError"]
