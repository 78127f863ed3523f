"""Every (from, to) pair of every lifecycle: allowed exactly when the ontology says so.

A forbidden move is refused naming both states and leaves the graph as it
was (same stats, same object), whether a dedicated action or an admin
upsert asks for it: the write planner checks both the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from actionkit import put, run
from hypothesis import given, settings
from hypothesis import strategies as st

from opencase.errors import ActionError, OpenCaseError
from opencase.graph import GraphStore
from opencase.ontology import ONTOLOGY, PropertyType

_counter = itertools.count()
#: Each example is a real write (and two full stats() scans when the move is forbidden).
EXAMPLES = 30


def _fresh(store: GraphStore, object_type: str, state: str) -> str:
    """A new object of ``object_type`` sitting in ``state`` (written directly, no action)."""
    n = next(_counter)
    ot = ONTOLOGY.object_type(object_type)
    required: dict[str, Any] = {}
    for prop in ot.properties:
        if not prop.required or prop.name == LIFECYCLES[object_type].property:
            continue
        enum = ONTOLOGY.enum_of(prop)
        if enum is not None:
            required[prop.name] = enum.values[0]
        elif prop.type is PropertyType.DATETIME:
            required[prop.name] = "2025-01-01T00:00:00Z"
        elif prop.type is PropertyType.DATE:
            required[prop.name] = "2025-01-01"
        elif prop.type is PropertyType.BOOL:
            required[prop.name] = True
        elif prop.type in (PropertyType.INT, PropertyType.LONG, PropertyType.FLOAT):
            required[prop.name] = 1
        else:
            required[prop.name] = f"x{n}"
    lc = LIFECYCLES[object_type]
    return put(store, object_type, **required, **{lc.property: state})


LIFECYCLES = {lc.object_type: lc for lc in ONTOLOGY.lifecycles}


#: For each governed type: the dedicated action that moves it, with the targets it can ask for.
MovePlan = tuple[str, Callable[[str, str], dict[str, Any]], set[str] | None]
DEDICATED: dict[str, MovePlan] = {
    "MpvalPushRequest": (
        "recordPushOutcome",
        lambda i, to: (
            {"push_id": i, "status": to}
            | ({"endpoint_url": "https://mpval/x"} if to == "Succeeded" else {})
        ),
        None,
    ),
    "Deployment": (
        "updateDeploymentStatus",
        lambda i, to: {"deployment_id": i, "status": to},
        None,
    ),
    "ModelVersion": (
        "setModelVersionStatus",
        lambda i, to: {"model_version_id": i, "status": to},
        None,
    ),
    "Gate": ("approveGate", lambda i, to: {"gate_id": i}, {"Decided"}),
    "IntegrationTask": ("completeTask", lambda i, to: {"task_id": i}, {"Done"}),
}


def _pairs(dedicated: bool) -> list[tuple[str, str, str]]:
    out = []
    for type_name, lc in LIFECYCLES.items():
        if dedicated and type_name not in DEDICATED:
            continue
        values = ONTOLOGY.enum_of(ONTOLOGY.object_type(type_name).prop(lc.property)).values  # type: ignore[union-attr]
        targets = DEDICATED[type_name][2] if dedicated else None
        for a, b in itertools.product(values, values):
            if targets is None or b in targets:
                out.append((type_name, a, b))
    return out


def test_every_dedicated_action_moves_a_governed_type() -> None:
    assert set(DEDICATED) <= set(LIFECYCLES)


def _check(
    store: GraphStore, object_id: str, pair: tuple[str, str, str], action: str, params: dict
) -> None:
    type_name, state, target = pair
    prop = LIFECYCLES[type_name].property
    if state != target and LIFECYCLES[type_name].allows(state, target):
        run(store, action, **params)
        after = store.get_one(object_id)
        assert after is not None and after.properties[prop] == target
        return
    before_stats, before = store.stats(), store.get_one(object_id)
    with pytest.raises(OpenCaseError) as err:
        run(store, action, **params)
    if state == target:
        assert isinstance(err.value, ActionError) and f"already {state}" in err.value.message
    else:
        assert f"from {state} to {target}" in err.value.message
    assert store.stats() == before_stats
    assert store.get_one(object_id) == before


@settings(max_examples=EXAMPLES, deadline=None)
@given(pair=st.sampled_from(_pairs(dedicated=True)))
def test_dedicated_actions_move_exactly_as_allowed(
    shared_store: GraphStore, pair: tuple[str, str, str]
) -> None:
    type_name, state, target = pair
    object_id = _fresh(shared_store, type_name, state)
    action, params, _ = DEDICATED[type_name]
    _check(shared_store, object_id, pair, action, params(object_id, target))


@settings(max_examples=EXAMPLES, deadline=None)
@given(pair=st.sampled_from([p for p in _pairs(dedicated=False) if p[1] != p[2]]))
def test_admin_upsert_moves_exactly_as_allowed(
    shared_store: GraphStore, pair: tuple[str, str, str]
) -> None:
    """Re-setting the current value is no move, so only pairs of different states are drawn."""
    type_name, state, target = pair
    object_id = _fresh(shared_store, type_name, state)
    ot = ONTOLOGY.object_type(type_name)
    key = object_id.split(":", 1)[1]
    prop = LIFECYCLES[type_name].property
    params = {"object_type": type_name, "properties": {ot.primary_key: key, prop: target}}
    _check(shared_store, object_id, pair, "upsertObject", params)
