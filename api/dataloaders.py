"""Per-request dataloaders: nested link fields cost one store call per level.

Every link field resolver asks a loader keyed by the link and its arguments;
the loader collects the parent ids of one level of the result and makes one
``store.neighbours`` call for all of them. So a query's round trips grow with
its nesting depth, not with the number of objects it returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from opencase.graph.store import Direction, Neighbour, OrderBy, StoredObject
from opencase.queries.filters import Filter

T = TypeVar("T")

#: Calls a store method on the runner under the request deadline.
StoreCall = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class NeighbourQuery:
    """Everything but the parent id that decides a link field's result."""

    link_type: str
    direction: Direction
    where: Filter | None = None
    order_by: tuple[OrderBy, ...] = ()
    limit_per_id: int | None = None
    link_where: Filter | None = None  # on the link's own properties


class Loaders:
    def __init__(self, call: StoreCall) -> None:
        self._call = call
        self._neighbours: dict[NeighbourQuery, DataLoader[str, list[Neighbour]]] = {}
        self.objects: DataLoader[str, StoredObject | None] = DataLoader(self._load_objects)
        self._once: dict[Hashable, Any] = {}

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per request and key: what every parent of one level
        shares (a link field's loader key) is worked out for the first parent only."""
        try:
            return self._once[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._once[key] = compute()
            return value

    def neighbours(self, query: NeighbourQuery) -> DataLoader[str, list[Neighbour]]:
        """Each id's neighbours with the links' properties (connection edges show them)."""
        loader = self._neighbours.get(query)
        if loader is None:

            async def load(ids: Sequence[str]) -> list[list[Neighbour]]:
                found = await self._call(
                    "neighbours",
                    list(ids),
                    link_type=query.link_type,
                    direction=query.direction,
                    where=query.where,
                    order_by=query.order_by,
                    limit_per_id=query.limit_per_id,
                    link_where=query.link_where,
                )
                return [list(found.get(i, ())) for i in ids]

            loader = self._neighbours[query] = DataLoader(load)
        return loader

    async def _load_objects(self, ids: Sequence[str]) -> list[StoredObject | None]:
        found = await self._call("get", list(ids))
        return [found.get(i) for i in ids]
