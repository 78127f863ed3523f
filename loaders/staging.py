"""Validated records waiting to be written, and the one way loaders write them.

Loaders never talk Cypher: they stage :class:`ObjectRecord`/:class:`LinkRecord`
values here (each object and link once, by global id) and :func:`write_staged`
hands them to ``GraphStore.upsert``, objects before links. On the embedded
store the whole upsert is one transaction, so a load that fails or is killed
half-way leaves the store as it was; on Neo4j each batch is a transaction, and
the objects-first order keeps every committed link pointing at committed
objects. Either way, re-running the load completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from opencase.gcpause import gc_paused as gc_paused  # re-exported for the loaders
from opencase.graph.store import GraphStore, LinkRecord, ObjectRecord
from opencase.ontology import ONTOLOGY

from .progress import LoadProgress
from .report import LoadReport

#: Records validated and applied at a time; ``None`` leaves it to the store, whose
#: default suits its engine (large batches on the embedded store, where fewer,
#: larger batches load faster at no cost in memory; smaller transactions on Neo4j).
BATCH_SIZE: int | None = None

#: A loader's reading half: validate a file's records into ``Staged``, problems into the report.
Stager = Callable[["GraphStore", "str | Path", LoadReport], "Staged"]


@dataclass
class Staged:
    """Objects by global id (properties merged) and links by (type, source, target)."""

    objects: dict[str, ObjectRecord] = field(default_factory=dict)
    #: keyed by (type, source, target), or with "" for the end a single-valued side ignores
    links: dict[tuple[str, str, str], LinkRecord] = field(default_factory=dict)

    def object_id(self, object_type: str, properties: Mapping[str, Any]) -> str:
        api_name, primary_key = _id_parts(object_type)
        return f"{api_name}:{properties[primary_key]}"

    def add_object(self, object_type: str, properties: Mapping[str, Any]) -> str:
        """Stage an object; a second record for the same id merges into the first."""
        oid = self.object_id(object_type, properties)
        earlier = self.objects.get(oid)
        if earlier is not None:
            properties = {**earlier.properties, **properties}
        self.objects[oid] = ObjectRecord(object_type, properties)
        return oid

    def add_link(
        self,
        link_type: str,
        source_id: str,
        target_id: str,
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        """Stage a link; on a single-valued side a later link replaces the earlier one.

        That is the store's own rule ("latest wins"), applied before the write: a
        row that overrides an earlier row of the same object (the tracker warns
        about it) must not leave the earlier row's owner or program beside its own,
        which the store would refuse as two targets for one.
        """
        key = self.link_key(link_type, source_id, target_id)
        self.links[key] = LinkRecord(link_type, source_id, target_id, dict(properties or {}))

    def drop_link(self, link_type: str, source_id: str, target_id: str) -> None:
        """Unstage the link, if it is the one staged under its key (a later one may have won)."""
        key = self.link_key(link_type, source_id, target_id)
        staged = self.links.get(key)
        if staged is not None and (staged.source_id, staged.target_id) == (source_id, target_id):
            del self.links[key]

    @staticmethod
    def link_key(link_type: str, source_id: str, target_id: str) -> tuple[str, str, str]:
        """The key a link is staged under: a single-valued side keeps one link per object."""
        one_target, one_source = _single_sides(link_type)
        if one_target:
            return (link_type, source_id, "")
        if one_source:
            return (link_type, "", target_id)
        return (link_type, source_id, target_id)

    def of_type(self, object_type: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """(global id, properties) of the staged objects of one type."""
        prefix = _id_parts(object_type)[0] + ":"
        for oid, record in self.objects.items():
            if oid.startswith(prefix):
                yield oid, record.properties

    def __len__(self) -> int:
        return len(self.objects) + len(self.links)


@cache
def _single_sides(link_type: str) -> tuple[bool, bool]:
    """(a source has at most one target, a target has at most one source)."""
    card = ONTOLOGY.link_type(link_type).cardinality
    return card.source_max_targets_one, card.target_max_sources_one


@cache
def _id_parts(object_type: str) -> tuple[str, str]:
    """(API name, primary key) of a type: the global id is ``<api name>:<key>``."""
    ot = ONTOLOGY.object_type(object_type)
    return ot.api_name, ot.primary_key


def write_staged(
    store: GraphStore,
    staged: Staged,
    report: LoadReport,
    progress: LoadProgress,
    *,
    batch_size: int | None = BATCH_SIZE,
) -> LoadReport:
    """Write what was staged unless ``--strict`` found problems; fold results into the report."""
    if report.strict and report.problems:
        report.written = False
        return report.finish()
    progress.phase("writing", len(staged))
    sizing = {} if batch_size is None else {"batch_size": batch_size}
    for result in store.upsert(
        staged.objects.values(),
        staged.links.values(),
        stage=progress.stage,
        hold_moves=True,  # a source's state the lifecycle forbids is reported, not written
        **sizing,
    ):
        report.add(result)
        progress.advance(
            result.created
            + result.updated
            + result.unchanged
            + result.links_created
            + result.links_unchanged
        )
        report.written = True
    return report.finish()


def load_file(
    store: GraphStore,
    path: str | Path,
    report: LoadReport,
    stage: Stager,
    progress: LoadProgress | None = None,
    batch_size: int | None = BATCH_SIZE,
) -> LoadReport:
    """Stage the whole file, then write it: a loader whose file is read in one pass.

    Staging all of it before the first write is what lets ``--strict`` refuse a
    file with any problem before anything is written, and what makes a load one
    upsert (one transaction on the embedded store). The garbage collector is
    paused meanwhile: every staged record stays alive until the write.
    """
    with gc_paused():
        staged = stage(store, path, report)
        return write_staged(
            store, staged, report, progress or LoadProgress(enabled=False), batch_size=batch_size
        )
