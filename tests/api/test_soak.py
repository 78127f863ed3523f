"""Thousands of actions against one real server: no errors, and its memory stays flat.

A server used for an afternoon takes thousands of small writes. Each used to
leave engine memory behind until writes failed with "buffer pool is full";
this runs a mixed stream of actions from a few concurrent clients against one
``opencase serve`` process on the demo store and checks that every action
succeeds and that the server's resident memory, once warm, stays within a
bound. ``OPENCASE_SOAK_ACTIONS`` changes the number of actions.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
import pytest
from serverkit import Server, serving, write_key

from opencase.graph import open_store
from opencase.loaders.demo import build_demo

pytestmark = pytest.mark.slow

ACTIONS = int(os.environ.get("OPENCASE_SOAK_ACTIONS", "2000"))
CLIENTS = 4
WARM_UP = ACTIONS // 4
#: Growth of the server's resident memory allowed after the warm-up.
GROWTH_MB = 200

REGISTER = "mutation($n: String!) { registerModel(name: $n, acFamily: A350) { logId } }"
NOTE = "mutation($a: String!, $b: String!) { addStatusUpdate(actionId: $a, body: $b) { logId } }"
UPSERT = 'mutation($p: JSON!) { upsertObject(objectType: "partner", properties: $p) { logId } }'
LINK = """mutation($s: String!, $t: String!) {
  linkObjects(linkType: "tool-used-in", sourceId: $s, targetId: $t) { logId } }"""


def _requests(
    actions: list[str], tools: list[str], experiments: list[str]
) -> Callable[[int], tuple]:  # type: ignore[type-arg]
    """The i-th request of the stream: four kinds of action in turn, over many objects."""

    def request(i: int) -> tuple[str, dict]:  # type: ignore[type-arg]
        kind = i % 4
        if kind == 0:
            return REGISTER, {"n": f"Soak model {i}"}
        if kind == 1:
            return NOTE, {"a": actions[i % len(actions)], "b": f"note {i}"}
        if kind == 2:
            return UPSERT, {"p": {"name": f"Soak partner {i % 50}", "country": f"C{i}"}}
        return LINK, {"s": tools[i % len(tools)], "t": experiments[i % len(experiments)]}

    return request


def _ids(server: Server, http: httpx.Client, listing: str) -> list[str]:
    body = server.graphql(http, f"{{ {listing}(first: 100) {{ edges {{ node {{ id }} }} }} }}")
    return [e["node"]["id"] for e in body["data"][listing]["edges"]]


def test_thousands_of_actions_leave_memory_flat(tmp_path: Path) -> None:
    path = tmp_path / "graph"
    with open_store(str(path)) as store:
        store.install_schema()
        build_demo(store)
    key = write_key(path, "soak")
    with serving(path) as server, httpx.Client(timeout=120) as http:
        process = psutil.Process(server.process.pid)
        actions = _ids(server, http, "actions")
        tools = _ids(server, http, "tools")
        experiments = _ids(server, http, "experiments")
        assert actions and tools and experiments
        request = _requests(actions, tools, experiments)
        counter = itertools.count()
        errors: list[object] = []
        rss: dict[str, int] = {}
        lock = threading.Lock()

        def client() -> None:
            with httpx.Client(timeout=120) as own:
                while (i := next(counter)) < ACTIONS:
                    query, variables = request(i)
                    body = server.graphql(own, query, variables, key)
                    if body.get("errors"):
                        with lock:
                            errors.append((i, body["errors"][0].get("message")))
                    if i == WARM_UP:
                        rss["warm"] = process.memory_info().rss

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rss["end"] = process.memory_info().rss
        assert errors == []
        count = server.graphql(http, "{ actionLogs { totalCount } }")["data"]["actionLogs"]
        assert count["totalCount"] >= ACTIONS
        growth_mb = (rss["end"] - rss["warm"]) / 2**20
        assert growth_mb < GROWTH_MB, f"RSS grew {growth_mb:.0f} MB after the warm-up: {rss}"
