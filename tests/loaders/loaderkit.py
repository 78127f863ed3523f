"""Helpers the loader tests share: read everything back and check the graph is whole."""

from __future__ import annotations

from opencase.graph import GraphStore
from opencase.graph.store import LinkRecord, StoredObject
from opencase.ontology import ONTOLOGY


def all_objects(store: GraphStore, object_type: str) -> list[StoredObject]:
    return [o for batch in store.scan_objects(object_type) for o in batch]


def all_links(store: GraphStore, link_type: str) -> list[LinkRecord]:
    return [lk for batch in store.scan_links(link_type) for lk in batch]


def graph_is_whole(store: GraphStore) -> list[str]:
    """What is wrong with the graph: links to missing objects, objects missing required values."""
    wrong: list[str] = []
    present = store.stats()  # skip empty tables: a scan per table is what costs
    for ot in ONTOLOGY.object_types:
        if ot.name not in present:
            continue
        required = [p.name for p in ot.properties if p.required]
        for obj in all_objects(store, ot.name):
            wrong += [f"{obj.id} lacks {r}" for r in required if obj.properties.get(r) is None]
    for lt in ONTOLOGY.link_types:
        if lt.api_name not in present:
            continue
        links = all_links(store, lt.api_name)
        ends = sorted({oid for lk in links for oid in (lk.source_id, lk.target_id)})
        found = store.get(ends) if ends else {}
        wrong += [f"{lt.api_name} endpoint {oid} is missing" for oid in ends if oid not in found]
    return wrong
