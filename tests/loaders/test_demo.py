"""The demo graph touches every seed system and is built through the real loaders."""

from __future__ import annotations

from loaderkit import graph_is_whole

from opencase.graph import GraphStore
from opencase.graph.store import Direction
from opencase.loaders.demo import build_demo
from opencase.ontology import ONTOLOGY


def test_demo_covers_every_seed_system(store: GraphStore) -> None:
    report = build_demo(store)
    assert report.ok, report.problems
    stats = store.stats()
    every_type = {ot.name for ot in ONTOLOGY.object_types} - {"ActionLog"}  # written by actions
    assert every_type <= set(stats), sorted(every_type - set(stats))
    for link in (
        "dataset-version-derived-from",
        "deployment-of-release",
        "push-request-created-deployment",
        "daia-action-about-model",
        "daia-action-has-update",
        "case-has-gate",
        "risk-applies-to",
        "policy-governs",
        "deployment-has-drift-report",
        "deployment-raised-alert",
        "tool-used-in",
    ):
        assert stats.get(link, 0) > 0, link
    assert graph_is_whole(store) == []
    # the seed's headline question: where is the current deployment and its endpoint?
    version = "model-version:A330:72:hpc-cf6-80e-cruise@1.3.0"
    deployments = store.neighbours(
        [version], link_type="deployment-deploys-version", direction=Direction.IN
    )[version]
    assert [n.object.properties["endpoint_url"] for n in deployments] == [
        "https://mpval.daia.example/models/a330-hpc-cf6-80e/1.3.0"
    ]


def test_demo_is_idempotent(store: GraphStore) -> None:
    build_demo(store)
    before = store.stats()
    again = build_demo(store)
    assert (again.created, again.updated, again.links_created) == (0, 0, 0)
    assert store.stats() == before


def _has_full_chain(store: GraphStore, model: str) -> bool:
    """A version of the model was trained on a dataset version (by a run) and is deployed."""
    down = store.lineage(
        model, direction=Direction.DOWNSTREAM, depth=2, link_types=["model-work-has-version"]
    )
    for mv in (n.id for n in down.nodes if n.object_type == "ModelVersion"):
        up = {n.object_type for n in store.lineage(mv, direction=Direction.UPSTREAM, depth=4).nodes}
        built = store.lineage(mv, direction=Direction.DOWNSTREAM, depth=3).nodes
        if {"Experiment", "DatasetVersion", "Dataset"} <= up and any(
            n.object_type == "Deployment" for n in built
        ):
            return True
    return False


def test_demo_tells_the_provenance_story(store: GraphStore) -> None:
    """The first model works a newcomer lists have full chains, and so do most of them;
    each seed system's chain reaches from data to deployment (and monitoring)."""
    build_demo(store)
    models = store.list("ModelWork", first=100).items
    first_five = [m.id for m in store.list("ModelWork", first=5).items]
    full = {m.id for m in models if _has_full_chain(store, m.id)}
    assert len(full) >= 12
    assert set(first_five) <= full
    # DAIA: data -> run (with metrics) -> version -> MPVAL push -> deployment; gates on it
    daia = store.lineage(
        "dataset:acms-cf6-80e-cruise-snapshots", direction=Direction.DOWNSTREAM, depth=8
    )
    daia_types = {n.object_type for n in daia.nodes}
    assert {"Experiment", "Metric", "ModelVersion", "Deployment", "Gate"} <= daia_types
    # Catapult and MLflow: a fine-tuning sweep (parent and child runs) to releases,
    # deployments in several environments and their monitoring
    catapult = store.lineage(
        "dataset:support-conversations", direction=Direction.DOWNSTREAM, depth=8, max_nodes=2000
    )
    reached = {n.object_type for n in catapult.nodes}
    assert {"Release", "Deployment", "DriftReport", "Alert"} <= reached
    environments = {
        store.get_one(n.id).properties["environment"]  # type: ignore[union-attr]
        for n in catapult.nodes
        if n.object_type == "Deployment"
    }
    assert len(environments) >= 2
    child = "experiment-has-child-run"
    assert any(e.link_type == child for e in catapult.edges)
