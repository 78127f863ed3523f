"""Writes: counts, merge semantics, idempotence, atomicity, link checks, cardinality."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from contract_records import SEED, link, run, version, work
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencase.errors import NotFoundError, ValidationError
from opencase.graph import GraphStore, LinkKey, ObjectRecord, WriteBatch
from opencase.ontology import ONTOLOGY


def test_install_schema_is_idempotent(graph: GraphStore) -> None:
    assert graph.install_schema() == []


def test_create_then_unchanged_then_updated_counts(graph: GraphStore) -> None:
    first = graph.write(SEED)
    assert (first.created, first.updated, first.unchanged) == (len(SEED.objects), 0, 0)
    assert first.links_created == len(SEED.links)
    again = graph.write(SEED)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(SEED.objects))
    assert (again.links_created, again.links_unchanged) == (0, len(SEED.links))
    assert again.nothing_written and again.changed_ids == []
    changed = graph.write(WriteBatch(objects=[work("w1", "Engine health v2")]))
    assert (changed.created, changed.updated) == (0, 1)
    assert changed.changed_ids == ["model-work:w1"]


def test_upsert_merges_properties(seeded: GraphStore) -> None:
    seeded.write(
        WriteBatch(objects=[ObjectRecord("ModelWork", {"model_key": "w1", "ata_chapter": "72"})])
    )
    obj = seeded.get_one("model-work:w1")
    assert obj is not None
    assert obj.properties["ata_chapter"] == "72"
    assert obj.properties["name"] == "Engine health"  # absent key kept
    assert obj.properties["tags"] == ["engine", "hpc"]
    seeded.write(WriteBatch(objects=[ObjectRecord("ModelWork", {"model_key": "w1", "tags": None})]))
    cleared = seeded.get_one("model-work:w1")
    assert cleared is not None and cleared.properties["tags"] is None  # None clears
    assert cleared.created_at == obj.created_at
    assert cleared.updated_at is not None and obj.updated_at is not None
    assert cleared.updated_at >= obj.updated_at


def test_values_round_trip_with_their_types(seeded: GraphStore) -> None:
    w1 = seeded.get_one("model-work:w1")
    e1 = seeded.get_one("experiment:e1")
    assert w1 is not None and e1 is not None
    assert w1.properties["created_on"] == dt.date(2024, 1, 10)
    assert w1.properties["metadata"] == {"owner": "team-a", "n": 1}
    assert w1.properties["priority"] == "High"
    assert w1.title == "Engine health" and w1.object_type == "ModelWork"
    assert e1.properties["start_time"] == dt.datetime(2024, 1, 11, 8, 30, tzinfo=dt.UTC)
    assert e1.properties["seed"] == 1


def test_new_object_gets_declared_defaults(graph: GraphStore) -> None:
    graph.write(WriteBatch(objects=[version("vd")]))
    stored = graph.get_one("model-version:vd")
    declared = ONTOLOGY.object_type("ModelVersion").prop("status").default
    assert stored is not None and stored.properties["status"] == declared


def test_validation_failure_writes_nothing(seeded: GraphStore) -> None:
    before = seeded.stats()
    bad = WriteBatch(
        objects=[
            work("w9", "New one"),
            work("w1", "Renamed"),
            ObjectRecord("ModelWork", {"model_key": "w10"}),
        ],
        links=[link("model-work-has-version", "model-work:w9", "model-version:v3")],
    )
    with pytest.raises(ValidationError) as info:
        seeded.write(bad)
    assert any(p.field == "name" for p in info.value.problems)
    assert seeded.stats() == before
    assert seeded.get_one("model-work:w9") is None
    w1 = seeded.get_one("model-work:w1")
    assert w1 is not None and w1.title == "Engine health"


@pytest.mark.parametrize(
    ("record", "needle"),
    [
        (link("model-work-has-version", "model-work:w1", "model-version:nope"), "does not exist"),
        (link("model-work-has-version", "model-version:v1", "model-work:w1"), "source must be"),
        (link("model-work-has-version", "model-work:w1", "experiment:e1"), "target must be"),
        (link("no-such-link", "model-work:w1", "model-version:v1"), "unknown link type"),
        (link("experiment-used-dataset", "experiment:e1", "dataset-version:dv1", bogus=1), "bogus"),
    ],
)
def test_bad_links_are_refused_by_name(seeded: GraphStore, record, needle: str) -> None:
    with pytest.raises(ValidationError) as info:
        seeded.write(WriteBatch(links=[record]))
    assert needle in str(info.value)
    assert record.link_type in str(info.value) or "bogus" in str(info.value)


def test_link_to_object_in_same_batch(graph: GraphStore) -> None:
    result = graph.write(
        WriteBatch(
            objects=[work("a", "A"), version("b")],
            links=[link("model-work-has-version", "model-work:a", "model-version:b")],
        )
    )
    assert result.links_created == 1


def test_single_valued_side_latest_wins(seeded: GraphStore) -> None:
    # one-to-many: a version belongs to one work; linking v3 to w1 moves it from w2
    seeded.write(
        WriteBatch(links=[link("model-work-has-version", "model-work:w1", "model-version:v3")])
    )
    owners = seeded.neighbours(["model-version:v3"], link_type="model-work-has-version")
    assert [n.object.id for n in owners["model-version:v3"]] == ["model-work:w1"]


def test_conflicting_links_in_one_batch_are_refused(seeded: GraphStore) -> None:
    with pytest.raises(ValidationError, match="only one"):
        seeded.write(
            WriteBatch(
                links=[
                    link("model-work-has-version", "model-work:w2", "model-version:v1"),
                    link("model-work-has-version", "model-work:w3", "model-version:v1"),
                ]
            )
        )


def test_link_properties_update(seeded: GraphStore) -> None:
    seeded.write(
        WriteBatch(
            links=[
                link(
                    "experiment-used-dataset",
                    "experiment:e1",
                    "dataset-version:dv1",
                    context="eval",
                )
            ]
        )
    )
    links = [lk for batch in seeded.scan_links("experiment-used-dataset") for lk in batch]
    assert [(lk.source_id, lk.target_id, lk.properties["context"]) for lk in links] == [
        ("experiment:e1", "dataset-version:dv1", "eval")
    ]


def test_unlink(seeded: GraphStore) -> None:
    key = LinkKey("model-work-has-version", "model-work:w1", "model-version:v2")
    assert seeded.write(WriteBatch(unlinks=[key])).unlinked == 1
    assert seeded.write(WriteBatch(unlinks=[key])).unlinked == 0
    left = seeded.neighbours(["model-work:w1"], link_type="model-work-has-version")
    assert [n.object.id for n in left["model-work:w1"]] == ["model-version:v1"]


def test_upsert_batches_are_idempotent(graph: GraphStore) -> None:
    objects = [run(f"r{i}", seed=i) for i in range(30)]
    links = [
        link("experiment-has-child-run", "experiment:r0", f"experiment:r{i}") for i in range(1, 30)
    ]
    first = list(graph.upsert(objects, links, batch_size=7))
    assert sum(r.created for r in first) == 30
    assert sum(r.links_created for r in first) == 29
    again = list(graph.upsert(objects, links, batch_size=11))
    assert sum(r.unchanged for r in again) == 30
    assert sum(r.links_unchanged for r in again) == 29
    assert graph.stats()["experiment-has-child-run"] == 29


def test_delete_of_unknown_id_writes_nothing(seeded: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        seeded.write(WriteBatch(objects=[work("w8", "Eight")], soft_deletes=["model-work:nope"]))
    assert seeded.get_one("model-work:w8") is None


_texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s.strip() != ""
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=_texts,
    seed=st.integers(min_value=-(2**62), max_value=2**62),
    tags=st.lists(_texts, max_size=4),
    when=st.datetimes(
        min_value=dt.datetime(1971, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.just(dt.UTC),
    ),
    params=st.dictionaries(
        st.text("abcxyz_", max_size=5), st.integers() | st.text(max_size=5), max_size=3
    ),
)
def test_random_values_round_trip(graph: GraphStore, name, seed, tags, when, params) -> None:
    key = uuid.uuid4().hex
    graph.write(
        WriteBatch(
            objects=[
                run(key, run_name=name, seed=seed, start_time=when, parameters=params),
                work(key, name, tags=tags),
            ]
        )
    )
    got = graph.get([f"experiment:{key}", f"model-work:{key}"])
    exp, mw = got[f"experiment:{key}"], got[f"model-work:{key}"]
    assert exp.properties["run_name"] == name and exp.title == name
    assert exp.properties["seed"] == seed
    assert exp.properties["start_time"] == when.replace(microsecond=when.microsecond)
    assert exp.properties["parameters"] == params
    assert mw.properties["tags"] == tags
    again = graph.write(
        WriteBatch(objects=[run(key, run_name=name, seed=seed, start_time=when, parameters=params)])
    )
    assert again.unchanged == 1


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(size=st.integers(min_value=1, max_value=12), bad=st.data())
def test_one_bad_record_leaves_graph_unchanged(graph: GraphStore, size: int, bad) -> None:
    prefix = uuid.uuid4().hex
    records = [run(f"{prefix}-{i}", seed=i) for i in range(size)]
    position = bad.draw(st.integers(min_value=0, max_value=size - 1))
    records[position] = ObjectRecord("Experiment", {"run_key": f"{prefix}-{position}", "seed": "x"})
    before = graph.stats()
    with pytest.raises(ValidationError):
        graph.write(WriteBatch(objects=records))
    assert graph.stats() == before
