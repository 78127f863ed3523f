"""The seeds' own questions on the demo graph: 64-bit sizes, status words and groups, names.

One demo graph per module, read through the real app: what a user of each
seed system asks in one query.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apikit import GraphQLClient

from opencase.api.app import create_app
from opencase.graph import GraphStore, open_store
from opencase.loaders.demo import build_demo

OPEN_ACTIONS = "{ actions(where: {statusGroup: OPEN}) { totalCount } }"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphQLClient]:
    root = tmp_path_factory.mktemp("demo")
    with open_store(str(root / "graph")) as store:
        store.install_schema()
        build_demo(store)
        client = GraphQLClient(create_app(store=store, keys_path=root / "keys.json"))
        yield client
        client.close()


@pytest.fixture(scope="module")
def demo_store(demo: GraphQLClient) -> GraphStore:
    return demo.app.state.services.store  # type: ignore[no-any-return]


# ---- Long ----------------------------------------------------------------------------------


def test_release_sizes_over_two_gib_are_read_as_long(demo: GraphQLClient) -> None:
    data = demo.data("{ releases(first: 50) { edges { node { tag sizeBytes } } } }")
    sizes = [e["node"]["sizeBytes"] for e in data["releases"]["edges"]]
    assert sizes and None not in sizes
    assert 15_000_000_000 in sizes


def test_long_filters_take_64_bit_values(demo: GraphQLClient) -> None:
    big = demo.data(
        "query($n: Long!) { releases(where: {sizeBytes: {gt: $n}}) { totalCount } }",
        {"n": 10_000_000_000},
    )["releases"]["totalCount"]
    everything = demo.data("{ releases { totalCount } }")["releases"]["totalCount"]
    assert 0 < big < everything
    large = demo.data(
        "{ modelWorks(where: {parameters: {gte: 70000000000}}) { edges { node { "
        "parameterCount parameters } } } }"
    )["modelWorks"]["edges"]
    assert [e["node"] for e in large] == [{"parameterCount": "70B", "parameters": 70_000_000_000}]


@pytest.mark.parametrize(
    ("value", "why"),
    [([], "whole number"), ("12x", "whole number"), (2**70, "outside 64 bits"), (True, "boolean")],
)
def test_a_bad_long_is_the_clients_error_naming_the_value(
    demo: GraphQLClient, value: object, why: str
) -> None:
    """Never an internal error: a Long the client got wrong says what is wrong with it."""
    error = demo.error(
        "query($n: Long!) { releases(where: {sizeBytes: {gt: $n}}) { totalCount } }", {"n": value}
    )
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Long cannot represent" in error["message"] and why in error["message"]


def test_long_is_the_scalar_of_sizes_in_types_inputs_and_arguments(demo: GraphQLClient) -> None:
    def field_type(type_name: str, field: str, inputs: bool = False) -> str:
        kind = "inputFields" if inputs else "fields"
        shape = "name type { name ofType { name } }"
        query = f'{{ __type(name: "{type_name}") {{ {kind} {{ {shape} }} }} }}'
        fields = demo.data(query)["__type"][kind]
        (found,) = [f["type"] for f in fields if f["name"] == field]
        return found["name"] or found["ofType"]["name"]

    assert field_type("Release", "sizeBytes") == "Long"
    assert field_type("DatasetVersion", "fileCount") == "Long"
    assert field_type("Release", "createdAt") == "DateTime"  # the release's own date, natural name
    assert field_type("LongFilter", "gt", inputs=True) == "Long"
    mutation = demo.data(
        '{ __type(name: "Mutation") { fields { name args { name type { name } } } } }'
    )
    (create,) = [f for f in mutation["__type"]["fields"] if f["name"] == "createRelease"]
    assert {a["name"]: a["type"]["name"] for a in create["args"]}["sizeBytes"] == "Long"


# ---- status words and groups ---------------------------------------------------------------


def test_an_unknown_status_word_is_refused_with_the_valid_ones(demo: GraphQLClient) -> None:
    error = demo.error(
        '{ aggregate(objectType: "Action", groupBy: ["status"], '
        'where: {status: {eq: "Open"}}) { count } }'
    )
    assert "'Open' is not one of Proposed, Planned, InProgress" in error["message"]
    typed = demo.error("{ actions(where: {status: {eq: Open}}) { totalCount } }")
    assert "Open" in typed["message"]


def test_open_actions_are_a_declared_group(demo: GraphQLClient, demo_store: GraphStore) -> None:
    open_states = ("Proposed", "Planned", "InProgress", "WaitingResponse", "Blocked")
    expected = sum(
        1
        for batch in demo_store.scan_objects("Action")
        for a in batch
        if a.properties["status"] in open_states
    )
    assert expected > 0
    assert demo.data(OPEN_ACTIONS)["actions"]["totalCount"] == expected
    groups = demo.data(
        '{ aggregate(objectType: "Action", groupBy: ["statusGroup"]) { group count } }'
    )
    counts = {g["group"]["statusGroup"]: g["count"] for g in groups["aggregate"]}
    assert counts["OPEN"] == expected
    each = demo.data("{ actions(first: 100) { edges { node { status statusGroup } } } }")
    for edge in each["actions"]["edges"]:
        node = edge["node"]
        assert (node["statusGroup"] == "OPEN") == (node["status"] in open_states)
    json_where = demo.data(
        '{ aggregate(objectType: "Action", groupBy: ["status"], where: {statusGroup: "OPEN"}) '
        "{ group count } }"
    )["aggregate"]
    assert sum(g["count"] for g in json_where) == expected
    assert {g["group"]["status"] for g in json_where} <= set(open_states)


def test_active_deployments_and_their_group_enum(demo: GraphQLClient) -> None:
    active = demo.data(
        "{ deployments(where: {statusGroup: ACTIVE}) { edges { node { status } } } }"
    )["deployments"]["edges"]
    assert active and {e["node"]["status"] for e in active} <= {"deploying", "success"}
    bad = demo.error(
        '{ aggregate(objectType: "Deployment", groupBy: ["status"], '
        'where: {statusGroup: "LIVE"}) { count } }'
    )
    assert "use ACTIVE, INACTIVE" in bad["message"]


# ---- names ---------------------------------------------------------------------------------


def test_system_fields_never_clash_with_properties(demo: GraphQLClient) -> None:
    node = demo.data(
        "{ releases(first: 1) { edges { node { createdAt recordCreatedAt recordUpdatedAt } } } }"
    )["releases"]["edges"][0]["node"]
    assert node["recordCreatedAt"] is not None and node["recordUpdatedAt"] is not None
    assert node["createdAt"] != node["recordCreatedAt"]  # the build date, not the load time


def test_enum_values_have_descriptions(demo: GraphQLClient) -> None:
    values = demo.data('{ __type(name: "ActionStatus") { enumValues { name description } } }')
    docs = {v["name"]: v["description"] for v in values["__type"]["enumValues"]}
    assert docs["WaitingResponse"].startswith("Waiting for an answer")
    assert "group OPEN" in docs["WaitingResponse"]
    assert "may move to InProgress" in docs["Completed"]
