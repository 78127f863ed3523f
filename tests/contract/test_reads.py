"""Reads: get, listings with every filter operator, sorting, paging, counts, search, scans."""

from __future__ import annotations

import pytest
from contract_records import SEED, run

from opencase.errors import ValidationError
from opencase.graph import GraphStore, OrderBy, WriteBatch
from opencase.queries.filters import And, Cmp, LinkExists, Not, Or


def ids(page_or_list) -> list[str]:
    items = page_or_list.items if hasattr(page_or_list, "items") else page_or_list
    return [o.id for o in items]


def test_get_many_in_one_call(seeded: GraphStore) -> None:
    got = seeded.get(["model-work:w1", "experiment:e2", "model-work:nope", "not-an-id"])
    assert sorted(got) == ["experiment:e2", "model-work:w1"]
    assert seeded.get_one("model-version:nope") is None


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (Cmp("priority", "eq", "High"), ["w1"]),
        (Cmp("priority", "eq", "high"), ["w1"]),  # enum spelling normalised
        (Cmp("priority", "ne", "High"), ["w2", "w3"]),  # ne keeps empty values
        (Cmp("priority", "in", ["High", "Low"]), ["w1", "w2"]),
        (Cmp("name", "contains", "NOISE"), ["w2"]),
        (Cmp("name", "starts_with", "brake"), ["w3"]),
        (Cmp("tags", "contains", "hpc"), ["w1"]),
        (Cmp("tags", "in", ["cabin", "hpc"]), ["w1", "w2"]),
        (Cmp("created_on", "gt", "2024-01-10"), ["w2"]),
        (Cmp("created_on", "gte", "2024-01-10"), ["w1", "w2"]),
        (Cmp("created_on", "lt", "2024-01-10"), ["w3"]),
        (Cmp("created_on", "lte", "2024-01-10"), ["w1", "w3"]),
        (Cmp("priority", "is_null", True), ["w3"]),
        (Cmp("priority", "is_null", False), ["w1", "w2"]),
        (Cmp("metadata", "is_null", False), ["w1"]),
        (Cmp("id", "eq", "model-work:w2"), ["w2"]),
        (Cmp("title", "contains", "engine"), ["w1"]),
        (And((Cmp("priority", "is_null", False), Cmp("created_on", "gt", "2024-02-01"))), ["w2"]),
        (Or((Cmp("priority", "eq", "High"), Cmp("name", "eq", "Brake wear"))), ["w1", "w3"]),
        (Not(Cmp("priority", "eq", "High")), ["w2", "w3"]),
        (LinkExists("versions"), ["w1", "w2"]),
        (LinkExists("versions", negate=True), ["w3"]),
        (LinkExists("versions", Cmp("version", "eq", "2")), ["w1"]),
        (LinkExists("versions", LinkExists("experiments", Cmp("seed", "eq", 2))), ["w1"]),
        (And(()), ["w1", "w2", "w3"]),
        (Or(()), []),
    ],
)
def test_filters(seeded: GraphStore, where, expected: list[str]) -> None:
    page = seeded.list("ModelWork", where=where)
    assert ids(page) == [f"model-work:{k}" for k in expected]
    assert page.total_count == len(expected)
    assert seeded.count("ModelWork", where=where) == len(expected)


def test_reverse_link_filter(seeded: GraphStore) -> None:
    where = LinkExists("modelWork", Cmp("priority", "eq", "Low"))
    assert ids(seeded.list("ModelVersion", where=where)) == ["model-version:v3"]


@pytest.mark.parametrize(
    "where",
    [
        Cmp("no_such_property", "eq", 1),
        Cmp("created_on", "eq", "not a date"),
        Cmp("priority", "eq", "Urgentissimo"),
        Cmp("metadata", "eq", "x"),
        Cmp("tags", "gt", "a"),
        LinkExists("noSuchField"),
    ],
)
def test_bad_filters_name_the_field(seeded: GraphStore, where) -> None:
    with pytest.raises(ValidationError) as info:
        seeded.list("ModelWork", where=where)
    assert info.value.problems


def test_sorting(seeded: GraphStore) -> None:
    by_date = seeded.list("ModelWork", order_by=[OrderBy("created_on")])
    assert ids(by_date) == ["model-work:w3", "model-work:w1", "model-work:w2"]
    by_title_desc = seeded.list("ModelWork", order_by=[OrderBy("title", descending=True)])
    assert ids(by_title_desc) == ["model-work:w1", "model-work:w2", "model-work:w3"]


@pytest.mark.parametrize("order_by", [(), (OrderBy("seed", descending=True),)])
def test_cursor_pagination_visits_every_object_once(graph: GraphStore, order_by) -> None:
    graph.write(WriteBatch(objects=[run(f"p{i:02d}", seed=i % 4) for i in range(23)]))
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = graph.list("Experiment", first=5, after=after, order_by=order_by)
        assert page.total_count == 23
        seen += ids(page)
        pages += 1
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert pages == 5
    assert sorted(seen) == sorted(f"experiment:p{i:02d}" for i in range(23))
    assert len(set(seen)) == 23
    if order_by:
        seeds = [graph.get_one(i).properties["seed"] for i in seen]  # type: ignore[union-attr]
        assert seeds == sorted(seeds, reverse=True)


def test_bad_cursor(seeded: GraphStore) -> None:
    with pytest.raises(ValidationError):
        seeded.list("ModelWork", after="!!not-a-cursor")


def test_aggregate(seeded: GraphStore) -> None:
    groups = seeded.aggregate("Experiment", ["tracking_system"])
    assert [(g.group, g.count) for g in groups] == [({"tracking_system": "mlflow"}, 3)]
    by_priority = seeded.aggregate(
        "ModelWork", ["priority"], where=Cmp("priority", "is_null", False)
    )
    assert sorted((g.group["priority"], g.count) for g in by_priority) == [("High", 1), ("Low", 1)]


def test_search(seeded: GraphStore) -> None:
    assert ids(seeded.search("engine")) == ["model-work:w1"]
    assert ids(seeded.search("COMPRESSOR")) == ["model-work:w1"]  # searchable description
    assert ids(seeded.search("flight", object_types=["Dataset"])) == ["dataset:d1"]
    assert seeded.search("flight", object_types=["ModelWork"]) == []
    assert len(seeded.search("e", first=2)) == 2


def test_scan_objects_and_links(seeded: GraphStore) -> None:
    batches = list(seeded.scan_objects("Experiment", batch_size=2))
    assert [len(b) for b in batches] == [2, 1]
    assert [o.id for b in batches for o in b] == ["experiment:e1", "experiment:e2", "experiment:e3"]
    links = [lk for b in seeded.scan_links("model-work-has-version", batch_size=2) for lk in b]
    assert sorted((lk.source_id, lk.target_id) for lk in links) == [
        ("model-work:w1", "model-version:v1"),
        ("model-work:w1", "model-version:v2"),
        ("model-work:w2", "model-version:v3"),
    ]


def test_stats(seeded: GraphStore) -> None:
    stats = seeded.stats()
    assert stats["ModelWork"] == 3 and stats["Experiment"] == 3
    assert stats["model-work-has-version"] == 3
    assert sum(stats.values()) == len(SEED.objects) + len(SEED.links)
    assert "Gate" not in stats
