"""OpenLineage events as ontology records: jobs, runs, datasets and what each run read and wrote.

The mapping is a fold: each event is merged into the run's state as stored (or
as staged by an earlier event of the same batch), and the merge does not depend
on the order events arrive in. A terminal state (COMPLETE, FAIL, ABORT) is never
undone by a late START or RUNNING, a START's time is the run's start whenever it
comes, and facets from a newer event replace those of an older one. Sending the
same events again therefore stages exactly what the store holds, and the
store's upsert writes nothing.

Identity: an OpenLineage dataset is ``namespace`` + ``name``; its URI is the two
joined (``s3://bucket`` + ``raw/events`` -> ``s3://bucket/raw/events``). A
dataset the graph already knows under that URI (a Dataset whose ``source_uri``
it is, or a DatasetVersion MLflow recorded with that source) is the same
object, so a pipeline's output and the training run that read it meet on one
node.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from opencase.graph.store import Direction, GraphStore
from opencase.ontology import ONTOLOGY, ids
from opencase.queries.filters import Cmp, Or

from ..staging import Staged

TERMINAL = ("COMPLETE", "FAIL", "ABORT")
#: How far along its lifecycle each state is; a merge never moves a run back.
_RANK = {"OTHER": 0, "START": 1, "RUNNING": 2, "COMPLETE": 3, "FAIL": 3, "ABORT": 3}


@dataclass
class EventMapper:
    """Stages events into ``staged``; reads the store once per batch for what it must merge with."""

    store: GraphStore
    staged: Staged = field(default_factory=Staged)
    _datasets: dict[str, str] = field(default_factory=dict)  # uri -> Dataset global id
    _runs: dict[str, dict[str, Any]] = field(default_factory=dict)  # run id -> properties

    def prepare(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Look up, in a few round trips, the datasets and runs the events name."""
        uris: set[str] = set()
        run_ids: set[str] = set()
        for event in events:
            for ref in _dataset_refs(event):
                uris.add(dataset_uri(ref["namespace"], ref["name"]))
            if "run" in event:
                run_ids.add(str(event["run"]["runId"]))
                parent = _facet(event["run"], "parent")
                if parent:
                    run_ids.add(str(parent["run"]["runId"]))
        self._resolve_datasets(sorted(uris - set(self._datasets)))
        wanted = [_run_gid(r) for r in run_ids if r not in self._runs]
        for stored in self.store.get(wanted).values():
            self._runs[str(stored.properties["run_id"])] = dict(stored.properties)

    def add(self, event: Mapping[str, Any]) -> None:
        """Stage one event that the spec accepts (see :mod:`.spec`)."""
        if "run" in event:
            self._run_event(event)
        elif "dataset" in event:
            self._dataset(event["dataset"])
        else:
            self._job(event["job"])
            for ref in [*(event.get("inputs") or []), *(event.get("outputs") or [])]:
                self._dataset(ref)

    # ---- runs ----------------------------------------------------------------------------

    def _run_event(self, event: Mapping[str, Any]) -> None:
        job_id, job_props = self._job(event["job"])
        run = event["run"]
        run_id = str(run["runId"])
        when = _time(event["eventTime"])
        props = self._runs.setdefault(run_id, {"run_id": run_id})
        _merge_run(props, event.get("eventType") or "OTHER", when, run.get("facets") or {})
        props["run_name"] = _label(job_props["name"], run_id)
        props["job_key"] = job_props["job_key"]
        if event.get("producer"):
            props["producer"] = str(event["producer"])
        run_gid = self.staged.add_object("JobRun", props)
        self.staged.add_link("job-run-of-job", run_gid, job_id)
        parent = _facet(run, "parent")
        if parent:
            parent_job_id, parent_job = self._job(parent["job"])
            parent_id = str(parent["run"]["runId"])
            known = self._runs.setdefault(parent_id, {"run_id": parent_id})
            known.setdefault("run_name", _label(parent_job["name"], parent_id))
            known.setdefault("job_key", parent_job["job_key"])
            parent_gid = self.staged.add_object("JobRun", known)
            self.staged.add_link("job-run-of-job", parent_gid, parent_job_id)
            self.staged.add_link("job-run-has-parent", run_gid, parent_gid)
        for ref in event.get("inputs") or []:
            target = self._dataset(ref)
            props_in = _facet_map(ref.get("inputFacets"), "input_facets")
            self.staged.add_link("job-run-read-dataset", run_gid, target, props_in)
        for ref in event.get("outputs") or []:
            target = self._dataset(ref)
            facets = ref.get("facets") or {}
            out: dict[str, Any] = _facet_map(ref.get("outputFacets"), "output_facets")
            if isinstance(facets.get("columnLineage"), dict):
                out["column_lineage"] = facets["columnLineage"]
            self.staged.add_link("job-run-wrote-dataset", run_gid, target, out)

    # ---- jobs ----------------------------------------------------------------------------

    def _job(self, job: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        namespace, name = str(job["namespace"]), str(job["name"])
        facets = job.get("facets") or {}
        props: dict[str, Any] = {
            "job_key": job_key(namespace, name),
            "namespace": namespace,
            "name": name,
        }
        job_type = _facet(job, "jobType")
        if job_type:
            props["processing_type"] = job_type.get("processingType")
            props["integration"] = job_type.get("integration")
            props["job_type"] = job_type.get("jobType")
        code = _facet(job, "sourceCodeLocation")
        if code:
            props["source_code_url"] = code.get("url") or code.get("repoUrl")
            props["source_code_version"] = code.get("version") or code.get("tag")
        doc = _facet(job, "documentation")
        if doc:
            props["description"] = doc.get("description")
        if facets:
            props["facets"] = _facet_map(facets)["facets"]
        props = {k: v for k, v in props.items() if v is not None}
        return self.staged.add_object("Job", props), props

    # ---- datasets ------------------------------------------------------------------------

    def _dataset(self, ref: Mapping[str, Any]) -> str:
        """Stage the dataset (and its version, when the version facet names one); its id."""
        namespace, name = str(ref["namespace"]), str(ref["name"])
        uri = dataset_uri(namespace, name)
        facets = ref.get("facets") or {}
        known = self._datasets.get(uri)
        props: dict[str, Any] = {"namespace": namespace, "source_uri": uri}
        if known is None:
            props |= {"dataset_id": uri, "name": name}
        else:
            props["dataset_id"] = _key_of(known)
        schema = _facet(ref, "schema")
        if schema:
            props["schema"] = {"fields": schema.get("fields") or []}
        source = _facet(ref, "dataSource")
        if source:
            props["data_source"] = source.get("name") or source.get("uri")
        doc = _facet(ref, "documentation")
        if doc and doc.get("description"):
            props["description"] = doc["description"]
        rest = {k: v for k, v in facets.items() if k not in _MAPPED_DATASET_FACETS}
        if rest:
            props["facets"] = rest
        dataset_id = self.staged.add_object("Dataset", props)
        version = _facet(ref, "version")
        if not version or not version.get("datasetVersion"):
            return dataset_id
        key = props["dataset_id"]
        version_id = str(version["datasetVersion"])
        dv = {
            "dataset_version_id": f"{key}@{version_id}",
            "version_id": version_id,
            "dataset_id": key,
            "storage_uri": uri,
        }
        if known is None:  # a version the graph knows keeps its own versioning system
            dv["versioning_system"] = "openlineage"
        if schema:
            dv["schema"] = props["schema"]
        version_gid = self.staged.add_object("DatasetVersion", dv)
        self.staged.add_link("dataset-has-version", dataset_id, version_gid)
        return version_gid

    def _resolve_datasets(self, uris: list[str]) -> None:
        """Which of these URIs the graph already holds as a Dataset (directly or by a version).

        Most are found by key (a dataset OpenLineage reported before is keyed by its
        URI), so a pipeline that keeps writing the same tables costs one lookup; only
        URIs seen for the first time are searched among other datasets and versions.
        """
        if not uris:
            return
        self._resolve_staged(uris)
        uris = [u for u in uris if u not in self._datasets]
        if not uris:
            return
        by_key = {ONTOLOGY.object_id("Dataset", uri): uri for uri in uris}
        for oid in self.store.get(list(by_key)):
            self._datasets[by_key[oid]] = oid
        rest = [u for u in uris if u not in self._datasets]
        if not rest:
            return
        for stored in self.store.list_all("Dataset", Cmp("source_uri", "in", rest)):
            self._datasets[str(stored.properties["source_uri"])] = stored.id
        rest = [u for u in rest if u not in self._datasets]
        if not rest:
            return
        where = Or((Cmp("source", "in", rest), Cmp("storage_uri", "in", rest)))
        versions = self.store.list_all("DatasetVersion", where)
        owners = self.store.neighbours(
            [v.id for v in versions], link_type="dataset-has-version", direction=Direction.IN
        )
        wanted = set(rest)
        for version in versions:
            for prop in ("source", "storage_uri"):
                uri = str(version.properties.get(prop))
                if uri in wanted and owners.get(version.id):
                    self._datasets.setdefault(uri, owners[version.id][0].object.id)

    def _resolve_staged(self, uris: list[str]) -> None:
        """The same, among records staged beside the events (the demo loads several files)."""
        wanted = set(uris)
        for oid, props in self.staged.of_type("Dataset"):
            if props.get("source_uri") in wanted:
                self._datasets.setdefault(str(props["source_uri"]), oid)
        for _, props in self.staged.of_type("DatasetVersion"):
            for prop in ("source", "storage_uri"):
                uri = props.get(prop)
                if uri in wanted and props.get("dataset_id"):
                    owner = ONTOLOGY.object_id("Dataset", props["dataset_id"])
                    self._datasets.setdefault(str(uri), owner)


_MAPPED_DATASET_FACETS = frozenset(
    {"schema", "dataSource", "version", "documentation", "columnLineage"}
)


def dataset_uri(namespace: str, name: str) -> str:
    """The OpenLineage dataset naming spec's URI: namespace and name joined by one '/'."""
    if not name:
        return namespace
    return f"{namespace.rstrip('/')}/{name.lstrip('/')}"


def job_key(namespace: str, name: str) -> str:
    return ids.composite_key(namespace, name).replace("|", "/", 1)


def _merge_run(
    props: dict[str, Any], state: str, when: dt.datetime, facets: Mapping[str, Any]
) -> None:
    """Fold one event into a run's properties; the result is the same in any event order."""
    last = props.get("last_event_time")
    newer = last is None or when >= last
    current = props.get("state")
    if current is None or _RANK[state] > _RANK[current]:
        props["state"] = state
    elif _RANK[state] == _RANK[current] == 3 and state != current and newer:
        props["state"] = state  # two different endings: the later event says what happened
    if state == "START" and (props.get("started_at") is None or when < props["started_at"]):
        props["started_at"] = when
    if state in TERMINAL and (props.get("ended_at") is None or newer):
        props["ended_at"] = when
    if newer:
        props["last_event_time"] = when
    error = facets.get("errorMessage")
    if isinstance(error, dict) and error.get("message") and (newer or "error_message" not in props):
        props["error_message"] = str(error["message"])
    nominal = facets.get("nominalTime")
    if isinstance(nominal, dict):
        if nominal.get("nominalStartTime"):
            props["nominal_start_time"] = _time(nominal["nominalStartTime"])
        if nominal.get("nominalEndTime"):
            props["nominal_end_time"] = _time(nominal["nominalEndTime"])
    kept = dict(props.get("facets") or {})
    for key, value in facets.items():
        if newer or key not in kept:
            kept[key] = value
    if kept:
        props["facets"] = kept


def _label(job_name: str, run_id: str) -> str:
    """Job name and the run id's last 12 characters: time-ordered ids (UUIDv7) share a prefix."""
    return f"{job_name} {run_id[-12:]}"


def _facet(holder: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    value = (holder.get("facets") or {}).get(key)
    return value if isinstance(value, dict) else None


def _facet_map(facets: Mapping[str, Any] | None, name: str = "facets") -> dict[str, Any]:
    return {name: dict(facets)} if facets else {}


def _dataset_refs(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if "dataset" in event:
        return [event["dataset"]]
    return [*(event.get("inputs") or []), *(event.get("outputs") or [])]


def _time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _run_gid(run_id: str) -> str:
    return ONTOLOGY.object_id("JobRun", run_id)


def _key_of(global_id: str) -> str:
    return global_id.split(":", 1)[1]
