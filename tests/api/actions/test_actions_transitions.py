"""Every (from, to) pair of every state machine: allowed exactly when TRANSITIONS says so.

A forbidden move raises ActionError naming both states and leaves the graph
as it was (same stats, same object).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from actionkit import put, run
from hypothesis import given, settings
from hypothesis import strategies as st

from opencase.errors import ActionError
from opencase.graph import GraphStore
from opencase.ontology import ONTOLOGY, TRANSITIONS

_counter = itertools.count()
#: Each example is a real write (and two full stats() scans when the move is forbidden).
EXAMPLES = 30


def _fresh(store: GraphStore, object_type: str, state: str) -> str:
    """A new object of ``object_type`` sitting in ``state`` (written directly, no action)."""
    n = next(_counter)
    required = {
        "MpvalPushRequest": {"push_id": f"p{n}", "requested_at": "2025-01-01T00:00:00Z"},
        "Deployment": {"deployment_id": f"d{n}", "environment": "TEST"},
        "Gate": {"gate_id": f"g{n}", "name": "gate"},
        "ModelVersion": {"model_version_id": f"m@{n}", "version": str(n)},
        "IntegrationTask": {"task_id": f"t{n}", "title": "task"},
        "Alert": {"alert_id": f"a{n}", "title": "alert", "severity": "High"},
        "TrainingJobRequest": {
            "request_id": f"j{n}",
            "name": "job",
            "environment": "DEV",
            "use_gpu": False,
        },
        "ServingDeployment": {
            "serving_id": f"kserve:ns/s{n}",
            "serving_framework": "kserve",
            "framework_resource_id": f"s{n}",
        },
        "RegistryModel": {
            "registry_model_key": f"huggingface:o/m{n}",
            "registry_type": "huggingface",
            "registry_model_id": f"o/m{n}",
        },
        "Notification": {"notification_id": f"n{n}", "title": "note"},
    }[object_type]
    return put(store, object_type, **required, **{_PROP.get(object_type, "status"): state})


#: The governed property, where it is not ``status``.
_PROP = {"RegistryModel": "sync_status"}


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
    "Alert": ("acknowledgeAlert", lambda i, to: {"alert_id": i}, {"acknowledged"}),
    "TrainingJobRequest": (
        "setTrainingJobStatus",
        lambda i, to: {"request_id": i, "status": to},
        None,
    ),
    "ServingDeployment": (
        "setServingStatus",
        lambda i, to: {"serving_id": i, "status": to},
        None,
    ),
    "RegistryModel": (
        "upsertObject",
        lambda i, to: {
            "object_type": "RegistryModel",
            "properties": {"registry_model_key": i.split(":", 1)[1], "sync_status": to},
        },
        None,
    ),
    "Notification": (
        "upsertObject",
        lambda i, to: {
            "object_type": "Notification",
            "properties": {"notification_id": i.split(":", 1)[1], "status": to},
        },
        None,
    ),
}


def _pairs(dedicated: bool) -> list[tuple[str, str, str]]:
    out = []
    for (type_name, prop), _ in TRANSITIONS.items():
        values = ONTOLOGY.enum_of(ONTOLOGY.object_type(type_name).prop(prop)).values  # type: ignore[union-attr]
        targets = DEDICATED[type_name][2] if dedicated else None
        # an upsert that re-sets the current value is no move at all
        same_ok = not dedicated or DEDICATED[type_name][0] != "upsertObject"
        for a, b in itertools.product(values, values):
            if (targets is None or b in targets) and (same_ok or a != b):
                out.append((type_name, a, b))
    return out


def test_every_governed_type_has_a_dedicated_action() -> None:
    assert {t for t, _ in TRANSITIONS} == set(DEDICATED)


def _check(
    store: GraphStore, object_id: str, pair: tuple[str, str, str], action: str, params: dict
) -> None:
    type_name, state, target = pair
    prop = _PROP.get(type_name, "status")
    if target in TRANSITIONS[(type_name, prop)].get(state, frozenset()):
        run(store, action, **params)
        after = store.get_one(object_id)
        assert after is not None and after.properties[prop] == target
        return
    before_stats, before = store.stats(), store.get_one(object_id)
    with pytest.raises(ActionError) as err:
        run(store, action, **params)
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
    prop = _PROP.get(type_name, "status")
    params = {"object_type": type_name, "properties": {ot.primary_key: key, prop: target}}
    _check(shared_store, object_id, pair, "upsertObject", params)
