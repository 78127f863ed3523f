"""The ASGI middleware: a plain JSON query POSTed to /graphql skips FastAPI and Strawberry's view.

A lineage request spent about a millisecond in FastAPI's routing and
dependency solving, Strawberry's HTTP view and ``Schema.execute``'s parse and
validation steps before any resolver ran, as much as the whole answer's
completion. Those layers do nothing for the common request (a POST of an
``application/json`` body holding one query) that this module cannot do with
the same pieces: the app's context getter, the schema's extensions, the
router's JSON encoder, Starlette's ``Response``.

Every request that is not exactly that falls through, untouched, to the
FastAPI app: other paths and methods, a query string (``?apiKey=``), another
content type, an ``Accept`` asking for a stream, a body that is not one JSON
object, a ``query``/``variables``/``extensions``/``operationName`` of an
unexpected type, and every document prepared.py does not vouch for (syntax
and validation errors, mutations, subscriptions, unknown operation names).
Its body, already read, is replayed to the app message by message.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import BackgroundTasks
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import BaseContext
from strawberry.http import process_result
from strawberry.schema.schema import Schema

from ..json_codec import encode_json_bytes
from .execute import execute_prepared
from .prepared import PreparedQueries

ContextGetter = Callable[[Request], Awaitable[Any]]

#: Accept values that ask Strawberry for a streamed answer (multipart or SSE)
_STREAMING = (b"multipart/", b"text/event-stream")


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that hands out the messages already read, then the client's own."""
    pending = deque(messages)

    async def again() -> Message:
        if pending:
            return pending.popleft()
        return await receive()

    return again


def _plain_json_post(scope: Scope, path: str) -> bool:
    """Whether the request line and headers are the common case (the body is checked later)."""
    if (
        scope["type"] != "http"
        or scope["method"] != "POST"
        or scope["path"] != path
        or scope.get("root_path")
        or scope.get("query_string")
    ):
        return False
    content_type = None
    for name, value in scope["headers"]:
        if name == b"content-type":
            if content_type is None:
                content_type = value
        elif name == b"accept" and any(s in value.lower() for s in _STREAMING):
            return False
    if content_type is None:
        return False
    # the view checks the parsed media type as given (no case folding): a subset of it
    return content_type.split(b";", 1)[0].strip() == b"application/json"


async def _read_body(receive: Receive) -> tuple[list[Message], bytes | None]:
    """Every message up to the body's end, and the body (None if the client left first)."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return messages, b"".join(chunks)


def _query_fields(data: Any) -> tuple[str, Any, Any, Any] | None:
    """(query, variables, operationName, extensions) when they have the types the view accepts."""
    if type(data) is not dict:
        return None  # a batch, or not an object: the view's own answer
    query = data.get("query")
    variables = data.get("variables")
    operation_name = data.get("operationName")
    extensions = data.get("extensions")
    if (
        type(query) is not str
        or not (variables is None or type(variables) is dict)
        or not (operation_name is None or type(operation_name) is str)
        or not (extensions is None or type(extensions) is dict)
    ):
        return None
    return query, variables, operation_name, extensions


class GraphQLFastPath:
    """Answers plain JSON queries at ``path`` itself; everything else goes to ``app``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        schema: Schema,
        context_getter: ContextGetter,
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.schema = schema
        self.context_getter = context_getter
        self.path = path
        self.prepared = PreparedQueries(schema)
        #: requests answered here rather than by the app (tests check which path ran)
        self.answered = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _plain_json_post(scope, self.path):
            await self.app(scope, receive, send)
            return
        messages, body = await _read_body(receive)
        if body is None or not await self._answer(scope, body, _replay(messages, receive), send):
            await self.app(scope, _replay(messages, receive), send)

    async def _answer(self, scope: Scope, body: bytes, receive: Receive, send: Send) -> bool:
        """Answer the request and return True, or return False having sent nothing."""
        try:
            # the view's decoder: orjson reads integers past 64 bits as floats, and
            # refuses NaN, a BOM or lone surrogates, which the standard library accepts
            data = json.loads(body)
        except Exception:  # the view reports it, as it always did
            return False
        fields = _query_fields(data)
        if fields is None:
            return False
        query, variables, operation_name, extensions = fields
        prepared = await self.prepared.get(query, operation_name)
        if prepared is None:
            return False
        request = Request(scope, receive)
        context = await self.context_getter(request)
        if not isinstance(context, BaseContext):
            return False
        # what Strawberry's FastAPI context dependency gives a BaseContext
        tasks = BackgroundTasks()
        sub_response = Response()
        del sub_response.headers["content-length"]
        sub_response.status_code = None  # type: ignore[assignment]
        context.request = request
        context.background_tasks = tasks
        context.response = sub_response
        result = await execute_prepared(
            self.schema,
            prepared,
            query=query,
            variables=variables,
            context=context,
            operation_name=operation_name,
            operation_extensions=extensions,
        )
        # what the router's create_response and FastAPI's route make of the result
        response = Response(
            encode_json_bytes(process_result(result)),
            media_type="application/json",
            status_code=sub_response.status_code or 200,
        )
        response.headers.raw.extend(sub_response.headers.raw)
        response.background = tasks
        self.answered += 1
        await response(scope, receive, send)
        return True
