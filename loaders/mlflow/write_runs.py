"""Writing pages of runs: fetch per-run extras, map, write atomic batches of whole pages.

:meth:`RunWriter.prepare` (reading and mapping) runs in the read-ahead thread,
:meth:`RunWriter.write` (the graph) in the caller's. :func:`join_pages` joins
mapped pages up to ``write_batch`` objects and links, and one such batch is
one transaction, so a crash leaves whole pages behind; a batch the store
refuses is split in halves until the run at fault is found, so one bad run is
reported and the others still land. Nested-run links whose parent is not in
this sync are kept for the end, when the parent can be looked up in the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from mlflow.entities import FileInfo, Run, RunStatus
from mlflow.entities import Metric as MlflowMetric

from opencase.errors import Problem, ValidationError
from opencase.graph.store import GraphStore, LinkRecord, ObjectRecord, WriteBatch
from opencase.ontology import ONTOLOGY
from opencase.queries.filters import Cmp

from . import keys
from .client import MlflowReader
from .config import MlflowSyncConfig
from .map_runs import RunRecords, safe_map_run
from .report import MlflowSyncReport
from .state import ExperimentMark, SourceState

CHILD_LINK = "experiment-has-child-run"
_HAS_VERSION = "dataset-has-version"
_DV = "DatasetVersion"
#: Object types a run shares with other runs: never restored or deleted with one run.
SHARED_TYPES = frozenset({"Dataset", "DatasetVersion"})


def join_pages(
    pages: Iterable[list[tuple[Run, RunRecords]]], limit: int
) -> Iterator[list[tuple[Run, RunRecords]]]:
    """Mapped pages joined until they hold ``limit`` objects plus links (whole pages only).

    Why not one write per page: each write is a commit, and the embedded engine
    checkpoints at every commit that adds rows, a cost that grows with the store:
    a few large writes cost far less than one per page, more than overlapping the
    reading of one page with the writing of the one before ever saved.
    """
    batch: list[tuple[Run, RunRecords]] = []
    size = 0
    for page in pages:
        batch.extend(page)
        size += sum(len(rec.objects) + len(rec.links) for _, rec in page)
        if size >= limit:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def run_gid(run_id: str) -> str:
    return ONTOLOGY.object_id("Experiment", keys.run_key(run_id))


@dataclass
class Extras:
    """What a run needs beyond its search result: artifact files and metric history."""

    files: list[FileInfo] = field(default_factory=list)
    history: dict[str, list[MlflowMetric]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunWriter:
    store: GraphStore
    reader: MlflowReader
    config: MlflowSyncConfig
    report: MlflowSyncReport
    state: SourceState
    names: dict[str, str]
    skip_artifacts: set[str]
    restore_runs: set[str]
    written: set[str] = field(default_factory=set)
    pending_parents: list[LinkRecord] = field(default_factory=list)
    pool: ThreadPoolExecutor | None = None
    #: source URI -> the Dataset stored under it (None: none), asked once per sync
    known_uris: dict[str, str | None] = field(default_factory=dict)

    def _extras(self, run: Run) -> Extras:
        out = Extras()
        try:
            if self.config.artifacts:
                out.files, capped = self.reader.artifacts(run)
                if capped:
                    out.warnings.append(
                        f"only the first {self.config.max_artifacts_per_run} artifacts listed"
                    )
            if self.config.metric_history:
                for key in run.data.metrics:
                    out.history[key] = self.reader.metric_history(run.info.run_id, key)
        except Exception as exc:  # one run's listing must not stop the sync
            out.warnings.append(f"could not list artifacts or metric history: {exc}")
        return out

    def _fetch(self, runs: Sequence[Run]) -> list[Extras]:
        if not (self.config.artifacts or self.config.metric_history):
            return [Extras() for _ in runs]
        if not self.config.metric_history and all(self.reader.local_artifacts(r) for r in runs):
            # a local folder lists in microseconds: handing each run to a thread costs more
            return [self._extras(run) for run in runs]
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.config.workers, thread_name_prefix="mlflow")
        return list(self.pool.map(self._extras, runs))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def prepare(self, runs: Sequence[Run]) -> list[tuple[Run, RunRecords]]:
        """Read extras and map one page (in the read-ahead thread); moves the watermark."""
        self.report.rows_read += len(runs)
        mapped: list[tuple[Run, RunRecords]] = []
        for run, extras in zip(runs, self._fetch(runs), strict=True):
            files = [
                f
                for f in extras.files
                if keys.artifact_id(run.info.run_id, f.path) not in self.skip_artifacts
            ]
            name = self.names.get(run.info.experiment_id, run.info.experiment_id)
            result = safe_map_run(run, name, self.reader.uri, extras.history, files)
            self._see(run)
            if isinstance(result, list):
                self.report.reject(result)
                continue
            for message in extras.warnings + result.warnings:
                self.report.warn(f"run {run.info.run_id}: {message}")
            mapped.append((run, result))
        return mapped

    def write(self, mapped: Sequence[tuple[Run, RunRecords]]) -> None:
        """One atomic write; if the store refuses it, halves until the bad runs are isolated."""
        if not mapped:
            return
        try:
            self._write([m for _, m in mapped], [r for r, _ in mapped])
        except ValidationError as exc:
            if len(mapped) == 1:
                rid = mapped[0][0].info.run_id
                self.report.reject(
                    [Problem(f"run {rid}: {p.message}", field=p.field) for p in exc.problems]
                )
                return
            half = len(mapped) // 2
            self.write(mapped[:half])
            self.write(mapped[half:])

    def _write(self, records: Sequence[RunRecords], runs: Sequence[Run]) -> None:
        batch = WriteBatch(actor="mlflow-sync", hold_moves=True)
        page_ids = {run_gid(r.info.run_id) for r in runs}
        for rec in records:
            batch.objects.extend(rec.objects)
            batch.links.extend(rec.links)
            if rec.parent_key:
                parent = ONTOLOGY.object_id("Experiment", rec.parent_key)
                child = ONTOLOGY.object_id("Experiment", rec.run_key)
                link = LinkRecord(CHILD_LINK, parent, child)
                if parent in self.written or parent in page_ids:
                    batch.links.append(link)
                else:
                    self.pending_parents.append(link)
        batch.restores = self._to_restore(records, runs)
        self._meet_known_datasets(batch)
        self.report.add(self.store.write(batch))
        self.written |= page_ids

    def _meet_known_datasets(self, batch: WriteBatch) -> None:
        """Versions of data a pipeline reported first join the pipeline's Dataset.

        MLflow names a dataset, OpenLineage places it: a dataset OpenLineage
        reported is keyed by its URI, and MLflow's dataset of the same data
        (a version whose source is that URI) would otherwise be a second object
        beside it, cutting lineage from the pipeline to the runs that read its
        output. So such a version's owner becomes the stored Dataset with that
        ``source_uri``, and MLflow's own Dataset record is left out when no other
        version of the batch needs it. (The other order, MLflow first, is met by
        the OpenLineage mapping.)
        """
        versions = [
            o
            for o in batch.objects
            if o.object_type == "DatasetVersion" and o.properties.get("source")
        ]
        wanted = sorted({str(v.properties["source"]) for v in versions} - self.known_uris.keys())
        if wanted:
            for uri in wanted:
                self.known_uris[uri] = None
            for ds in self.store.list_all("Dataset", Cmp("source_uri", "in", wanted)):
                self.known_uris[str(ds.properties["source_uri"])] = ds.id
        owner_of: dict[str, str] = {}  # version id -> the known Dataset it joins
        for v in versions:
            known = self.known_uris.get(str(v.properties["source"]))
            if known and known != ONTOLOGY.object_id("Dataset", v.properties["dataset_id"]):
                owner_of[ONTOLOGY.object_id("DatasetVersion", v.properties[_pk(_DV)])] = known
        if not owner_of:
            return
        moved: set[str] = set()
        for i, link in enumerate(batch.links):
            if link.link_type == _HAS_VERSION and link.target_id in owner_of:
                moved.add(link.source_id)
                batch.links[i] = LinkRecord(
                    _HAS_VERSION, owner_of[link.target_id], link.target_id, link.properties
                )
        kept = {lk.source_id for lk in batch.links if lk.link_type == _HAS_VERSION}
        objects = []
        for o in batch.objects:
            gid = ONTOLOGY.object_id(o.object_type, o.properties[_pk(o.object_type)])
            if o.object_type == "Dataset" and gid in moved - kept:
                continue  # MLflow's name for data the graph already holds under its URI
            if gid in owner_of:
                key = owner_of[gid].split(":", 1)[1]
                o = ObjectRecord(o.object_type, {**o.properties, "dataset_id": key})
            objects.append(o)
        batch.objects = objects

    def _to_restore(self, records: Sequence[RunRecords], runs: Sequence[Run]) -> list[str]:
        """Runs restored in MLflow come back in the graph with their metrics and files."""
        wanted = [
            ONTOLOGY.object_id(o.object_type, o.properties[_pk(o.object_type)])
            for rec, run in zip(records, runs, strict=True)
            if run.info.run_id in self.restore_runs
            for o in rec.objects
            if o.object_type not in SHARED_TYPES
        ]
        if not wanted:
            return []
        found = self.store.get(wanted, include_deleted=True)
        return [i for i, obj in found.items() if obj.deleted_at is not None]

    def _see(self, run: Run) -> None:
        info = run.info
        mark = self.state.experiments.setdefault(
            info.experiment_id, ExperimentMark(self.names.get(info.experiment_id, ""))
        )
        mark.see(info.run_id, info.start_time)
        if RunStatus.is_terminated(RunStatus.from_string(info.status)):
            self.state.open_runs.pop(info.run_id, None)
        else:
            self.state.open_runs[info.run_id] = info.experiment_id

    def link_pending_parents(self) -> None:
        """Nested runs whose parent was synced earlier (or never: then a warning says so)."""
        if not self.pending_parents:
            return
        parents = {lk.source_id for lk in self.pending_parents} - self.written
        found = set(self.store.get(sorted(parents))) if parents else set()
        ok = [lk for lk in self.pending_parents if lk.source_id in self.written | found]
        for lk in self.pending_parents:
            if lk.source_id not in self.written | found:
                self.report.warn(
                    f"{lk.target_id}: parent run {lk.source_id} is not in the graph "
                    "(deleted, or in an experiment that was not synced); not linked"
                )
        if ok:
            self.report.add(self.store.write(WriteBatch(links=ok)))


def _pk(type_name: str) -> str:
    return ONTOLOGY.object_type(type_name).primary_key
