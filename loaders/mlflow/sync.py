"""One MLflow sync: read what changed, write it in atomic pages, soft-delete what went away.

Order matters for "writes nothing on a bad source": the server is probed, the
experiments, the registry and the deleted runs are all read *before* the first
write, so a wrong URI, an unknown experiment or a registry error stops the sync
with one clear error and an untouched graph. The watermark is saved last.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mlflow.entities import Run
from mlflow.entities.model_registry import ModelVersion, RegisteredModel

from opencase.gcpause import gc_paused
from opencase.graph.store import Direction, GraphStore, WriteBatch
from opencase.loaders.progress import LoadProgress
from opencase.ontology import ONTOLOGY
from opencase.queries.filters import And, Cmp

from .client import MlflowReader
from .config import MlflowSyncConfig
from .map_registry import map_registry, source_artifact
from .map_runs import RunRecords
from .plan import ReadPlan, find_deleted, run_pages
from .prefetch import prefetch
from .report import MlflowSyncReport
from .state import ExperimentMark, SourceState, StateFile, default_state_path
from .write_runs import RunWriter, join_pages, run_gid

ACTOR = "mlflow-sync"
OWNED_RUN_LINKS = ("experiment-produced-metric", "experiment-produced-artifact")


def sync_mlflow(
    store: GraphStore,
    config: MlflowSyncConfig,
    *,
    store_uri: str | None = None,
    progress: LoadProgress | None = None,
) -> MlflowSyncReport:
    """Bring the graph up to date with one tracking server; returns what was done.

    The watermark file goes beside ``store_uri`` (default: the embedded store's path)
    unless ``config.state_path`` names one.
    """
    # MLflow's SQLAlchemy reads and the mapping allocate hundreds of thousands of
    # objects that live until their batch is written: the cyclic collector was over
    # half of the reading CPU (5,000 runs x 10 metrics) and freed almost nothing.
    with gc_paused():
        return _sync(store, config, store_uri, progress)


def _sync(
    store: GraphStore,
    config: MlflowSyncConfig,
    store_uri: str | None,
    progress: LoadProgress | None,
) -> MlflowSyncReport:
    report = MlflowSyncReport(loader="mlflow", source=config.tracking_uri)
    progress = progress or LoadProgress(enabled=False)
    reader = MlflowReader(config)
    reader.check()
    experiments = reader.experiments(config.experiments)
    where = store_uri or getattr(store, "path", None) or getattr(store, "uri", ".opencase/graph")
    state_file = StateFile(
        Path(config.state_path) if config.state_path else default_state_path(where)
    )
    previous = None if config.full else state_file.load(config.tracking_uri)
    uri_filter = Cmp("tracking_uri", "eq", config.tracking_uri)
    held = store.count("Experiment", where=uri_filter)
    if previous is not None and held != previous.run_count:
        report.warn("the graph does not hold the runs the last sync wrote; re-reading everything")
        previous = None
    report.mode = "full" if previous is None else "incremental"
    models, versions = reader.registered_models(), reader.model_versions()
    report.versions_read = len(versions)
    plan = ReadPlan(experiments, previous, find_deleted(reader, experiments))

    state = _next_state(previous, plan)
    # a version's files inside a run are written by the registry mapping (as a model), not
    # again by the run's file listing, so the two never fight over one Artifact's fields
    located = (source_artifact(mv, mv.name) for mv in versions)
    registry_owned = {artifact for artifact, path in located if path is not None}
    writer = RunWriter(
        store, reader, config, report, state, plan.names, registry_owned, plan.restored
    )

    def batches() -> Iterator[list[tuple[Run, RunRecords]]]:
        mapped_pages = (writer.prepare(page) for page in run_pages(reader, plan))
        return join_pages(mapped_pages, config.write_batch)

    progress.phase("runs", None)
    try:
        # one batch ahead: while one is written, the next is read and mapped
        for mapped in prefetch(batches, depth=1):
            writer.write(mapped)
            progress.advance(len(mapped))
    finally:
        writer.close()
    writer.link_pending_parents()
    progress.phase("registry and deletions", 1)
    _write_registry(store, config, report, state, models, versions, writer.written)
    gone = plan.newly_deleted
    if plan.full and held:  # a graph without runs of this URI before the sync has no orphans
        gone |= _orphans(store, config, plan, writer.written)
    _soft_delete_runs(store, report, gone, keep=registry_owned)
    progress.advance(1)

    state.deleted_runs = sorted(plan.deleted_now)
    state.run_count = store.count("Experiment", where=uri_filter)
    state.stamp()
    state_file.save(config.tracking_uri, state)
    return report.finish()


def _next_state(previous: SourceState | None, plan: ReadPlan) -> SourceState:
    """Start from the last marks (full sync: from nothing) for the experiments in scope."""
    state = SourceState()
    if previous is not None:
        state.experiments = dict(previous.experiments)
        state.open_runs = dict(previous.open_runs)
        state.versions, state.works = list(previous.versions), list(previous.works)
    for exp in plan.experiments:
        mark = state.experiments.get(exp.experiment_id)
        state.experiments[exp.experiment_id] = ExperimentMark(
            exp.name, mark.max_start if mark else None, list(mark.boundary) if mark else []
        )
    return state


def _write_registry(
    store: GraphStore,
    config: MlflowSyncConfig,
    report: MlflowSyncReport,
    state: SourceState,
    models: list[RegisteredModel],
    versions: list[ModelVersion],
    written_runs: set[str],
) -> None:
    """Models and versions in one batch; versions gone from MLflow are soft-deleted."""
    tagged = [
        ONTOLOGY.object_id("ModelWork", t)
        for m in models
        if (t := (m.tags or {}).get(config.model_key_tag))
    ]
    existing = {i: o.title for i, o in store.get(tagged).items()} if tagged else {}
    rec = map_registry(models, versions, config, existing)
    report.problems.extend(rec.problems)
    report.rejected += len(rec.problems)
    runs = {rec.run_of(lk) for lk in rec.run_links}
    present = written_runs | set(store.get(sorted(runs - written_runs)))
    links = rec.links + [lk for lk in rec.run_links if rec.run_of(lk) in present]
    owned = rec.owned_works
    current = set(rec.version_ids) | set(owned)
    gone = (set(state.versions) | set(state.works)) - current
    ids = [ONTOLOGY.object_id(o.object_type, o.properties[_pk(o.object_type)]) for o in rec.objects]
    stored = store.get(sorted(set(ids) | gone), include_deleted=True) if ids or gone else {}
    batch = WriteBatch(
        objects=rec.objects,
        links=links,
        # a tracker-owned ModelWork someone deleted on purpose is not ours to bring back
        restores=[
            i for i in ids if i in stored and stored[i].deleted_at is not None and i not in tagged
        ],
        soft_deletes=[i for i in sorted(gone) if i in stored and stored[i].deleted_at is None],
        actor=ACTOR,
    )
    if batch:
        report.add(store.write(batch))
    state.versions, state.works = sorted(rec.version_ids), sorted(owned)


def _pk(type_name: str) -> str:
    return ONTOLOGY.object_type(type_name).primary_key


def _orphans(
    store: GraphStore, config: MlflowSyncConfig, plan: ReadPlan, read: set[str]
) -> set[str]:
    """Full sync only: runs in the graph for these experiments that MLflow no longer has.

    Grouping by key reads two columns of every run in one query; listing the
    objects page by page read all of their properties (much slower).
    """
    where = And(
        (
            Cmp("tracking_uri", "eq", config.tracking_uri),
            Cmp("experiment_name", "in", sorted({e.name for e in plan.experiments})),
        )
    )
    groups = store.aggregate("Experiment", ["run_key", "run_id"], where=where)
    return {
        g.group["run_id"]
        for g in groups
        if ONTOLOGY.object_id("Experiment", g.group["run_key"]) not in read
    }


def _soft_delete_runs(
    store: GraphStore, report: MlflowSyncReport, run_ids: set[str], keep: set[str]
) -> None:
    """Hide deleted runs with their metrics and files, except files a model version still uses."""
    if not run_ids:
        return
    ids = sorted(store.get(sorted(run_gid(r) for r in run_ids)))
    if not ids:
        return
    doomed = set(ids)
    for link_type in OWNED_RUN_LINKS:
        for neighbours in store.neighbours(
            ids, link_type=link_type, direction=Direction.OUT
        ).values():
            doomed.update(n.object.id for n in neighbours)
    doomed -= {ONTOLOGY.object_id("Artifact", a) for a in keep}
    report.add(store.write(WriteBatch(soft_deletes=sorted(doomed), actor=ACTOR)))
