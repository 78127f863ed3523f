"""The synthetic lineage generator and the bench harness (no timing: numbers go to bench/)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench.copy_tables import node_tables, rel_tables
from bench.generate import generate
from bench.harness import BenchArgs, Row, save_rows
from bench.run import discover, parse_scale
from opencase.graph.store import LinkRecord, ObjectRecord
from opencase.ontology import ONTOLOGY
from opencase.ontology.validation import validate_link_properties, validate_properties

Graph = tuple[list[ObjectRecord], list[LinkRecord]]


@pytest.fixture(scope="module")
def small() -> Graph:
    return generate(3_000, seed=11)


def _id(record: ObjectRecord) -> str:
    ot = ONTOLOGY.object_type(record.object_type)
    return ONTOLOGY.object_id(ot.name, record.properties[ot.primary_key])


def test_every_record_is_valid_against_the_ontology(small: Graph) -> None:
    objects, links = small
    for record in objects:
        validate_properties(record.object_type, record.properties)
    ids = [_id(r) for r in objects]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for link in links:
        lt = ONTOLOGY.link_type(link.link_type)
        assert ONTOLOGY.type_of_id(link.source_id).name == lt.source
        assert ONTOLOGY.type_of_id(link.target_id).name in lt.targets
        assert link.source_id in known and link.target_id in known
        validate_link_properties(lt.api_name, link.properties)


def test_scale_and_fan_out_look_like_the_seeds(small: Graph) -> None:
    objects, links = small
    assert 2_800 <= len(objects) <= 3_200
    assert len(links) > len(objects)
    kinds = Counter(r.object_type for r in objects)
    assert kinds["ModelVersion"] == 3 * kinds["ModelWork"]
    assert kinds["Experiment"] == 3 * kinds["ModelVersion"]
    assert kinds["Metric"] > kinds["Experiment"]
    derived = [lk for lk in links if lk.link_type == "dataset-version-derived-from"]
    assert derived


def test_the_same_seed_gives_the_same_graph() -> None:
    a_objects, a_links = generate(500, seed=3)
    b_objects, b_links = generate(500, seed=3)
    assert a_objects == b_objects
    assert a_links == b_links
    assert generate(500, seed=4)[0] != a_objects


def test_copy_tables_hold_the_same_rows(small: Graph) -> None:
    objects, links = small
    nodes = node_tables(objects)
    assert sum(t.num_rows for t in nodes.values()) == len(objects)
    assert nodes["ModelWork"].column_names[0] == "id"
    rels = rel_tables(links)
    assert sum(r.table.num_rows for r in rels) == len(links)


def test_generated_graph_loads_into_the_embedded_store(tmp_path: Path) -> None:
    from opencase.graph import open_store

    objects, links = generate(400, seed=5)
    with open_store(str(tmp_path / "g")) as store:
        store.install_schema()
        for _ in store.upsert(objects, links, batch_size=700):
            pass
        stats = store.stats()
    assert sum(v for k, v in stats.items() if ONTOLOGY.has_object_type(k)) == len(objects)
    assert sum(v for k, v in stats.items() if ONTOLOGY.has_link_type(k)) == len(links)


def test_harness_parses_scales_discovers_modules_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parse_scale("100k") == 100_000
    assert parse_scale("1M") == 1_000_000
    assert parse_scale("2500") == 2_500
    assert "graph" in discover()
    import bench.harness as harness

    monkeypatch.setattr(harness, "RESULTS", tmp_path)
    path = save_rows("demo", [Row("demo", 10, "speed", 1.5, "x")], BenchArgs(scales=(10,)))
    doc = json.loads(path.read_text())
    assert doc["rows"][0]["metric"] == "speed"
    assert doc["machine"]["cpus"] >= 1
