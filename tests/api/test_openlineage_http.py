"""The OpenLineage endpoint on a real uvicorn server, fed by the official client's transport."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import httpx
import pytest
from apikit import Running
from openlineage.client import OpenLineageClient
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "loaders"))
from olkit import as_dict, dataset, new_run_id, run_event

JOB = ("dagster-prod", "features.engine_snapshots")
RAW_1 = dataset("postgres://db:5432", "acms.snapshots")
RAW_2 = dataset("postgres://db:5432", "acms.flights")
OUT = dataset("s3://lake", "features/engine_snapshots.parquet", columns=("tail", "egt"))


PIPELINE_QUERY = """{
  datasets(where: {namespace: {eq: "s3://lake"}, name: {eq: "features/engine_snapshots.parquet"}}) {
    totalCount edges { node { id sourceUri } }
  }
  jobRuns(where: {state: {eq: FAIL}}) { edges { node { runId errorMessage job { name } } } }
}"""


def _client(server: Running, key: str) -> OpenLineageClient:
    config = HttpConfig(
        url=f"http://{server.url}",
        endpoint="api/v1/lineage",
        timeout=30,
        auth=ApiKeyTokenProvider({"apiKey": key}),
    )
    return OpenLineageClient(transport=HttpTransport(config))


def _graphql(server: Running, query: str) -> dict:
    answer = httpx.post(f"http://{server.url}/graphql", json={"query": query}, timeout=30).json()
    assert "errors" not in answer, answer
    return answer["data"]


def test_the_python_client_sends_a_pipeline_and_graphql_sees_it(server: Running) -> None:
    client = _client(server, server.write_key)
    run_id, failed_id, parent_id = new_run_id(), new_run_id(), new_run_id()
    client.emit(
        run_event(
            "START",
            run_id,
            JOB,
            inputs=(RAW_1, RAW_2),
            parent=(parent_id, ("dagster-prod", "features")),
        )
    )
    client.emit(run_event("COMPLETE", run_id, JOB, minutes=6, outputs=(OUT,)))
    client.emit(run_event("START", failed_id, JOB, minutes=10, inputs=(RAW_1,)))
    client.emit(run_event("FAIL", failed_id, JOB, minutes=11, error="disk full"))
    data = _graphql(server, PIPELINE_QUERY)
    assert data["datasets"]["totalCount"] == 1
    failed = data["jobRuns"]["edges"]
    assert [e["node"]["runId"] for e in failed] == [failed_id]
    assert failed[0]["node"]["errorMessage"] == "disk full"
    out_id = data["datasets"]["edges"][0]["node"]["id"]
    query = (
        f'{{ lineage(id: "{out_id}", direction: UPSTREAM, depth: 4) {{ nodes {{ objectType }} }} }}'
    )
    lineage = _graphql(server, query)
    types = {n["objectType"] for n in lineage["lineage"]["nodes"]}
    assert {"job-run", "dataset"} <= types


def test_a_bad_event_gets_400_naming_the_json_path_and_writes_nothing(server: Running) -> None:
    event = as_dict(run_event("START", new_run_id(), JOB, inputs=(RAW_1,)))
    event["inputs"][0].pop("namespace")
    answer = httpx.post(
        f"http://{server.url}/api/v1/lineage",
        json=[as_dict(run_event("START", new_run_id(), JOB)), event],
        headers={"Authorization": f"Bearer {server.write_key}"},
        timeout=30,
    )
    assert answer.status_code == 400
    body = answer.json()["error"]
    assert body["code"] == "BAD_USER_INPUT"
    assert {"path": "$[1].inputs[0].namespace", "message": "is required"} in body["problems"]
    count = _graphql(server, "{ jobRuns { totalCount } }")["jobRuns"]["totalCount"]
    assert count == 0


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer oc_nope_nope"}, 401)],
)
def test_sending_lineage_needs_a_write_key(server: Running, headers: dict, status: int) -> None:
    answer = httpx.post(
        f"http://{server.url}/api/v1/lineage",
        json=as_dict(run_event("START", new_run_id(), JOB)),
        headers=headers,
        timeout=30,
    )
    assert answer.status_code == status
    assert answer.json()["error"]["code"] == "UNAUTHENTICATED"


def test_x_api_key_works_too_and_a_resend_writes_nothing(server: Running) -> None:
    events = [
        as_dict(run_event("START", "5a2d1c3e-0000-4000-8000-000000000001", JOB, inputs=(RAW_1,))),
        as_dict(run_event("COMPLETE", "5a2d1c3e-0000-4000-8000-000000000001", JOB, minutes=1)),
    ]
    url = f"http://{server.url}/api/v1/lineage"
    first = httpx.post(url, json=events, headers={"X-API-Key": server.write_key}, timeout=30)
    assert first.status_code == 201 and first.json()["created"] > 0
    again = httpx.post(url, json=events, headers={"X-API-Key": server.write_key}, timeout=30)
    assert again.status_code == 201
    assert again.json()["created"] == again.json()["updated"] == 0


def test_marquez_lineage_graph_shape(server: Running) -> None:
    client = _client(server, server.write_key)
    run_id = new_run_id()
    client.emit(run_event("START", run_id, JOB, inputs=(RAW_1,)))
    client.emit(run_event("COMPLETE", run_id, JOB, minutes=2, outputs=(OUT,)))
    answer = httpx.get(
        f"http://{server.url}/api/v1/lineage",
        params={"nodeId": "dataset:postgres://db:5432:acms.snapshots", "depth": 2},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    graph = {node["id"]: node for node in answer.json()["graph"]}
    job_id = "job:dagster-prod:features.engine_snapshots"
    out_id = "dataset:s3://lake:features/engine_snapshots.parquet"
    assert {"dataset:postgres://db:5432:acms.snapshots", job_id, out_id} <= set(graph)
    assert graph[job_id]["type"] == "JOB" and graph[out_id]["type"] == "DATASET"
    edge_in = {"origin": "dataset:postgres://db:5432:acms.snapshots", "destination": job_id}
    edge_out = {"origin": job_id, "destination": out_id}
    assert edge_in in graph[job_id]["inEdges"] and edge_out in graph[job_id]["outEdges"]
    assert edge_out in graph[out_id]["inEdges"]
    assert [f["name"] for f in graph[out_id]["data"]["fields"]] == ["tail", "egt"]
    missing = httpx.get(
        f"http://{server.url}/api/v1/lineage", params={"nodeId": "dataset:nope:nothing"}, timeout=30
    )
    assert missing.status_code == 404


def test_gzip_bodies_as_the_transport_sends_them(server: Running) -> None:
    body = json.dumps(as_dict(run_event("START", new_run_id(), JOB, inputs=(RAW_1,)))).encode()
    answer = httpx.post(
        f"http://{server.url}/api/v1/lineage",
        content=gzip.compress(body),
        headers={
            "Authorization": f"Bearer {server.write_key}",
            "Content-Encoding": "gzip",
            "Content-Type": "application/json",
        },
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    bomb = gzip.compress(b"[" + b" " * (64 << 20) + b"]")  # 64 MiB of blanks, 64 KiB sent
    refused = httpx.post(
        f"http://{server.url}/api/v1/lineage",
        content=bomb,
        headers={"Authorization": f"Bearer {server.write_key}", "Content-Encoding": "gzip"},
        timeout=30,
    )
    assert refused.status_code == 413
