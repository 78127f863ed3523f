"""The columnar N-Triples path writes the same triples as the per-object renderer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest
from export_demo import BASE, DemoExport
from rdflib import Graph
from rdflib.compare import isomorphic

from opencase.export import InstanceRenderer
from opencase.export.columnar import ntriples_chunks
from opencase.export.instances import ExportCounts, instance_blocks
from opencase.export.writers import NTriplesWriter
from opencase.graph import GraphStore, open_store
from opencase.ontology import ONTOLOGY


class _DefaultColumns:
    """The store seen through GraphStore's default column scans (built from scan_objects)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def scan_objects(self, *args: Any, **kwargs: Any) -> Any:
        return self.store.scan_objects(*args, **kwargs)

    def scan_links(self, *args: Any, **kwargs: Any) -> Any:
        return self.store.scan_links(*args, **kwargs)

    def scan_object_columns(self, *args: Any, **kwargs: Any) -> Iterator[pa.Table]:
        return GraphStore.scan_object_columns(self, *args, **kwargs)  # type: ignore[arg-type]

    def scan_link_columns(self, *args: Any, **kwargs: Any) -> Iterator[pa.Table]:
        return GraphStore.scan_link_columns(self, *args, **kwargs)  # type: ignore[arg-type]


def _per_object(store: Any, include_deleted: bool) -> tuple[Graph, ExportCounts]:
    counts = ExportCounts()
    text = NTriplesWriter().chunk(
        block
        for blocks in instance_blocks(
            store, InstanceRenderer(ONTOLOGY, BASE), include_deleted=include_deleted, counts=counts
        )
        for block in blocks
    )
    return Graph().parse(data=text, format="nt"), counts


def _columnar(store: Any, include_deleted: bool, batch_size: int) -> tuple[Graph, ExportCounts]:
    counts = ExportCounts()
    chunks = ntriples_chunks(
        store,
        InstanceRenderer(ONTOLOGY, BASE),
        include_deleted=include_deleted,
        batch_size=batch_size,
        counts=counts,
    )
    text = "".join(chunks)
    graph = Graph().parse(data=text, format="nt")
    assert counts.triples == len(text.splitlines())
    return graph, counts


@pytest.mark.parametrize("include_deleted", [False, True])
@pytest.mark.parametrize("default_columns", [False, True])
def test_columnar_ntriples_match_the_per_object_renderer(
    demo_export: DemoExport, include_deleted: bool, default_columns: bool
) -> None:
    with open_store(str(demo_export.store_path), read_only=True) as opened:
        store: Any = _DefaultColumns(opened) if default_columns else opened
        expected, want = _per_object(store, include_deleted)
        # A batch of 3 makes every table span several pages, holes and all.
        graph, got = _columnar(store, include_deleted, batch_size=3)
    assert len(graph) == len(expected) > 0
    assert isomorphic(graph, expected)
    assert (got.objects, got.links, got.skipped_deleted) == (
        want.objects,
        want.links,
        want.skipped_deleted,
    )


def test_column_scans_cover_every_object_and_link(demo_export: DemoExport) -> None:
    with open_store(str(demo_export.store_path), read_only=True) as store:
        for ot in ONTOLOGY.object_types:
            ids = [o.id for b in store.scan_objects(ot.name, include_deleted=True) for o in b]
            tables = list(store.scan_object_columns(ot.name, batch_size=2, include_deleted=True))
            assert sorted(i for t in tables for i in t.column("id").to_pylist()) == ids
            assert all(t.num_rows <= 2 for t in tables)
        for lt in ONTOLOGY.link_types:
            pairs = sorted(
                (k.source_id, k.target_id) for b in store.scan_links(lt.api_name) for k in b
            )
            tables = list(store.scan_link_columns(lt.api_name, batch_size=2))
            got = sorted(
                (s, t)
                for table in tables
                for s, t in zip(
                    table["source"].to_pylist(), table["target"].to_pylist(), strict=True
                )
            )
            assert got == pairs
