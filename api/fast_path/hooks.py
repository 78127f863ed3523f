"""The schema extensions' operation and execute hooks, found once per extension class.

Strawberry's runner looks every hook up again on each request and wraps it
anew (``inspect`` checks, ``contextlib.contextmanager`` and ``update_wrapper``
per hook and stage): about a twentieth of a millisecond per request, for
three hooks that never change. This runner keeps, per extension class and
stage, the context manager factory Strawberry would build, and enters and
exits the same hooks in the same order with the same exception handling
(an ``AsyncExitStack`` per stage, never suppressing). A hook that is not a
generator or async generator (Strawberry also takes plain callables) is not
cached: :func:`cached_hooks_runner` then returns Strawberry's own runner.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext

#: A hook's context manager factory (called with the extension) and whether it is async.
Factory = tuple[Callable[[SchemaExtension], Any], bool]
#: (extension class, hook name) -> its factory, or None when the class has no such hook
_FACTORIES: dict[tuple[type, str], Factory | None] = {}


class _Uncached(Exception):
    """A hook Strawberry wraps in its own way (a plain callable)."""


def _factory(cls: type, name: str) -> Factory | None:
    key = (cls, name)
    try:
        return _FACTORIES[key]
    except KeyError:
        pass
    hook = getattr(cls, name)
    found: Factory | None
    if hook is getattr(SchemaExtension, name):
        found = None
    elif inspect.isgeneratorfunction(hook):
        found = (contextlib.contextmanager(hook), False)
    elif inspect.isasyncgenfunction(hook):
        found = (contextlib.asynccontextmanager(hook), True)
    else:
        raise _Uncached
    _FACTORIES[key] = found
    return found


class _Stage:
    """One stage's hooks entered in order and left in reverse, as Strawberry's managers do."""

    __slots__ = ("_hooks", "_stack")

    def __init__(self, hooks: list[tuple[Any, bool]]) -> None:
        self._hooks = hooks
        self._stack = contextlib.AsyncExitStack()

    async def __aenter__(self) -> None:
        stack = self._stack
        await stack.__aenter__()
        for manager, is_async in self._hooks:
            if is_async:
                await stack.enter_async_context(manager)
            else:
                stack.enter_context(manager)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        await self._stack.__aexit__(exc_type, exc_val, exc_tb)


class _CachedHooksRunner(SchemaExtensionsRunner):
    def __init__(
        self,
        execution_context: ExecutionContext,
        extensions: list[SchemaExtension],
        operation: list[Factory | None],
        execute: list[Factory | None],
    ) -> None:
        super().__init__(execution_context, extensions)
        self._operation = operation
        self._execute = execute

    def operation(self) -> _Stage:  # type: ignore[override]
        return _Stage(self._bind(self._operation))

    def executing(self) -> _Stage:  # type: ignore[override]
        return _Stage(self._bind(self._execute))

    def _bind(self, factories: list[Factory | None]) -> list[tuple[Any, bool]]:
        """Each extension's hook of the stage, bound to it (extensions without one skipped)."""
        return [
            (found[0](extension), found[1])
            for extension, found in zip(self.extensions, factories, strict=True)
            if found is not None
        ]


def cached_hooks_runner(
    execution_context: ExecutionContext, extensions: list[SchemaExtension]
) -> SchemaExtensionsRunner:
    """A runner for the operation and execute stages (what the fast path runs)."""
    try:
        operation = [_factory(type(e), "on_operation") for e in extensions]
        execute = [_factory(type(e), "on_execute") for e in extensions]
    except _Uncached:
        return SchemaExtensionsRunner(execution_context, extensions)
    return _CachedHooksRunner(execution_context, extensions, operation, execute)
