"""A lean HTTP path for the common GraphQL request; everything else keeps the full stack.

``http.GraphQLFastPath`` (ASGI middleware) answers a plain JSON query POSTed to
``/graphql``; ``prepared`` decides once per document whether it is such a
query; ``execute`` runs it through the schema's own extensions.
"""

from __future__ import annotations

from typing import Any

from .http import GraphQLFastPath

#: Strawberry internals the fast path calls (its schema's methods, Strawberry 0.341).
_SCHEMA_METHODS = (
    "_create_execution_context",
    "_prepare_operation_async",
    "_execute_operation",
    "_handle_execution_result",
    "_get_middleware_manager",
    "_get_execute_function",
    "_get_custom_context_kwargs",
    "create_extensions_runner",
    "get_extensions",
)


def supported(schema: Any) -> bool:
    """Whether this Strawberry still has what the fast path calls.

    They are internals, so a later Strawberry may rename them: then every
    request takes the full stack instead of failing (a changed signature is
    caught by tests/api/test_fast_path.py, which compares both paths).
    """
    from . import execute

    return execute.coerce_error is not None and all(
        callable(getattr(schema, name, None)) for name in _SCHEMA_METHODS
    )


__all__ = ["GraphQLFastPath", "supported"]
