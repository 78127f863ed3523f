"""The README's tour runs: every GraphQL block in it answers on the demo graph, without errors.

The tour is what a newcomer pastes first, so it is checked like code: a renamed
field or a demo id that changed fails here, not in a reader's playground.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.loaders.demo import build_demo

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphQLClient]:
    from opencase.graph import open_store

    root = tmp_path_factory.mktemp("tour")
    with open_store(str(root / "graph")) as store:
        store.install_schema()
        build_demo(store)
        client = GraphQLClient(create_app(store=store, keys_path=root / "keys.json"))
        yield client
        client.close()


def test_the_readme_has_a_tour() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("query", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_each_tour_query_answers_with_data(demo: GraphQLClient, query: str) -> None:
    data = demo.data(query)
    assert data and all(_non_empty(value) for value in data.values()), data


def _non_empty(value: object) -> bool:
    if isinstance(value, dict):
        nodes = value.get("nodes", value.get("edges"))
        return bool(nodes) if nodes is not None else bool(value)
    return bool(value)
