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

from graphql import GraphQLError
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
    if original is None:
        return error  # a syntax or validation error of the query itself: already clear
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
        return original
    error_id = uuid.uuid4().hex[:12]
    log.error("unexpected error %s at %s", error_id, error.path, exc_info=original)
    return GraphQLError(
        f"internal error (id {error_id}); the server log has the details",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
    )


class ErrorMapper(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            result.errors = [map_error(e) for e in result.errors]
