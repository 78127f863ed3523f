"""A load journal: re-running a load the store has already taken in full does no work.

Loaders are idempotent, so a second load of the same file into a store that was
not written since changes nothing, and re-reading, re-validating and comparing
every row only to learn that costs about as much as the first load. Scheduled
loads (the tracker export every hour) mostly are such re-runs. After each load
the CLI stores a note in the store (``GraphStore.put_note``) keyed by a digest of
the input: the loader, its options, the file's bytes, the ontology's declarations
and the OpenCase version. The note records the store's write revision right
after it, and the report. A later load with the same digest while the store's
revision is still that one replays the report (everything ``unchanged``) without
reading the file again. Any write in between, by any loader, action or sync,
changes the revision, and the load then runs in full; so does ``--force``.
Backends that cannot vouch for their revision (Neo4j, written by other programs
too) never skip.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from opencase.errors import Problem
from opencase.graph.store import GraphStore
from opencase.ontology import ONTOLOGY

from .report import LoadReport

#: Bump when a loader's mapping changes: old notes then never match.
JOURNAL_FORMAT = 1


def input_digest(loader: str, path: Path, options: Mapping[str, Any]) -> str:
    """What decides a load's outcome besides the store: loader, options, bytes, ontology."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("opencase")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        release = "unknown"
    digest = hashlib.blake2b(digest_size=20)
    head = (JOURNAL_FORMAT, loader, sorted(options.items()), release, repr(ONTOLOGY))
    digest.update(repr(head).encode())
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _key(loader: str, digest: str) -> str:
    return f"load:{loader}:{digest}"


def replay(store: GraphStore, loader: str, digest: str, source: str) -> LoadReport | None:
    """The report of the last load of this input if the store was not written since."""
    note = store.get_note(_key(loader, digest))
    if note is None:
        return None
    revision, text = note
    if store.revision() != revision:
        return None
    before = json.loads(text)
    report = LoadReport(loader, source, strict=bool(before["strict"]))
    report.rows_read = before["rows_read"]
    report.rejected = before["rejected"]
    report.unchanged = before["created"] + before["updated"] + before["unchanged"]
    report.links_unchanged = before["links_created"] + before["links_unchanged"]
    report.warnings = [_problem(p, source) for p in before["warnings"]]
    report.problems = [_problem(p, source) for p in before["problems"]]
    report.replayed_revision = revision
    return report.finish()


def _problem(item: Mapping[str, Any], source: str) -> Problem:
    return Problem(
        item["message"],
        field=item.get("field"),
        line=item.get("line"),
        record=item.get("record"),
        source=source,
    )


def journaled(
    store: GraphStore,
    loader: str,
    path: Path,
    options: Mapping[str, Any],
    load: Callable[[], LoadReport],
    *,
    force: bool = False,
) -> LoadReport:
    """Run ``load`` unless the journal shows the store already holds its outcome."""
    if store.revision() is None:
        return load()
    digest = input_digest(loader, path, options)
    if not force:
        replayed = replay(store, loader, digest, str(path))
        if replayed is not None:
            return replayed
    report = load()
    store.put_note(_key(loader, digest), json.dumps(report.to_dict()))
    return report
