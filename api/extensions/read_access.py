"""Optionally closes reads to callers without a key (``--require-read-key``).

Checked per operation rather than per HTTP request so that the playground page
itself still loads: a browser opens it, then sends its key in the headers pane.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

from ..errors import ApiError


class ReadKeyGate(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        settings = getattr(getattr(context, "services", None), "settings", None)
        if settings is not None and settings.require_read_key:
            try:
                context.require_scope("read")
            except ApiError as exc:
                extensions = {"code": exc.code, "suggestion": exc.suggestion}
                self.execution_context.result = ExecutionResult(
                    data=None, errors=[GraphQLError(exc.message, extensions=extensions)]
                )
        yield
