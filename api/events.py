"""In-process publish/subscribe for ``objectChanged`` subscriptions.

Mutations publish after their action committed; each subscriber gets its own
bounded queue so one slow client cannot hold up the others or the writer
(its oldest events are dropped instead). One bus per app, so tests and apps
in the same process never see each other's events.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass(frozen=True)
class ObjectEvent:
    """One object an action created or changed."""

    object_id: str
    object_type: str  # PascalCase name
    change: str  # "created" or "updated"
    action_type: str  # the action type's API name (register-model), as in its ActionLog
    log_id: str
    actor: str


class EventBus:
    def __init__(self, queue_size: int = 1000) -> None:
        self._queues: set[asyncio.Queue[ObjectEvent]] = set()
        self._queue_size = queue_size

    @property
    def subscriber_count(self) -> int:
        return len(self._queues)

    def publish(self, event: ObjectEvent) -> None:
        for queue in self._queues:
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(event)

    async def subscribe(self) -> AsyncIterator[ObjectEvent]:
        queue: asyncio.Queue[ObjectEvent] = asyncio.Queue(self._queue_size)
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)
