"""What only the embedded store does: in-place schema upgrades, file locks, error mapping."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import ladybug
import pytest

from opencase.errors import GraphStoreError, StoreUnavailableError
from opencase.graph import GraphStore, LinkRecord, ObjectRecord, WriteBatch, open_store
from opencase.graph.columns import node_columns
from opencase.graph.embedded import EmbeddedStore
from opencase.graph.ladybug_schema import create_node_table
from opencase.ontology import ONTOLOGY


def _older_store(path: Path) -> None:
    """A store made by an older ontology: ModelWork lacks ``tags``, no Experiment table,
    and the has-version link table only knows ModelWork -> ModelVersion... without any
    properties it later gained."""
    mw = ONTOLOGY.object_type("ModelWork")
    cols = ", ".join(
        "id STRING PRIMARY KEY" if p.name == "id" else f"`{p.name}` {_ddl(p)}"
        for p in node_columns(mw)
        if p.name != "tags"
    )
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    conn.execute(f"CREATE NODE TABLE ModelWork({cols})")
    conn.execute(create_node_table(ONTOLOGY.object_type("ModelVersion")))
    conn.execute("CREATE REL TABLE MODEL_WORK_HAS_VERSION(FROM ModelWork TO ModelVersion)")
    conn.execute("CREATE (:ModelWork {id: 'model-work:old', model_key: 'old', name: 'Old'})")
    conn.execute("CREATE (:ModelVersion {id: 'model-version:ov', model_version_id: 'ov'})")
    conn.execute(
        "MATCH (a:ModelWork {id: 'model-work:old'}) "
        "MATCH (b:ModelVersion {id: 'model-version:ov'}) CREATE (a)-[:MODEL_WORK_HAS_VERSION]->(b)"
    )
    conn.close()
    db.close()


def _ddl(prop: object) -> str:
    from opencase.graph.columns import DDL_TYPES

    return DDL_TYPES[prop.type]  # type: ignore[attr-defined]


def test_install_upgrades_an_older_store_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "old"
    _older_store(path)
    with open_store(str(path)) as store:
        changes = store.install_schema()
        assert "added column ModelWork.tags" in changes
        assert "created table Experiment" in changes
        assert store.install_schema() == []
        old = store.get_one("model-work:old")
        assert old is not None and old.title == "Old" and old.properties["tags"] is None
        assert store.stats()["model-work-has-version"] == 1
        store.write(
            WriteBatch(objects=[ObjectRecord("ModelWork", {"model_key": "old", "tags": ["x"]})])
        )
        updated = store.get_one("model-work:old")
        assert updated is not None and updated.properties["tags"] == ["x"]


def test_install_rebuilds_hex_hash_columns_of_an_older_store_and_keeps_the_data(
    tmp_path: Path,
) -> None:
    """Stores before 2026-11-22 kept both hashes as hex text; now they are INT64.

    The columns hold nothing but hashes a write takes again, so they are rebuilt
    empty; the objects stay, a re-load of the same input finds them unchanged,
    and a change is still written.
    """
    path = tmp_path / "hex"
    mv = {"model_version_id": "v1", "version": "1", "status": "Approved"}
    with open_store(str(path)) as store:
        store.install_schema()
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    for column in ("sys_hash", "sys_input_hash"):
        conn.execute(f"ALTER TABLE ModelVersion DROP {column}")
        conn.execute(f"ALTER TABLE ModelVersion ADD {column} STRING")
    conn.execute(
        "CREATE (:ModelVersion {id: 'model-version:v1', model_version_id: 'v1', version: '1', "
        "status: 'Approved', sys_title: '1', sys_hash: 'ab12', sys_input_hash: 'cd34'})"
    )
    conn.close()
    db.close()
    with open_store(str(path)) as store:
        changes = store.install_schema()
        assert any(c.startswith("rebuilt column ModelVersion.sys_hash as INT64") for c in changes)
        assert any(c.startswith("rebuilt column ModelVersion.sys_input_hash") for c in changes)
        assert store.install_schema() == []
        old = store.get_one("model-version:v1")
        assert old is not None and old.properties["status"] == "Approved"
        again = store.write(WriteBatch(objects=[ObjectRecord("ModelVersion", mv)]))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
        # found unchanged by comparing values: its input hash is recorded for next time
        [[recorded]] = store._conn.rows(  # type: ignore[attr-defined]
            "MATCH (n:ModelVersion) RETURN n.sys_input_hash"
        )
        assert isinstance(recorded, int)
        changed = store.write(
            WriteBatch(objects=[ObjectRecord("ModelVersion", {**mv, "status": "Rejected"})])
        )
        assert changed.updated == 1
        assert store.get_one("model-version:v1").properties["status"] == "Rejected"  # type: ignore[union-attr]
        hashes = store._conn.rows(  # type: ignore[attr-defined]
            "MATCH (n:ModelVersion) RETURN n.sys_hash, n.sys_input_hash"
        )
        assert all(isinstance(h, int) for h in hashes[0])


def test_install_adds_a_new_link_target(tmp_path: Path) -> None:
    path = tmp_path / "g"
    lt = ONTOLOGY.link_type("risk-applies-to")
    with open_store(str(path)) as store:
        store.install_schema()
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    conn.execute(f"DROP TABLE {lt.rel_type}")
    conn.execute(f"CREATE REL TABLE {lt.rel_type}(FROM {lt.source} TO {lt.targets[0]})")
    conn.close()
    db.close()
    with open_store(str(path)) as store:
        changes = store.install_schema()
        assert f"added {lt.source} -> {lt.targets[1]} to link table {lt.rel_type}" in changes
        store.write(
            WriteBatch(
                objects=[
                    ObjectRecord(
                        "RiskIssue",
                        {"risk_id": "r1", "title": "R", "severity": "High", "status": "Open"},
                    ),
                    ObjectRecord("ModelVersion", {"model_version_id": "v", "version": "1"}),
                ],
                links=[LinkRecord(lt.api_name, "risk-issue:r1", "model-version:v")],
            )
        )
        assert store.stats()[lt.api_name] == 1


def test_second_process_gets_a_clear_lock_error(store: GraphStore, store_path: str) -> None:
    code = textwrap.dedent(
        f"""
        from opencase.errors import StoreLockedError
        from opencase.graph import open_store
        try:
            open_store({store_path!r})
        except StoreLockedError as exc:
            print("LOCKED", exc.message, "|", exc.suggestion)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "LOCKED" in out.stdout, out.stderr
    assert "held by process" in out.stdout and "opencase serve" in out.stdout


def test_read_only_open_of_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailableError):
        EmbeddedStore(str(tmp_path / "missing"), read_only=True)


def test_engine_errors_are_mapped(store: EmbeddedStore) -> None:
    with pytest.raises(GraphStoreError) as info:
        store._conn.execute("MATCH (n:NoSuchTable) RETURN n")
    assert "MATCH" not in info.value.message
    assert isinstance(info.value.__cause__, RuntimeError)
