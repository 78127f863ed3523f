"""A list field's value held as columns: what a lineage's nodes and edges are in the API.

Why: the store can hand over a lineage as columns (``GraphStore.lineage_columns``)
without a frozen record per node and link, about a thousand objects per
500-node answer that were built only to be read back field by field. A
compiled selection of plain fields (execution.py, object_codegen.py) completes
:class:`Rows` straight from the columns, one dictionary per row. Everything
else (graphql-core's generic path: fragments, directives, a field it must
judge) iterates over records made from the columns on first use, exactly the
records the store's ``lineage`` returns, so both give the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any


class Rows:
    """Records held as columns: ``columns[attribute][i]`` is record ``i``'s ``attribute``.

    ``make(*values)`` builds record ``i`` from the columns' values in
    ``columns``' order (a dataclass whose fields are those attributes).
    """

    __slots__ = ("_records", "columns", "length", "make")

    def __init__(self, columns: dict[str, Sequence[Any]], make: Callable[..., Any]) -> None:
        lengths = {len(c) for c in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of different lengths: {sorted(lengths)}")
        self.columns = columns
        self.make = make
        self.length = lengths.pop() if lengths else 0
        self._records: list[Any] | None = None

    def records(self) -> list[Any]:
        """The rows as records (built once)."""
        if self._records is None:
            columns = self.columns.values()
            self._records = list(map(self.make, *columns)) if columns else []
        return self._records

    def __iter__(self) -> Iterator[Any]:
        return iter(self.records())

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> Any:
        return self.records()[index]
