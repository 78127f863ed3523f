"""Documents checked once: which (query text, operation name) pairs are valid queries.

Parsing, the operation type and validation (the depth limit included) depend
on the document text and the operation name alone, never on variables, the
caller or the store. Strawberry's own preparation step decides them once per
pair, inside the operation stage as ``Schema.execute`` runs it, with the
schema's own hooks (its parser and validation caches, the depth limiter's
rules, added when the operation starts); a valid query keeps its parsed
document, which the fast path then executes without parsing or validating it
again (the validation cache alone rehashed the whole document per request).
Anything else (a syntax or validation error, a mutation, a subscription, no
operation of that name) is remembered as ``None``: those requests go through
the full Strawberry path, which reports them exactly as it always did.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import DocumentNode
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.schema import Schema
from strawberry.types.graphql import OperationType

#: What a POST may run, as Strawberry's view allows it (from_http("POST")).
POST_OPERATIONS = frozenset(OperationType.from_http("POST"))

#: Pairs remembered; clients repeat a few documents, so starting over is rare.
MAX_PREPARED = 256


@dataclass(frozen=True)
class PreparedQuery:
    """A query operation that parsed and validated without errors."""

    document: DocumentNode


class PreparedQueries:
    """(query text, operation name) -> its prepared query, or None for the full path."""

    def __init__(self, schema: Schema) -> None:
        self._schema = schema
        self._known: dict[tuple[str, str | None], PreparedQuery | None] = {}

    async def get(self, query: str, operation_name: str | None) -> PreparedQuery | None:
        key = (query, operation_name)
        try:
            return self._known[key]
        except KeyError:
            pass
        prepared = await self._prepare(query, operation_name)
        if len(self._known) >= MAX_PREPARED:
            self._known.clear()
        self._known[key] = prepared
        return prepared

    async def _prepare(self, query: str, operation_name: str | None) -> PreparedQuery | None:
        schema = self._schema
        context = schema._create_execution_context(
            query=query, allowed_operation_types=POST_OPERATIONS, operation_name=operation_name
        )
        extensions = schema.get_extensions()
        for extension in extensions:
            extension.execution_context = context
        runner = schema.create_extensions_runner(context, extensions)
        try:
            # inside the operation stage, as in Schema.execute: that is where extensions
            # such as the depth limiter add their validation rules
            async with runner.operation():
                errors = await schema._prepare_operation_async(context, runner)
            operation_type = context.operation_type
        except (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError):
            return None  # the view answers these with a 400 of its own
        except Exception:  # whatever it is, the full path reports it
            return None
        document = context.graphql_document
        if errors is not None or operation_type is not OperationType.QUERY or document is None:
            return None
        return PreparedQuery(document)
