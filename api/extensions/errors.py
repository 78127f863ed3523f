"""Turns every error into a clear GraphQL error; nothing unexpected leaks.

Our own errors (:class:`~opencase.errors.OpenCaseError`) keep their message
and gain ``extensions.code``, ``suggestion`` and, for validation errors, the
offending ``field`` (camelCase) and all problems; a limit refusal also names
the ``limit`` and its ``max``. Any other exception is a bug, and a store
failure of no known kind carries the engine's own words: both are logged with
their traceback under an error id, and the client sees only a generic message
and the id to quote, never a stack trace, engine text or a Cypher statement.

Every message is cut to :data:`MAX_MESSAGE` characters: messages quote the
input they refuse, and a megabyte argument must not come back in the error.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from opencase.errors import GraphStoreError, LimitExceededError, OpenCaseError, ValidationError
from opencase.ontology import snake_to_camel

from ..errors import error_code

log = logging.getLogger("opencase.api")


def _field_name(field: str | None) -> str | None:
    if not field:
        return None
    return ".".join(snake_to_camel(part) if "_" in part else part for part in field.split("."))


#: The longest message (and suggestion, and problem) a client is sent.
MAX_MESSAGE = 300
#: Problems listed per error; the message says how many there were.
MAX_PROBLEMS = 20


def cut(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def map_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None:  # a syntax, validation or variable error: its message is clear
        if (error.extensions or {}).get("code") and len(error.message) <= MAX_MESSAGE:
            return error
        code = (
            "GRAPHQL_PARSE_FAILED"
            if isinstance(error, GraphQLSyntaxError)
            else "GRAPHQL_VALIDATION_FAILED"
        )
        return GraphQLError(
            cut(error.message),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": code, **(error.extensions or {})},
        )
    if isinstance(original, OpenCaseError) and type(original) is not GraphStoreError:
        extensions: dict[str, Any] = {"code": error_code(original)}
        if original.suggestion:
            extensions["suggestion"] = cut(original.suggestion)
        if isinstance(original, ValidationError):
            problems = [
                {"message": cut(p.message), "field": _field_name(p.field and cut(p.field, 120))}
                for p in original.problems[:MAX_PROBLEMS]
            ]
            extensions["problems"] = problems
            if problems and problems[0]["field"]:
                extensions["field"] = problems[0]["field"]
        if isinstance(original, LimitExceededError):
            extensions["limit"] = original.limit
            extensions["max"] = original.maximum
        return GraphQLError(
            cut(original.message), nodes=error.nodes, path=error.path, extensions=extensions
        )
    if isinstance(original, GraphQLError):
        return map_error(original)  # a parse error raised while parsing comes wrapped
    error_id = uuid.uuid4().hex[:12]
    if isinstance(original, GraphStoreError):
        log.error("store error %s at %s", error_id, error.path, exc_info=original)
        return GraphQLError(
            f"the graph store failed (error id {error_id}); the server log has the details",
            nodes=error.nodes,
            path=error.path,
            extensions={
                "code": "STORE_ERROR",
                "errorId": error_id,
                "suggestion": "retry; if it fails again, report the error id",
            },
        )
    log.error("unexpected error %s at %s", error_id, error.path, exc_info=original)
    return GraphQLError(
        f"internal error (id {error_id}); the server log has the details",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
    )


def map_errors(errors: list[GraphQLError] | None) -> list[GraphQLError] | None:
    """Every error mapped (see :func:`map_error`); mapping twice changes nothing."""
    return None if errors is None else [map_error(e) for e in errors]


class ErrorMapper(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except GraphQLSyntaxError as error:
            # Strawberry's parser cache raises a syntax error past every hook (the
            # schema turns it into the result afterwards): it gets its code on the way
            error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_PARSE_FAILED"}
            raise
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = map_errors(result.errors)
