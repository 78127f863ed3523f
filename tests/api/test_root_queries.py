"""Each root query field, on the seeded graph (see api_seed.py)."""

from __future__ import annotations

from typing import Any

from api_seed import MODELS, mv, mw

from opencase.graph import GraphStore
from opencase.graph.store import LinkRecord, ObjectRecord, WriteBatch
from opencase.ontology import ONTOLOGY

ENGINE = "A350:72:engine-health"


def test_one_object_by_id_or_primary_key(client: Any) -> None:
    q = """query($id: ID!) {
      modelWork(id: $id) { id objectType title name acFamily ataChapter dueDate tags } }"""
    by_id = client.data(q, {"id": mw(ENGINE)})["modelWork"]
    assert by_id == {
        "id": mw(ENGINE),
        "objectType": "model-work",
        "title": "Engine Health",
        "name": "Engine Health",
        "acFamily": "A350",
        "ataChapter": "72",
        "dueDate": "2025-03-01",
        "tags": ["prod"],
    }
    assert client.data(q, {"id": ENGINE})["modelWork"] == by_id
    assert client.data(q, {"id": "nope"})["modelWork"] is None
    # an id of another type is not a ModelWork
    assert client.data(q, {"id": mv(ENGINE, "1.0")})["modelWork"] is None


def test_listing_pages_with_cursors_and_counts(client: Any) -> None:
    q = """query($after: String) { modelWorks(first: 2, after: $after, orderBy: [{field: name}]) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } } }"""
    first = client.data(q)["modelWorks"]
    assert first["totalCount"] == len(MODELS)
    assert [e["node"]["name"] for e in first["edges"]] == ["Engine Health", "Fuel Imbalance"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = client.data(q, {"after": first["pageInfo"]["endCursor"]})["modelWorks"]
    assert [e["node"]["name"] for e in second["edges"]] == ["Pack Temperature"]
    assert second["pageInfo"]["hasNextPage"] is False
    # an edge cursor in the middle of a page resumes right after that edge
    middle = client.data(q, {"after": first["edges"][0]["cursor"]})["modelWorks"]
    assert [e["node"]["name"] for e in middle["edges"]] == ["Fuel Imbalance", "Pack Temperature"]


def test_order_by_descending(client: Any) -> None:
    q = "{ modelWorks(orderBy: [{field: name, direction: DESC}]) { edges { node { name } } } }"
    names = [e["node"]["name"] for e in client.data(q)["modelWorks"]["edges"]]
    assert names == sorted(names, reverse=True)


def test_object_returns_the_concrete_type(client: Any) -> None:
    q = """query($id: ID!) { object(id: $id) { id objectType title
      ... on ModelVersion { version status modelWork { name } } } }"""
    got = client.data(q, {"id": mv(ENGINE, "1.0")})["object"]
    assert got["objectType"] == "model-version"
    assert got["status"] == "Approved"
    assert got["modelWork"] == {"name": "Engine Health"}


def test_search_over_titles_and_text(client: Any) -> None:
    q = 'query($types: [String!]) { search(text: "fuel", objectTypes: $types) { id objectType } }'
    hits = client.data(q)["search"]
    assert mw("A330:28:fuel-imbalance") in {h["id"] for h in hits}
    only_versions = client.data(q, {"types": ["ModelVersion"]})["search"]
    assert all(h["objectType"] == "model-version" for h in only_versions)


def test_lineage_downstream_upstream_and_link_types(client: Any) -> None:
    q = """query($id: ID!, $dir: LineageDirection!, $depth: Int!, $links: [String!]) {
      lineage(id: $id, direction: $dir, depth: $depth, linkTypes: $links) {
        nodes { id objectType title depth } edges { source target linkType } partial } }"""
    down = client.data(q, {"id": mw(ENGINE), "dir": "DOWNSTREAM", "depth": 2})["lineage"]
    ids = {n["id"]: n["depth"] for n in down["nodes"]}
    assert ids[mw(ENGINE)] == 0
    assert ids[mv(ENGINE, "1.0")] == 1
    # the runs that trained a version are its inputs: upstream of it, not downstream
    assert "experiment:mlflow:A350:72:engine-health:00" not in ids
    assert not down["partial"]
    assert {
        "source": mw(ENGINE),
        "target": mv(ENGINE, "1.0"),
        "linkType": "model-work-has-version",
    } in down["edges"]
    # UPSTREAM walks towards the inputs: the version's model and the runs that made it
    up = client.data(q, {"id": mv(ENGINE, "1.0"), "dir": "UPSTREAM", "depth": 1})["lineage"]
    up_ids = {n["id"] for n in up["nodes"]}
    assert {mv(ENGINE, "1.0"), mw(ENGINE), "experiment:mlflow:A350:72:engine-health:00"} <= up_ids
    only = client.data(
        q, {"id": mw(ENGINE), "dir": "BOTH", "depth": 3, "links": ["model-work-has-version"]}
    )["lineage"]
    assert {e["linkType"] for e in only["edges"]} == {"model-work-has-version"}


def test_lineage_node_cap_marks_the_result_partial(client: Any) -> None:
    q = '{ lineage(id: "model-work:A350:72:engine-health", depth: 4, maxNodes: 2) '
    q += "{ nodes { id } partial } }"
    got = client.data(q)["lineage"]
    assert got["partial"] is True
    assert len(got["nodes"]) <= 2


def test_path_between_two_objects(client: Any) -> None:
    q = """{ path(from: "model-work:A350:72:engine-health", to: "dataset-version:flights@v1") {
      length nodes { id } edges { source target linkType } } }"""
    path = client.data(q)["path"]
    assert path["nodes"][0]["id"] == mw(ENGINE)
    assert path["nodes"][-1]["id"] == "dataset-version:flights@v1"
    assert path["length"] == len(path["edges"]) == 4  # model, version, run, v2, v1
    unrelated = (
        '{ path(from: "model-work:A220:21:pack-temp", to: "program:A330", maxDepth: 2) { length } }'
    )
    assert client.data(unrelated)["path"] is None


def test_open_actions_by_program_and_partner_is_one_query(client: Any) -> None:
    q = """query($open: [String!]) {
      aggregate(objectType: "Action", groupBy: ["programCode", "partnerName"],
      where: {status: {in: $open}}) { group count } }"""
    from opencase.ontology.declarations.enums import OPEN_ACTION_STATUSES

    rows = client.data(q, {"open": list(OPEN_ACTION_STATUSES)})["aggregate"]
    counts = {(r["group"]["programCode"], r["group"]["partnerName"]): r["count"] for r in rows}
    assert counts == {("A350", "GE"): 2, ("A350", "Liebherr"): 1, ("A330", "Liebherr"): 1}


def test_aggregate_json_where_crosses_links(client: Any) -> None:
    q = """{ aggregate(objectType: "model-work", groupBy: ["acFamily"],
      where: {versions: {some: {status: {eq: "Approved"}}}}) { group count } }"""
    assert client.data(q)["aggregate"] == [{"group": {"acFamily": "A350"}, "count": 1}]


def test_ontology_is_introspectable(client: Any) -> None:
    q = """{ ontology { version
      objectTypes { name apiName listField properties { name fieldName type required } }
      linkTypes { apiName source targets cardinality forwardField reverseField }
      actionTypes { name parameters { name type required } admin } enums { name values } } }"""
    onto = client.data(q)["ontology"]
    assert [t["name"] for t in onto["objectTypes"]] == [t.name for t in ONTOLOGY.object_types]
    assert [lt["apiName"] for lt in onto["linkTypes"]] == [
        lt.api_name for lt in ONTOLOGY.link_types
    ]
    assert [a["name"] for a in onto["actionTypes"]] == [a.name for a in ONTOLOGY.action_types]
    mw_type = next(t for t in onto["objectTypes"] if t["name"] == "ModelWork")
    assert mw_type["listField"] == "modelWorks"
    assert {
        "name": "ac_family",
        "fieldName": "acFamily",
        "type": "enum",
        "required": False,
    } in mw_type["properties"]


def test_nested_links_single_and_many(client: Any) -> None:
    q = """{ modelVersion(id: "model-version:A350:72:engine-health@1.0") {
      modelWork { name versions(orderBy: [{field: version}]) {
        totalCount edges { node { version } } } }
      experiments(first: 1) { totalCount pageInfo { hasNextPage }
        edges { node { runName metrics { edges { node { value } } } } } } } }"""
    got = client.data(q)["modelVersion"]
    assert [e["node"]["version"] for e in got["modelWork"]["versions"]["edges"]] == ["1.0", "1.1"]
    assert got["experiments"]["totalCount"] == 2
    assert got["experiments"]["pageInfo"]["hasNextPage"] is True
    assert len(got["experiments"]["edges"]) == 1


def test_nested_links_through_fragments_and_aliases(client: Any) -> None:
    # the look-ahead loader skips fragments and sees each alias apart: same answers either way
    q = """{ modelWorks(orderBy: [{field: name}]) { edges { node {
      ... on ModelWork { versions { totalCount } }
      one: versions(first: 1, orderBy: [{field: version, direction: DESC}]) {
        edges { node { version } } }
      all: versions { totalCount edges { node { experiments { totalCount } } } } } } } }"""
    nodes = [e["node"] for e in client.data(q)["modelWorks"]["edges"]]
    assert [n["versions"]["totalCount"] for n in nodes] == [2, 1, 0]
    assert [[e["node"]["version"] for e in n["one"]["edges"]] for n in nodes] == [
        ["1.1"],
        ["0.9"],
        [],
    ]
    runs = [[e["node"]["experiments"]["totalCount"] for e in n["all"]["edges"]] for n in nodes]
    assert runs == [[2, 2], [2], []]


def test_one_response_key_on_two_types_keeps_each_types_link(
    store: GraphStore, writable: Any
) -> None:
    # a risk applying to a model work and to a version: in its polymorphic appliesTo list
    # the alias "linked" means a different link on each type, at one place in the response
    work, version = mw("A350:72:engine-health"), mv("A350:72:engine-health", "1.0")
    risk = {"risk_id": "r1", "title": "Drift", "severity": "High", "status": "Open"}
    store.write(
        WriteBatch(
            objects=[ObjectRecord("RiskIssue", risk)],
            links=[LinkRecord("risk-applies-to", "risk-issue:r1", t) for t in (work, version)],
        )
    )
    q = """{ riskIssue(id: "r1") { appliesTo { edges { node { id
      ... on ModelWork { linked: versions(first: 5) { totalCount } }
      ... on ModelVersion { linked: experiments(first: 1) { totalCount } } } } } } }"""
    edges = writable.data(q)["riskIssue"]["appliesTo"]["edges"]
    assert {e["node"]["id"]: e["node"]["linked"]["totalCount"] for e in edges} == {
        work: 2,
        version: 2,
    }
