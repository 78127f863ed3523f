"""Gives each operation a deadline; store calls past it fail with a TIMEOUT error.

Resolvers are not interrupted mid-way (a store call cannot be cancelled);
instead every store call waits at most until the deadline (see runner.py), so
a runaway query answers with a clear error instead of holding the client.
Subscriptions live as long as their client wants and get no deadline.
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
