"""Helpers for the action tests: seed objects straight into a real store, run actions, read logs."""

from __future__ import annotations

from typing import Any

from opencase.api.actions import ActionOutcome, execute
from opencase.api.actions.log import ABOUT_LINK
from opencase.graph import GraphStore
from opencase.graph.store import Direction, LinkRecord, ObjectRecord, StoredObject, WriteBatch
from opencase.ontology import ONTOLOGY

ACTOR = "tester"


def put(store: GraphStore, object_type: str, **props: Any) -> str:
    """Write one object directly (for types no action creates: cases, gates, tasks...)."""
    ot = ONTOLOGY.object_type(object_type)
    full = {p.name: p.default for p in ot.properties if p.default is not None}
    store.write(WriteBatch(objects=[ObjectRecord(ot.name, {**full, **props})]))
    return ONTOLOGY.object_id(ot.name, props[ot.primary_key])


def join(store: GraphStore, link_type: str, source: str, target: str) -> None:
    store.write(WriteBatch(links=[LinkRecord(link_type, source, target)]))


def run(store: GraphStore, action: str, actor: str = ACTOR, **params: Any) -> ActionOutcome:
    return execute(store, action, params, actor)


def obj(store: GraphStore, object_id: str, **kw: Any) -> StoredObject:
    found = store.get_one(object_id, **kw)
    assert found is not None, object_id
    return found


def linked(store: GraphStore, object_id: str, link_type: str, direction: Direction) -> set[str]:
    found = store.neighbours([object_id], link_type=link_type, direction=direction)
    return {n.object.id for n in found.get(object_id, [])}


def out(store: GraphStore, object_id: str, link_type: str) -> set[str]:
    return linked(store, object_id, link_type, Direction.OUT)


def about(store: GraphStore, log_id: str) -> set[str]:
    """The objects an ActionLog entry is about (it touched them), soft-deleted ones included."""
    return {target for target, via in about_links(store, log_id).items() if via is None}


def about_links(store: GraphStore, log_id: str) -> dict[str, str | None]:
    """Every object an ActionLog links to -> ``via``: None for what the action touched, the
    touched object's id for a case or model reached from it."""
    return {
        link.target_id: link.properties.get("via")
        for batch in store.scan_links(ABOUT_LINK)
        for link in batch
        if link.source_id == log_id
    }


def assert_logged(store: GraphStore, outcome: ActionOutcome, actor: str = ACTOR) -> StoredObject:
    """The outcome's ActionLog exists, names the actor and links to every touched object."""
    log = obj(store, outcome.log_id)
    assert log.properties["actor"] == actor
    assert log.properties["action_type"] == outcome.action_type
    assert log.properties["outcome"] == "succeeded"
    assert log.properties["target_ids"] == outcome.touched_ids
    assert about(store, outcome.log_id) == set(outcome.touched_ids)
    vias = {v for v in about_links(store, outcome.log_id).values() if v is not None}
    assert vias <= set(outcome.touched_ids)
    assert set(outcome.created_ids) <= set(outcome.touched_ids)
    return log
