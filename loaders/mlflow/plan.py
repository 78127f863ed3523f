"""Which runs a sync must read: everything (full) or only what can have changed (incremental).

MLflow's search has no "updated since" filter for runs, so an incremental sync
reads three kinds of runs: runs that started after the experiment's watermark,
runs that were still open (RUNNING/SCHEDULED) last time, and runs that were
deleted last time but are not any more (restored). Experiments never seen get
a full read. Deleted runs are found by listing MLflow's deleted runs (and every
run of a deleted experiment) and comparing with what the last sync saw.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from mlflow.entities import Experiment, Run, ViewType

from .client import MlflowReader
from .state import ExperimentMark, SourceState

DELETED_STAGE = "deleted"


@dataclass
class ReadPlan:
    """The experiments in scope and the state the plan was made from (None = full read)."""

    experiments: list[Experiment]
    previous: SourceState | None
    deleted_now: set[str] = field(default_factory=set)

    @property
    def full(self) -> bool:
        return self.previous is None

    @property
    def active(self) -> list[Experiment]:
        return [e for e in self.experiments if e.lifecycle_stage != DELETED_STAGE]

    @property
    def names(self) -> dict[str, str]:
        return {e.experiment_id: e.name for e in self.experiments}

    def mark(self, experiment_id: str) -> ExperimentMark | None:
        return self.previous.experiments.get(experiment_id) if self.previous else None

    @property
    def restored(self) -> set[str]:
        """Runs deleted at the last sync that MLflow no longer lists as deleted."""
        if self.previous is None:
            return set()
        return set(self.previous.deleted_runs) - self.deleted_now

    @property
    def newly_deleted(self) -> set[str]:
        before = set(self.previous.deleted_runs) if self.previous else set()
        return self.deleted_now - before


def find_deleted(reader: MlflowReader, experiments: Sequence[Experiment]) -> set[str]:
    """Ids of runs MLflow counts as deleted: deleted runs, and all runs of deleted experiments."""
    active = [e.experiment_id for e in experiments if e.lifecycle_stage != DELETED_STAGE]
    gone = [e.experiment_id for e in experiments if e.lifecycle_stage == DELETED_STAGE]
    out: set[str] = set()
    for page in reader.run_pages(active, view_type=ViewType.DELETED_ONLY):
        out.update(r.info.run_id for r in page)
    for page in reader.run_pages(gone, view_type=ViewType.ALL):
        out.update(r.info.run_id for r in page)
    return out


def run_pages(reader: MlflowReader, plan: ReadPlan) -> Iterator[list[Run]]:
    """Pages of the runs to read, each run once, parents before their nested runs."""
    seen: set[str] = set()
    active = [e.experiment_id for e in plan.active]
    unknown = [i for i in active if (m := plan.mark(i)) is None or m.max_start is None]
    known = [i for i in active if i not in unknown]

    def fresh(page: list[Run], new_only: bool) -> list[Run]:
        keep = []
        for run in page:
            rid = run.info.run_id
            if rid in seen:
                continue
            mark = plan.mark(run.info.experiment_id)
            if new_only and mark is not None and not mark.is_new(rid, run.info.start_time):
                continue
            seen.add(rid)
            keep.append(run)
        return keep

    for page in reader.run_pages(unknown):
        if kept := fresh(page, new_only=False):
            yield kept
    if known:
        since = min(m.max_start for i in known if (m := plan.mark(i)) and m.max_start is not None)
        for page in reader.run_pages(known, f"attributes.start_time >= {since}"):
            if kept := fresh(page, new_only=True):
                yield kept
    previous = plan.previous
    if previous is None:
        return
    in_scope = set(active)
    recheck = {r for r, e in previous.open_runs.items() if e in in_scope} | plan.restored
    if recheck:
        for page in reader.runs_by_id(active, sorted(recheck), ViewType.ACTIVE_ONLY):
            if kept := fresh(page, new_only=False):
                yield kept
