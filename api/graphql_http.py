"""GraphQL over HTTP as the GraphQL-over-HTTP spec asks, on Strawberry's FastAPI router.

Only hooks Strawberry's view offers for overriding are used; its request
handling stays its own:

* ``decode_json``: orjson, which refuses invalid UTF-8 and nesting past its
  depth limit; a body that is not a JSON object (or a batch list) is refused
  too. Each is a 400 naming the problem, never a 500 or a dropped connection.
* ``execute_single``: a mutation sent by GET is a 405 (with ``Allow: POST``);
  a subscription sent over HTTP is a 400 that says where subscriptions live.
* ``process_result``: remembers whether the request failed before execution
  (a syntax, validation or variable error: errors without a path and no data)
  and, for a client that accepts ``application/graphql-response+json``, leaves
  the ``data`` entry out of such an answer, as the spec says.
* ``run``: the media type follows the ``Accept`` header; with
  ``application/graphql-response+json`` a request that failed before execution
  answers 4xx, with ``application/json`` it answers 200 (what older clients
  expect). Refusals Strawberry raises as plain text become GraphQL error bodies
  with ``extensions.code``.
"""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from fastapi import Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from .context import RequestContext
from .json_codec import encode_json_bytes
from .playground import playground_html

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
#: ``extensions.code`` of the refusals that happen before a request reaches GraphQL
HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
#: status of a request that failed before execution, by its first error's code
#: (with application/graphql-response+json; anything else is a 400)
REQUEST_ERROR_STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403}


def response_media_type(accept: str | None) -> str:
    """The JSON media type an ``Accept`` header prefers (application/json when it names neither).

    ``*/*`` and ``application/*`` count as application/json; on equal quality
    the GraphQL response type wins, as the spec recommends.
    """
    best, best_q = JSON, 0.0
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        if media in ("*/*", "application/*"):
            media = JSON
        if media not in (JSON, GRAPHQL_RESPONSE_JSON):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q or (q == best_q and q > 0 and media == GRAPHQL_RESPONSE_JSON):
            best, best_q = media, q
    return best


def failed_before_execution(result: ExecutionResult) -> bool:
    """No data and only errors without a path: the request never reached a resolver."""
    return (
        result.data is None and bool(result.errors) and all(e.path is None for e in result.errors)
    )


def error_body(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


class GraphQLHTTPRouter(GraphQLRouter[RequestContext, None]):
    """Strawberry's router with the conventions above, orjson, and OpenCase's offline playground."""

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(playground_html())

    def encode_json(self, data: object) -> str | bytes:
        """orjson (see json_codec), returned as text: the websocket transports send text
        frames for text and binary frames for bytes, and subscription clients expect text."""
        return encode_json_bytes(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        try:
            decoded = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            # what orjson says names the problem: invalid UTF-8, too deep, where the syntax broke
            raise HTTPException(400, f"the request body is not valid JSON: {exc}") from exc
        if not isinstance(decoded, dict | list):
            raise HTTPException(
                400,
                "expected a JSON object such as "
                '{"query": "...", "variables": {...}}, got a JSON '
                + type(decoded).__name__.replace("str", "string").replace("NoneType", "null"),
            )
        return decoded

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            cause = exc.__cause__
            if not isinstance(cause, InvalidOperationTypeError):
                raise
            if cause.operation_type == OperationType.SUBSCRIPTION:
                raise HTTPException(
                    400,
                    "subscriptions are served over WebSocket at this same path "
                    "(graphql-transport-ws or graphql-ws), not over plain HTTP",
                ) from cause
            raise HTTPException(
                405, f"{cause.operation_type.value}s must be sent by POST, not GET"
            ) from cause

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if failed_before_execution(result):
            assert result.errors is not None
            code = (result.errors[0].extensions or {}).get("code")
            request.state.graphql_request_error = REQUEST_ERROR_STATUS.get(code, 400)
            if response_media_type(request.headers.get("accept")) == GRAPHQL_RESPONSE_JSON:
                response.pop("data", None)
        return response

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if self.is_websocket_request(request):
            return await super().run(request, context=context, root_value=root_value)
        media = response_media_type(request.headers.get("accept"))
        try:
            response = await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            headers = {"Allow": "POST"} if exc.status_code == 405 else None
            return JSONResponse(
                error_body(exc.reason, HTTP_CODES.get(exc.status_code, "BAD_REQUEST")),
                status_code=exc.status_code,
                media_type=media,
                headers=headers,
            )
        if isinstance(response, Response) and response.media_type == JSON:
            response.headers["content-type"] = f"{media}; charset=utf-8"
            status = getattr(request.state, "graphql_request_error", None)
            if status is not None and media == GRAPHQL_RESPONSE_JSON:
                response.status_code = status
        return response
