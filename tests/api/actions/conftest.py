"""Fixtures for the action tests: a module-wide store and a small seeded lineage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from actionkit import join, put, run

from opencase.graph import GraphStore, open_store


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """One store for a whole module, for property tests that create fresh objects per example."""
    path: Path = tmp_path_factory.mktemp("actions") / "graph"
    with open_store(str(path)) as s:
        s.install_schema()
        yield s


@pytest.fixture
def model(store: GraphStore) -> dict[str, str]:
    """A registered model with one version, a case bound to it and a gate deciding on it.

    The version's QG1 gate is already passed (the gate policy lets it go to MPVAL);
    its QG2 gate (``gate``) is pending, so it may not go to production yet.
    """
    m = run(store, "registerModel", name="HPC cruise", ac_family="A330", ata_chapter="72")
    model_id = m.created_ids[0]
    v = run(store, "registerModelVersion", model_id=model_id, version="1.0.0")
    version_id = v.created_ids[0]
    case_id = put(store, "IntegrationCase", case_id="C-1", name="HPC integration")
    gate_id = put(store, "Gate", gate_id="G-1", name="QG2 HPC", type="QG2")
    join(store, "case-has-gate", case_id, gate_id)
    join(store, "gate-advances-version", gate_id, version_id)
    qg1 = put(
        store,
        "Gate",
        gate_id="G-0",
        name="QG1 HPC",
        type="QG1",
        status="Decided",
        decision="Passed",
    )
    join(store, "gate-advances-version", qg1, version_id)
    return {"model": model_id, "version": version_id, "case": case_id, "gate": gate_id}
