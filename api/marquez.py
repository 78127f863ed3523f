"""The graph in Marquez's lineage shape: jobs and datasets with their in and out edges.

Marquez draws lineage between jobs and datasets only. OpenCase's pipeline runs
(JobRun) fold into their Job, and dataset versions into their Dataset, so the
picture is the one a Marquez user expects; the walk itself is OpenCase's
lineage over the pipeline flow links, both ways from the node asked for.
"""

from __future__ import annotations

from typing import Any

from opencase.errors import NotFoundError, ValidationError
from opencase.graph.store import Direction, GraphStore, StoredObject
from opencase.loaders.openlineage import dataset_uri, job_key
from opencase.ontology import ONTOLOGY
from opencase.queries.filters import Cmp

#: The links Marquez's picture is made of: what runs read and wrote, and versions of datasets.
PIPELINE_LINKS = ("job-run-read-dataset", "job-run-wrote-dataset", "dataset-has-version")
#: Most objects one lineage answer walks.
MAX_NODES = 2000


def lineage_graph(store: GraphStore, node_id: str, depth: int) -> dict[str, Any]:
    """``{"graph": [...]}`` for a Marquez node id (``dataset:NS:NAME`` or ``job:NS:NAME``)."""
    start = _resolve(store, node_id)
    walk = store.lineage(
        start.id,
        direction=Direction.BOTH,
        depth=depth * 2,  # Marquez counts jobs; between two jobs lies a dataset, so two hops
        link_types=PIPELINE_LINKS,
        max_nodes=MAX_NODES,
    )
    ids = [n.id for n in walk.nodes]
    objects = store.get(ids)
    runs = [i for i in ids if objects.get(i) and objects[i].object_type == "JobRun"]
    versions = [i for i in ids if objects.get(i) and objects[i].object_type == "DatasetVersion"]
    folded, shown = _fold(store, objects, runs, versions)
    nodes: dict[str, dict[str, Any]] = {}
    edges: set[tuple[str, str]] = set()
    for edge in walk.edges:
        source, target = folded.get(edge.source), folded.get(edge.target)
        if source is None or target is None or source == target:
            continue
        if edge.link_type == "job-run-read-dataset":
            edges.add((target, source))  # the dataset flows into the job
        elif edge.link_type == "job-run-wrote-dataset":
            edges.add((source, target))
    for marquez_id, obj in shown.items():
        nodes[marquez_id] = _node(marquez_id, obj)
    for origin, destination in sorted(edges):
        edge = {"origin": origin, "destination": destination}
        nodes[origin]["outEdges"].append(edge)
        nodes[destination]["inEdges"].append(edge)
    return {"graph": list(nodes.values())}


def _resolve(store: GraphStore, node_id: str) -> StoredObject:
    kind, _, rest = node_id.partition(":")
    if kind not in ("dataset", "job") or ":" not in rest:
        raise ValidationError(
            f"nodeId {node_id[:100]!r} is not 'dataset:<namespace>:<name>' "
            "or 'job:<namespace>:<name>'"
        )
    # a namespace may hold ':' (postgres://db:5432), so try every split, longest namespace last
    splits = [(rest[:i], rest[i + 1 :]) for i, c in enumerate(rest) if c == ":"]
    if kind == "job":
        wanted = [ONTOLOGY.object_id("Job", job_key(ns, name)) for ns, name in splits]
        found = store.get(wanted)
        for oid in wanted:
            if oid in found:
                return found[oid]
    else:
        uris = [dataset_uri(ns, name) for ns, name in splits]
        page = store.list("Dataset", where=Cmp("source_uri", "in", uris), first=len(uris))
        by_uri = {str(o.properties.get("source_uri")): o for o in page.items}
        for uri in uris:
            if uri in by_uri:
                return by_uri[uri]
    raise NotFoundError(f"no {kind} {rest[:200]!r}", suggestion="check the namespace and name")


def _fold(
    store: GraphStore, objects: dict[str, StoredObject], runs: list[str], versions: list[str]
) -> tuple[dict[str, str], dict[str, StoredObject]]:
    """(OpenCase id -> Marquez node id, Marquez node id -> the job or dataset it shows).

    Runs show as their job and dataset versions as their dataset.
    """
    ids: dict[str, str] = {}
    shown: dict[str, StoredObject] = {}
    jobs = store.neighbours(runs, link_type="job-run-of-job", direction=Direction.OUT)
    owners = store.neighbours(versions, link_type="dataset-has-version", direction=Direction.IN)
    for oid, obj in objects.items():
        if obj.object_type == "Dataset":
            ids[oid] = _dataset_id(obj)
        elif obj.object_type == "Job":
            ids[oid] = _job_id(obj)
        elif jobs.get(oid):
            obj = jobs[oid][0].object
            ids[oid] = _job_id(obj)
        elif owners.get(oid):
            obj = owners[oid][0].object
            ids[oid] = _dataset_id(obj)
        else:
            continue
        shown.setdefault(ids[oid], obj)
    return ids, shown


def _dataset_id(obj: StoredObject) -> str:
    props = obj.properties
    namespace = props.get("namespace") or "opencase"
    return f"dataset:{namespace}:{props.get('name') or obj.title}"


def _job_id(obj: StoredObject) -> str:
    return f"job:{obj.properties.get('namespace')}:{obj.properties.get('name')}"


def _node(marquez_id: str, obj: StoredObject) -> dict[str, Any]:
    props = obj.properties
    kind = "DATASET" if marquez_id.startswith("dataset:") else "JOB"
    name = props.get("name") or obj.title
    namespace = props.get("namespace") or "opencase"
    data: dict[str, Any] = {
        "id": {"namespace": namespace, "name": name},
        "name": name,
        "namespace": namespace,
        "description": props.get("description"),
        "opencaseId": obj.id,
    }
    if kind == "DATASET":
        fields = (props.get("schema") or {}).get("fields") or []
        data |= {
            "type": "DB_TABLE",
            "physicalName": name,
            "sourceName": props.get("data_source") or namespace,
            "fields": fields,
            "facets": props.get("facets") or {},
        }
    else:
        data |= {
            "type": props.get("processing_type") or "BATCH",
            "simpleName": str(name).rsplit(".", 1)[-1],
            "facets": props.get("facets") or {},
        }
    return {"id": marquez_id, "type": kind, "data": data, "inEdges": [], "outEdges": []}
