"""GraphQL over HTTP: the spec's own audits against a real server, and malformed bodies.

``graphql-http``'s ``serverAudits`` (the reference implementation's checks of
the GraphQL-over-HTTP spec) run with node against a real uvicorn server:
every audit must pass, warnings included. The other tests send what a broken
or hostile client sends and expect a 4xx with a GraphQL error body, never a
500 or a dropped connection.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from apikit import Running

pytestmark = pytest.mark.slow

AUDIT = Path(__file__).parent / "http_audit"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def _audit_results(url: str) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the graphql-http audits need it")
    if not (AUDIT / "node_modules" / "graphql-http").is_dir():
        pytest.skip("graphql-http is not installed: run scripts/setup.d/25-graphql-http-audit.sh")
    done = subprocess.run(
        [node, str(AUDIT / "audit.js"), url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_graphql_http_server_audits_pass_without_warnings(server: Running) -> None:
    results = _audit_results(f"http://{server.url}/graphql")
    assert len(results) > 50  # the audits ran, not an empty list
    failed = [f"{r['id']} {r['status']}: {r['name']} ({r['reason']})" for r in results]
    failed = [f for r, f in zip(results, failed, strict=True) if r["status"] != "ok"]
    assert not failed, "\n".join(failed)


def _post(server: Running, body: bytes, accept: str = "application/json") -> httpx.Response:
    return httpx.post(
        f"http://{server.url}/graphql",
        content=body,
        headers={"content-type": "application/json", "accept": accept},
        timeout=60,
    )


MALFORMED = {
    "invalid UTF-8": b'{"query": "{ __typename }", "x": "\xff\xfe"}',
    "a JSON string": b'"x"',
    "a JSON number": b"42",
    "JSON null": b"null",
    "variables 3,000 deep": (
        b'{"query": "query($w: JSON) { aggregate(objectType: \\"ModelWork\\", groupBy: [], '
        b'where: $w) { count } }", "variables": {"w": '
        + b'{"a": ' * 3000
        + b"1"
        + b"}" * 3000
        + b"}}"
    ),
    "100,000 nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "truncated JSON": b'{"query": "{ __typename }"',
    "variables not an object": b'{"query": "{ __typename }", "variables": "x"}',
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_body_is_a_400_with_a_graphql_error(server: Running, name: str) -> None:
    for accept in ("application/json", GRAPHQL_RESPONSE):
        response = _post(server, MALFORMED[name], accept)
        assert response.status_code == 400, (name, accept, response.text)
        assert response.headers["content-type"].startswith(accept)
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert error["message"]
    # the server still answers
    assert _post(server, b'{"query": "{ __typename }"}').json() == {"data": {"__typename": "Query"}}


def test_request_errors_are_4xx_only_for_graphql_response_json(server: Running) -> None:
    for query in ("{ __typename", "{ noSuchField }"):
        body = json.dumps({"query": query}).encode()
        legacy = _post(server, body)
        assert legacy.status_code == 200
        assert legacy.json()["data"] is None
        modern = _post(server, body, GRAPHQL_RESPONSE)
        assert modern.status_code == 400
        assert modern.headers["content-type"].startswith(GRAPHQL_RESPONSE)
        assert "data" not in modern.json()
        assert modern.json()["errors"][0]["extensions"]["code"] in (
            "GRAPHQL_PARSE_FAILED",
            "GRAPHQL_VALIDATION_FAILED",
        )
    # an error while executing keeps its data entry and a 200
    failing = json.dumps({"query": '{ lineage(id: "model-work:missing") { partial } }'})
    executed = _post(server, failing.encode(), GRAPHQL_RESPONSE)
    assert executed.status_code == 200
    assert executed.json()["data"] is None
    assert executed.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_mutation_by_get_is_405(server: Running) -> None:
    response = httpx.get(
        f"http://{server.url}/graphql",
        params={"query": 'mutation { registerModel(name: "x", acFamily: A350) { createdIds } }'},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "POST" in error["message"]


def test_a_subscription_by_post_is_refused_clearly(server: Running) -> None:
    body = json.dumps({"query": "subscription { objectChanged { id } }"}).encode()
    response = _post(server, body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "WebSocket" in error["message"]
