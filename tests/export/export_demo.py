"""The demo graph in a real embedded store plus a few awkward objects, exported to files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from opencase.export import Exporter, ExportOptions, RdfFormat
from opencase.graph import GraphStore, LinkRecord, ObjectRecord, WriteBatch, open_store
from opencase.loaders.demo import build_demo

BASE = "https://data.example.org/opencase/"

#: Extra objects on top of the demo: an audit entry (PROV agent), keys that need
#: percent-encoding, text that needs escaping, and one soft-deleted object with links.
AUDIT = ObjectRecord(
    "ActionLog",
    {
        "log_id": "log|1",
        "action_type": "advance-gate",
        "actor": "ana.lopez@example.com",
        "timestamp": dt.datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=dt.UTC),
        "outcome": "succeeded",
        "parameters": {"gate": "QG2", "note": 'say "hi"\n'},
        "target_ids": ["dataset:hard to:encode@|"],
    },
)
ODD = ObjectRecord(
    "Dataset",
    {
        "dataset_id": "hard to:encode@|",
        "name": 'Line one\nline "two"\ttab \\ back\u00e9\u2603 \x07bell',
        "pii": False,
    },
)
GONE = ObjectRecord("Dataset", {"dataset_id": "retired", "name": "Retired dataset"})


@dataclass(frozen=True)
class DemoExport:
    """The store (closed) and the files exported from it."""

    store_path: Path
    stats: dict[str, int]
    owl_xml: Path
    turtle: Path
    ntriples: Path
    json_ld: Path
    shacl_turtle: Path
    with_deleted_nt: Path


def add_extras(store: GraphStore) -> None:
    """Objects the demo lacks, written through the store (the audit entry as the executor does)."""
    store.write(
        WriteBatch(
            objects=[ODD, GONE],
            links=[LinkRecord("policy-governs", _first(store, "Policy"), "dataset:retired")],
            # the audit entry goes the way the action executor writes its own (no loader
            # may write one): an exact log id and timestamp make the export checkable
            system_objects=[AUDIT],
            system_links=[
                LinkRecord("action-log-about", "action-log:log|1", "dataset:hard to:encode@|"),
                LinkRecord("action-log-about", "action-log:log|1", "dataset:retired"),
            ],
        )
    )
    store.write(WriteBatch(soft_deletes=["dataset:retired"], actor="test"))


def _first(store: GraphStore, type_name: str) -> str:
    return store.list(type_name, first=1).items[0].id


def export_to(store: GraphStore, path: Path, **options: object) -> Path:
    with path.open("w", encoding="utf-8") as out:
        Exporter(ExportOptions(base_iri=BASE, **options)).write(store, out)  # type: ignore[arg-type]
    return path


def build_demo_export(root: Path) -> DemoExport:
    """Load the demo (plus :func:`add_extras`) into a store under ``root`` and export it."""
    with open_store(str(root / "graph")) as store:
        store.install_schema()
        build_demo(store)
        add_extras(store)
        return DemoExport(
            store_path=root / "graph",
            stats=store.stats(),
            owl_xml=export_to(store, root / "demo.owl", format=RdfFormat.XML),
            turtle=export_to(store, root / "demo.ttl", format=RdfFormat.TURTLE),
            ntriples=export_to(store, root / "demo.nt", format=RdfFormat.NT),
            json_ld=export_to(store, root / "demo.jsonld", format=RdfFormat.JSON_LD),
            shacl_turtle=export_to(store, root / "shacl.ttl", format=RdfFormat.TURTLE, shacl=True),
            with_deleted_nt=export_to(
                store, root / "all.nt", format=RdfFormat.NT, include_deleted=True
            ),
        )
