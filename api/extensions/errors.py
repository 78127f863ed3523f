"""Turns every error into a clear GraphQL error; nothing unexpected leaks.

Our own errors (:class:`~opencase.errors.OpenCaseError`) keep their message
and gain ``extensions.code``, ``suggestion`` and, for validation errors, the
offending ``field`` (camelCase) and all problems. Any other exception is a bug:
it is logged with its traceback and the client sees only a generic message and
an error id to quote, never a stack trace or a Cypher statement.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from opencase.errors import OpenCaseError, ValidationError
from opencase.ontology import snake_to_camel

from ..errors import error_code

log = logging.getLogger("opencase.api")


def _field_name(field: str | None) -> str | None:
    if not field:
        return None
    return ".".join(snake_to_camel(part) if "_" in part else part for part in field.split("."))


def map_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None:  # a syntax, validation or variable error: its message is clear
        if (error.extensions or {}).get("code"):
            return error
        code = (
            "GRAPHQL_PARSE_FAILED"
            if isinstance(error, GraphQLSyntaxError)
            else "GRAPHQL_VALIDATION_FAILED"
        )
        return GraphQLError(
            error.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={**(error.extensions or {}), "code": code},
        )
    if isinstance(original, OpenCaseError):
        extensions: dict[str, Any] = {"code": error_code(original)}
        if original.suggestion:
            extensions["suggestion"] = original.suggestion
        if isinstance(original, ValidationError):
            problems = [
                {"message": p.message, "field": _field_name(p.field)} for p in original.problems
            ]
            extensions["problems"] = problems
            if problems and problems[0]["field"]:
                extensions["field"] = problems[0]["field"]
        return GraphQLError(
            original.message, nodes=error.nodes, path=error.path, extensions=extensions
        )
    if isinstance(original, GraphQLError):
        return map_error(original)  # a parse error raised while parsing comes wrapped
    error_id = uuid.uuid4().hex[:12]
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
