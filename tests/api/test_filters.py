"""Every ``where`` operator, the boolean combinators and filters across links."""

from __future__ import annotations

from typing import Any

import pytest

AGG = '{ aggregate(objectType: "ModelWork", groupBy: ["acFamily"], where: %s) { count } }'
MODELS_Q = (
    "query($w: ModelWorkWhere) { modelWorks(where: $w) { totalCount edges { node { name } } } }"
)


def names(client: Any, where: dict[str, Any]) -> set[str]:
    got = client.data(MODELS_Q, {"w": where})["modelWorks"]
    assert got["totalCount"] == len(got["edges"])
    return {e["node"]["name"] for e in got["edges"]}


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"acFamily": {"eq": "A350"}}, {"Engine Health"}),
        ({"acFamily": {"ne": "A350"}}, {"Fuel Imbalance", "Pack Temperature"}),
        ({"acFamily": {"in": ["A330", "A220"]}}, {"Fuel Imbalance", "Pack Temperature"}),
        ({"name": {"contains": "Temp"}}, {"Pack Temperature"}),
        ({"name": {"startsWith": "Fuel"}}, {"Fuel Imbalance"}),
        ({"dueDate": {"gt": "2025-03-01"}}, {"Fuel Imbalance"}),
        ({"dueDate": {"gte": "2025-03-01"}}, {"Engine Health", "Fuel Imbalance"}),
        ({"dueDate": {"lt": "2025-06-01"}}, {"Engine Health"}),
        ({"dueDate": {"lte": "2025-06-01"}}, {"Engine Health", "Fuel Imbalance"}),
        ({"ataChapter": {"isNull": True}}, {"Pack Temperature"}),
        ({"ataChapter": {"isNull": False}}, {"Engine Health", "Fuel Imbalance"}),
        ({"tags": {"contains": "chatbot"}}, {"Pack Temperature"}),
        ({"id": {"eq": "model-work:A330:28:fuel-imbalance"}}, {"Fuel Imbalance"}),
        ({"title": {"startsWith": "Engine"}}, {"Engine Health"}),
    ],
)
def test_each_operator(client: Any, where: dict[str, Any], expected: set[str]) -> None:
    assert names(client, where) == expected


def test_numeric_datetime_and_boolean_operators(client: Any) -> None:
    q = "query($w: MetricWhere) { metrics(where: $w) { totalCount } }"
    assert client.data(q, {"w": {"value": {"gt": 0.85}}})["metrics"]["totalCount"] == 3
    assert client.data(q, {"w": {"value": {"lte": 0.8}}})["metrics"]["totalCount"] == 3
    assert client.data(q, {"w": {"compliant": {"eq": True}}})["metrics"]["totalCount"] == 3
    runs = "query($w: ExperimentWhere) { experiments(where: $w) { totalCount } }"
    assert client.data(runs, {"w": {"seed": {"in": [1]}}})["experiments"]["totalCount"] == 3
    later = {"startTime": {"gte": "2025-01-02T00:00:00+00:00"}}
    assert client.data(runs, {"w": later})["experiments"]["totalCount"] == 3


def test_and_or_not(client: Any) -> None:
    a350 = {"acFamily": {"eq": "A350"}}
    prod = {"tags": {"contains": "prod"}}
    assert names(client, {"AND": [a350, prod]}) == {"Engine Health"}
    assert names(client, {"OR": [a350, {"acFamily": {"eq": "A330"}}]}) == {
        "Engine Health",
        "Fuel Imbalance",
    }
    assert names(client, {"NOT": a350}) == {"Fuel Imbalance", "Pack Temperature"}
    # several fields in one object are ANDed
    assert names(client, {"acFamily": {"eq": "A350"}, "priority": {"eq": "Low"}}) == set()


def test_some_and_none_across_links(client: Any) -> None:
    approved = {"versions": {"some": {"status": {"eq": "Approved"}}}}
    assert names(client, approved) == {"Engine Health"}
    assert names(client, {"versions": {"none": {}}}) == {"Pack Temperature"}
    assert names(client, {"versions": {"some": {}}}) == {"Engine Health", "Fuel Imbalance"}
    # two hops: models with a run that read some dataset version
    deep = {"versions": {"some": {"experiments": {"some": {"datasetVersions": {"some": {}}}}}}}
    assert names(client, deep) == {"Engine Health"}


def test_link_fields_filter_their_objects(client: Any) -> None:
    q = """{ modelWork(id: "model-work:A350:72:engine-health") {
      versions(where: {status: {in: [Approved]}}) { totalCount edges { node { version } } } } }"""
    versions = client.data(q)["modelWork"]["versions"]
    assert versions["totalCount"] == 1
    assert versions["edges"][0]["node"]["version"] == "1.0"


def test_unknown_enum_value_is_a_query_error(client: Any) -> None:
    err = client.error("{ modelWorks(where: {acFamily: {eq: B747}}) { totalCount } }")
    assert "B747" in err["message"]


def test_operator_that_does_not_apply_names_the_field(client: Any) -> None:
    err = client.error(AGG % '{dueDate: {startsWith: "2025"}}')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert err["extensions"]["field"] == "where.dueDate.startsWith"


def test_json_where_unknown_field_and_bad_value(client: Any) -> None:
    err = client.error(AGG % '{colour: {eq: "red"}}')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert "colour" in err["message"]
    err = client.error(AGG % '{acFamily: {eq: "B747"}}')
    assert err["extensions"]["field"] == "where.acFamily.eq"
    assert "A350" in err["message"]
