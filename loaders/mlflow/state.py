"""The sync watermark: what the last sync of one tracking URI saw, in a JSON file beside the store.

Why a file and not a graph object: the watermark is bookkeeping of one sync
client, not a fact about models; as an ontology type it would show up in
GraphQL, search and the OWL export. The risk of a file (the graph replaced or
wiped while the file stays) is covered by ``run_count``: when the graph no
longer holds the runs the state says it holds, the sync re-reads everything.
The file is written only after every batch succeeded, so a sync that fails half
way simply re-reads from the old watermark next time (upserts are idempotent).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from opencase.config import is_neo4j
from opencase.errors import LoaderError

STATE_VERSION = 1


@dataclass
class ExperimentMark:
    """Newest run start seen in one experiment, and the runs that started in that millisecond."""

    name: str
    max_start: int | None = None
    boundary: list[str] = field(default_factory=list)

    def is_new(self, run_id: str, start: int | None) -> bool:
        if self.max_start is None or start is None:
            return True
        return start > self.max_start or (start == self.max_start and run_id not in self.boundary)

    def see(self, run_id: str, start: int | None) -> None:
        if start is None:
            return
        if self.max_start is None or start > self.max_start:
            self.max_start, self.boundary = start, [run_id]
        elif start == self.max_start and run_id not in self.boundary:
            self.boundary.append(run_id)


@dataclass
class SourceState:
    """Everything remembered about one tracking URI."""

    synced_at: str | None = None
    run_count: int = 0
    experiments: dict[str, ExperimentMark] = field(default_factory=dict)
    open_runs: dict[str, str] = field(default_factory=dict)  # run id -> experiment id
    deleted_runs: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)  # ModelVersion global ids
    works: list[str] = field(default_factory=list)  # ModelWork global ids the sync owns

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> SourceState:
        marks = {k: ExperimentMark(**v) for k, v in raw.get("experiments", {}).items()}
        return cls(**{**raw, "experiments": marks})

    def stamp(self) -> None:
        self.synced_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def default_state_path(store: str) -> Path:
    """Beside an embedded store (``<store>.mlflow-sync.json``); in ``.opencase/`` for Neo4j."""
    if is_neo4j(store):
        return Path(".opencase") / "mlflow-sync.json"
    return Path(str(Path(store)) + ".mlflow-sync.json")


class StateFile:
    """All tracking URIs' states in one JSON file, keyed by URI; replaced atomically on save."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read_all(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"version": STATE_VERSION, "sources": {}}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LoaderError(
                f"cannot read the MLflow sync state {self.path}: {exc}",
                suggestion="delete the file; the next sync then re-reads everything",
            ) from exc
        if raw.get("version") != STATE_VERSION:
            return {"version": STATE_VERSION, "sources": {}}
        return raw

    def load(self, tracking_uri: str) -> SourceState | None:
        raw = self._read_all()["sources"].get(tracking_uri)
        return SourceState.from_dict(raw) if raw else None

    def save(self, tracking_uri: str, state: SourceState) -> None:
        everything = self._read_all()
        everything["sources"][tracking_uri] = asdict(state)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(everything, out, indent=1, sort_keys=True)
        os.replace(tmp, self.path)
