"""Refuses HTTP request bodies over the size limit before anything parses them.

An ASGI middleware rather than a check in the GraphQL view: the view reads the
whole body into memory and decodes it before any schema extension runs, so a
large body would cost its full size in memory (and JSON parsing time) however
early a later check refused it. A declared ``Content-Length`` over the limit
is refused without reading the body; a streamed (chunked) body is counted as
it arrives and refused at the first byte over.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .json_codec import encode_json_bytes

CODE = "LIMIT_EXCEEDED"


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """``413 Payload Too Large`` with a GraphQL-shaped error for bodies over ``max_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:  # the app answered before reading everything: nothing to add
                return
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = encode_json_bytes(
            {
                "errors": [
                    {
                        "message": f"the request body is larger than {self.max_bytes:,} bytes",
                        "extensions": {
                            "code": CODE,
                            "limit": "max_body_bytes",
                            "max": self.max_bytes,
                            "suggestion": "send less per request (page, or split a batch), "
                            "or raise OPENCASE_MAX_BODY_BYTES on the server",
                        },
                    }
                ]
            }
        )
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
