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
