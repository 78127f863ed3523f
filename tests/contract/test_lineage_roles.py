"""Lineage follows data flow: every link type's role, both directions, on each backend.

The story graph: two models share a person, a partner, a work package and a
programme (context); one dataset has two versions, each read by its own
training run, each run producing a model version, each version deployed (one
through a release, with a drift report on its deployment).
"""

from __future__ import annotations

import pytest
from contract_records import link, minimal, run, version, work

from opencase.graph import Direction, GraphStore, ObjectRecord, WriteBatch
from opencase.ontology import ONTOLOGY

CONTEXT_TYPES = {"Person", "Partner", "Program", "WorkPackage"}

STORY = WriteBatch(
    objects=[
        work("w1", "Engine health"),
        work("w2", "Cabin noise"),
        minimal("Person", "p1"),
        minimal("Partner", "Acme"),
        minimal("WorkPackage", "wp1"),
        minimal("Program", "DAIA"),
        ObjectRecord("Dataset", {"dataset_id": "d1", "name": "Flight logs"}),
        ObjectRecord("DatasetVersion", {"dataset_version_id": "dv1", "version_id": "2024-01"}),
        ObjectRecord("DatasetVersion", {"dataset_version_id": "dv2", "version_id": "2024-02"}),
        run("r1"),
        run("r2"),
        version("v1", "1"),
        version("v2", "2"),
        minimal("Release", "rel1"),
        minimal("Deployment", "dep1"),
        minimal("Deployment", "dep2"),
        minimal("DriftReport", "drift1"),
    ],
    links=[
        link("daia-model-owned-by", "model-work:w1", "person:p1"),
        link("daia-model-owned-by", "model-work:w2", "person:p1"),
        link("daia-model-by-partner", "model-work:w1", "partner:Acme"),
        link("daia-model-by-partner", "model-work:w2", "partner:Acme"),
        link("daia-model-in-work-package", "model-work:w1", "work-package:wp1"),
        link("daia-model-in-work-package", "model-work:w2", "work-package:wp1"),
        link("work-package-in-program", "work-package:wp1", "program:DAIA"),
        link("model-work-uses-dataset", "model-work:w1", "dataset:d1"),
        link("model-work-uses-dataset", "model-work:w2", "dataset:d1"),
        link("dataset-has-version", "dataset:d1", "dataset-version:dv1"),
        link("dataset-has-version", "dataset:d1", "dataset-version:dv2"),
        link("dataset-version-derived-from", "dataset-version:dv2", "dataset-version:dv1"),
        link("experiment-used-dataset", "experiment:r1", "dataset-version:dv1", context="training"),
        link("experiment-used-dataset", "experiment:r2", "dataset-version:dv2", context="training"),
        link("model-version-has-experiment", "model-version:v1", "experiment:r1"),
        link("model-version-has-experiment", "model-version:v2", "experiment:r2"),
        link("model-work-has-version", "model-work:w1", "model-version:v1"),
        link("model-work-has-version", "model-work:w2", "model-version:v2"),
        link("release-packages-version", "release:rel1", "model-version:v1"),
        link("deployment-of-release", "deployment:dep1", "release:rel1"),
        link("deployment-deploys-version", "deployment:dep1", "model-version:v1"),
        link("deployment-deploys-version", "deployment:dep2", "model-version:v2"),
        link("deployment-has-drift-report", "deployment:dep1", "drift-report:drift1"),
    ],
)


@pytest.fixture
def story(graph: GraphStore) -> GraphStore:
    graph.write(STORY)
    return graph


def _ids(store: GraphStore, start: str, direction: Direction, **kw: object) -> set[str]:
    lin = store.lineage(start, direction=direction, depth=8, **kw)  # type: ignore[arg-type]
    return {n.id for n in lin.nodes} - {start}


def test_dataset_downstream_reaches_deployments_and_no_context(story: GraphStore) -> None:
    down = _ids(story, "dataset:d1", Direction.DOWNSTREAM)
    assert {"deployment:dep1", "deployment:dep2", "drift-report:drift1"} <= down
    types = {ONTOLOGY.type_of_id(i).name for i in down}
    assert not types & (CONTEXT_TYPES | {"ModelWork"})


def test_dataset_version_downstream_is_strict(story: GraphStore) -> None:
    """dv2 was derived from dv1, so dv1's downstream holds dv2's chain too; dv2's
    downstream holds only its own (not dv1's, not through the shared dataset)."""
    assert _ids(story, "dataset-version:dv2", Direction.DOWNSTREAM) == {
        "experiment:r2",
        "model-version:v2",
        "deployment:dep2",
    }
    dv1 = _ids(story, "dataset-version:dv1", Direction.DOWNSTREAM)
    assert {"deployment:dep1", "release:rel1", "drift-report:drift1", "deployment:dep2"} <= dv1


def test_deployment_upstream_reaches_its_exact_dataset_version(story: GraphStore) -> None:
    up = _ids(story, "deployment:dep2", Direction.UPSTREAM)
    assert {"model-version:v2", "experiment:r2", "dataset-version:dv2", "dataset:d1"} <= up
    assert "dataset-version:dv1" in up  # dv2 was derived from dv1: a real input
    up1 = _ids(story, "deployment:dep1", Direction.UPSTREAM)
    assert "dataset-version:dv1" in up1 and "dataset-version:dv2" not in up1
    assert "model-work:w1" in up1 and "model-work:w2" not in up1
    assert not {ONTOLOGY.type_of_id(i).name for i in up1} & CONTEXT_TYPES


def test_context_widens_by_one_hop_only(story: GraphStore) -> None:
    wide = _ids(story, "model-version:v1", Direction.UPSTREAM, include=["flow", "context"])
    assert {"person:p1", "partner:Acme", "work-package:wp1"} <= wide
    assert "program:DAIA" not in wide  # two context hops away
    assert "model-version:v2" not in wide  # the other model, through the shared owner
    lin = story.lineage(
        "model-version:v1", direction=Direction.UPSTREAM, include=["flow", "context"]
    )
    via = {n.id: n.via for n in lin.nodes}
    assert via["person:p1"] == "daia-model-owned-by"
    assert via["model-work:w1"] == "model-work-has-version"


def test_link_types_narrow_and_context_links_need_context(story: GraphStore) -> None:
    only = _ids(story, "dataset:d1", Direction.DOWNSTREAM, link_types=["dataset-has-version"])
    assert only == {"dataset-version:dv1", "dataset-version:dv2"}
    with pytest.raises(Exception, match="context link"):
        story.lineage("model-work:w1", link_types=["daia-model-owned-by"])


def test_impact_of_a_dataset_version_on_deployments(story: GraphStore) -> None:
    hit = story.impact("dataset-version:dv2", object_types=["deployment"])
    assert [n.id for n in hit.nodes] == ["deployment:dep2"] and not hit.partial
    assert [step[0] for step in hit.nodes[0].path] == [
        "dataset-version:dv2",
        "experiment:r2",
        "model-version:v2",
        "deployment:dep2",
    ]
    assert hit.nodes[0].via == "deployment-deploys-version"
    both = story.impact("dataset-version:dv1", object_types=["Deployment", "release"])
    assert {n.id for n in both.nodes} == {"deployment:dep1", "deployment:dep2", "release:rel1"}
    assert story.impact("dataset-version:dv1", object_types=["person"]).nodes == []


def test_path_prefers_provenance(story: GraphStore) -> None:
    """The context shortcut dataset <- model work -> version is not taken by default."""
    path = story.shortest_path("dataset:d1", "deployment:dep1")
    assert path is not None
    assert [s.link_type for s in path.steps] == [
        "dataset-has-version",
        "experiment-used-dataset",
        "model-version-has-experiment",
        "deployment-deploys-version",
    ]
    assert dict(path.steps[1].properties) == {"context": "training"}
    wide = story.shortest_path("dataset:d1", "deployment:dep1", include=["flow", "context"])
    assert wide is not None and len(wide.steps) == 3
    assert story.shortest_path("person:p1", "model-work:w1") is None
    narrow = story.shortest_path(
        "dataset:d1", "deployment:dep1", link_types=["dataset-has-version"]
    )
    assert narrow is None


def test_every_link_type_by_its_role(graph: GraphStore) -> None:
    """One isolated pair per (link type, target type): a flow link is followed from its
    upstream end downstream and back, never the other way; a context link only on request."""
    objects, links, pairs = [], [], []
    for n, lt in enumerate(ONTOLOGY.link_types):
        for m, target in enumerate(lt.targets):
            src, dst = minimal(lt.source, f"s{n}-{m}"), minimal(target, f"t{n}-{m}")
            src_id = ONTOLOGY.object_id(lt.source, f"s{n}-{m}")
            dst_id = ONTOLOGY.object_id(target, f"t{n}-{m}")
            objects += [src, dst]
            links.append(link(lt.api_name, src_id, dst_id))
            pairs.append((lt, src_id, dst_id))
    graph.write(WriteBatch(objects=objects, links=links))
    wide = ["flow", "context"]
    for lt, src_id, dst_id in pairs:
        name = lt.api_name
        if not lt.is_flow:
            assert _ids(graph, src_id, Direction.BOTH) == set(), name
            assert _ids(graph, dst_id, Direction.BOTH) == set(), name
            assert _ids(graph, src_id, Direction.DOWNSTREAM, include=wide) == {dst_id}, name
            assert _ids(graph, dst_id, Direction.UPSTREAM, include=wide) == {src_id}, name
            continue
        up, down = (src_id, dst_id) if lt.downstream_is_outgoing else (dst_id, src_id)
        assert _ids(graph, up, Direction.DOWNSTREAM) == {down}, name
        assert _ids(graph, down, Direction.UPSTREAM) == {up}, name
        assert _ids(graph, up, Direction.UPSTREAM) == set(), name
        assert _ids(graph, down, Direction.DOWNSTREAM) == set(), name
        lin = graph.lineage(up, direction=Direction.DOWNSTREAM)
        assert [(n.via, n.parent) for n in lin.nodes if n.id == down] == [(name, up)], name
