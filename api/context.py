"""What every resolver reaches through ``info.context``: the app's services and the caller.

``Services`` live as long as the app (store, runner, event bus, API keys,
limits); a ``RequestContext`` is made per request with fresh dataloaders, the
caller's verified key and the deadline the timeout extension sets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.fastapi import BaseContext

from opencase.graph.store import GraphStore

from .dataloaders import Loaders
from .errors import ForbiddenError, UnauthenticatedError
from .events import EventBus
from .limits import Limits, default_limits
from .runner import StoreRunner

if TYPE_CHECKING:
    from .auth import ApiKey, ApiKeyStore


@dataclass
class Settings:
    require_read_key: bool = False
    limits: Limits = field(default_factory=default_limits)

    @property
    def request_timeout(self) -> float:
        return self.limits.request_timeout


@dataclass
class Services:
    store: GraphStore
    runner: StoreRunner
    keys: ApiKeyStore | None
    settings: Settings = field(default_factory=Settings)
    bus: EventBus = field(default_factory=EventBus)


class RequestContext(BaseContext):
    def __init__(self, services: Services, api_key: ApiKey | None, key_given: bool) -> None:
        super().__init__()
        self.services = services
        self.api_key = api_key
        self.key_given = key_given
        self.deadline: float | None = None
        self.loaders = Loaders(self.call)

    @property
    def store(self) -> GraphStore:
        return self.services.store

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a store method on the runner, honouring this request's deadline."""
        return await self.services.runner.call_method(
            method, *args, deadline=self.deadline, **kwargs
        )

    async def run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run any blocking function that uses the store (an action executor)."""
        return await self.services.runner.call(fn, *args, deadline=self.deadline, **kwargs)

    def require_scope(self, scope: str) -> ApiKey:
        """The caller's key if it grants ``scope`` ("read" or "write"); else a clear refusal."""
        key = self.api_key
        if key is None:
            what = "is not a known key" if self.key_given else "is missing"
            raise UnauthenticatedError(
                f"this operation needs an API key with {scope} scope; the X-API-Key header {what}",
                suggestion="create one with `opencase apikey create --scope write` "
                "and send it in the X-API-Key header",
            )
        if not key.allows(scope):  # type: ignore[arg-type]
            raise ForbiddenError(
                f"the API key {key.name!r} has {key.scope} scope; this operation needs write scope",
                suggestion="use a key created with --scope write",
            )
        return key
