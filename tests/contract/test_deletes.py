"""Soft deletes hide an object everywhere; restores bring it back; hard deletes remove it."""

from __future__ import annotations

from contract_records import work

from opencase.graph import Direction, GraphStore, WriteBatch
from opencase.queries.filters import LinkExists


def test_soft_delete_hides_everywhere(seeded: GraphStore) -> None:
    result = seeded.write(WriteBatch(soft_deletes=["model-version:v1"], actor="alice"))
    assert result.deleted == 1 and result.changed_ids == ["model-version:v1"]
    assert seeded.get_one("model-version:v1") is None
    hidden = seeded.get_one("model-version:v1", include_deleted=True)
    assert hidden is not None and hidden.deleted_by == "alice" and hidden.deleted_at is not None
    assert "model-version:v1" not in [o.id for o in seeded.list("ModelVersion").items]
    everything = seeded.list("ModelVersion", include_deleted=True)
    assert "model-version:v1" in [o.id for o in everything.items]
    assert seeded.count("ModelVersion") == 2
    assert seeded.stats()["ModelVersion"] == 2
    assert sum(g.count for g in seeded.aggregate("ModelVersion", ["version"])) == 2
    versions = seeded.neighbours(["model-work:w1"], link_type="model-work-has-version")
    assert [n.object.id for n in versions["model-work:w1"]] == ["model-version:v2"]
    lineage = seeded.lineage("model-work:w1", direction=Direction.OUT, depth=3)
    assert "model-version:v1" not in {n.id for n in lineage.nodes}
    assert "experiment:e1" not in {n.id for n in lineage.nodes}  # only reachable through v1
    found = seeded.search("1", object_types=["ModelVersion"])
    assert [o.id for o in found] == ["model-version:v3"]
    assert seeded.list("ModelWork", where=LinkExists("versions")).total_count == 2
    again = seeded.write(WriteBatch(soft_deletes=["model-version:v1"]))
    assert again.deleted == 0


def test_upsert_keeps_a_deleted_object_deleted(seeded: GraphStore) -> None:
    seeded.write(WriteBatch(soft_deletes=["model-work:w3"]))
    seeded.write(WriteBatch(objects=[work("w3", "Brake wear, renamed")]))
    assert seeded.get_one("model-work:w3") is None
    stored = seeded.get_one("model-work:w3", include_deleted=True)
    assert stored is not None and stored.title == "Brake wear, renamed"


def test_restore(seeded: GraphStore) -> None:
    seeded.write(WriteBatch(soft_deletes=["model-work:w2"]))
    result = seeded.write(WriteBatch(restores=["model-work:w2"]))
    assert result.restored == 1
    back = seeded.get_one("model-work:w2")
    assert back is not None and back.deleted_at is None and back.deleted_by is None
    assert seeded.write(WriteBatch(restores=["model-work:w2"])).restored == 0


def test_hard_delete_removes_object_and_links(seeded: GraphStore) -> None:
    before = seeded.stats()["model-work-has-version"]
    result = seeded.write(WriteBatch(hard_deletes=["model-version:v3"]))
    assert result.deleted == 1
    assert seeded.get_one("model-version:v3", include_deleted=True) is None
    assert seeded.stats()["model-work-has-version"] == before - 1
