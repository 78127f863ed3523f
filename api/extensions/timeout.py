"""Gives each operation a deadline; store calls past it fail with a TIMEOUT error.

Every store call waits at most until the deadline (see runner.py), and one
still running then is interrupted in the store, so a runaway query answers
with a clear error and leaves the store free for the next request. The
deadline is the app's ``request_timeout`` (api/limits.py). Subscriptions live
as long as their client wants and get no deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType


class RequestDeadline(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        settings = getattr(getattr(context, "services", None), "settings", None)
        if settings is not None:
            subscription = self.execution_context.operation_type == OperationType.SUBSCRIPTION
            try:
                now = asyncio.get_running_loop().time()
            except RuntimeError:  # executed without an event loop: nothing to bound
                now = None
            if now is None or subscription:
                context.deadline = None
            else:
                context.deadline = now + settings.request_timeout
        yield
