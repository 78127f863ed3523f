"""No N+1: a nested query costs one store round trip per nesting level.

The store is the real embedded store behind a proxy that only counts calls.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.graph import GraphStore
from opencase.graph.store import LinkRecord, ObjectRecord, WriteBatch


class CountingStore:
    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._store, name)
        if not callable(target):
            return target

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return target(*args, **kwargs)

        return counted


def _grow(store: GraphStore, models: int) -> None:
    objects, links = [], []
    for m in range(models):
        key = f"A320:21:n{m}"
        objects.append(ObjectRecord("ModelWork", {"model_key": key, "name": f"N+1 model {m}"}))
        for v in range(3):
            vid = f"{key}@{v}"
            objects.append(
                ObjectRecord("ModelVersion", {"model_version_id": vid, "version": str(v)})
            )
            links.append(
                LinkRecord("model-work-has-version", f"model-work:{key}", f"model-version:{vid}")
            )
            run = f"mlflow:n{m}{v}"
            objects.append(
                ObjectRecord(
                    "Experiment", {"run_key": run, "tracking_system": "mlflow", "run_id": run}
                )
            )
            links.append(
                LinkRecord(
                    "model-version-has-experiment", f"model-version:{vid}", f"experiment:{run}"
                )
            )
    store.write(WriteBatch(objects=objects, links=links))


NESTED = """query($n: Int!) {
  modelWorks(first: $n, where: {name: {startsWith: "N+1"}}) { edges { node {
    name partner { name }
    versions { edges { node {
      version experiments { totalCount edges { node { runId } } } } } } } } } }"""


def test_round_trips_grow_with_depth_not_with_results(store: GraphStore, tmp_path: Path) -> None:
    _grow(store, 12)
    counting = CountingStore(store)
    client = GraphQLClient(create_app(store=counting, keys_path=tmp_path / "k.json"))  # type: ignore[arg-type]
    try:
        per_size = {}
        for n in (2, 12):
            counting.calls.clear()
            data = client.data(NESTED, {"n": n})["modelWorks"]["edges"]
            assert len(data) == n
            runs = [
                e3["node"]["runId"]
                for e in data
                for e2 in e["node"]["versions"]["edges"]
                for e3 in e2["node"]["experiments"]["edges"]
            ]
            assert len(runs) == 3 * n
            per_size[n] = dict(counting.calls)
    finally:
        client.close()
    # one listing, then one neighbours call each for partner, versions and experiments
    assert per_size[2] == per_size[12] == {"list": 1, "neighbours": 3}
