"""Runs a prepared query as ``Schema.execute`` would, minus parsing and validating it again.

This is Strawberry's ``Schema.execute`` with its preparation step replaced by
the document prepared once (prepared.py). Everything a request itself can
change runs as before, through the schema's own extensions: the operation hook
(ErrorMapper masks unexpected errors), the execute hooks (ReadKeyGate,
RequestDeadline), the middleware manager, graphql-core's ``execute`` with our
executor class, ``process_errors`` and the extensions' results. The hooks are
found once per extension class (hooks.py) instead of once per request.
"""

from __future__ import annotations

from typing import Any

from strawberry.schema.schema import Schema
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

try:  # an internal: fast_path.supported() turns the fast path off without it
    from strawberry.schema.schema import _coerce_error as coerce_error
except ImportError:  # pragma: no cover - a Strawberry that renamed it
    coerce_error = None

from .hooks import cached_hooks_runner
from .prepared import POST_OPERATIONS, PreparedQuery


async def execute_prepared(
    schema: Schema,
    prepared: PreparedQuery,
    *,
    query: str,
    variables: dict[str, Any] | None,
    context: Any,
    operation_name: str | None,
    operation_extensions: dict[str, Any] | None,
) -> ExecutionResult:
    execution_context = schema._create_execution_context(
        query=query,
        allowed_operation_types=POST_OPERATIONS,
        variable_values=variables,
        context_value=context,
        root_value=None,
        operation_name=operation_name,
        operation_extensions=operation_extensions,
    )
    # as the preparation left it: parsed, and validated without errors
    execution_context.graphql_document = prepared.document
    execution_context.pre_execution_errors = []
    extensions = schema.get_extensions()
    for extension in extensions:
        extension.execution_context = execution_context
    runner = cached_hooks_runner(execution_context, extensions)
    middleware_manager = schema._get_middleware_manager(extensions)
    execute_function = schema._get_execute_function()
    custom_context_kwargs = schema._get_custom_context_kwargs(operation_extensions)
    try:
        async with runner.operation():
            result = await schema._execute_operation(
                execution_context,
                runner,
                middleware_manager,
                execute_function,
                custom_context_kwargs,
            )
    except Exception as exc:  # as Schema.execute: an error result
        return await schema._handle_execution_result(
            execution_context, PreExecutionError(data=None, errors=[coerce_error(exc)]), runner
        )
    return await schema._handle_execution_result(
        execution_context, result, runner, skip_process_errors=True
    )
