"""The request id and the access line of every request (see `service.logs`).

`RequestIds` (the outermost middleware) gives the request its id, so that whatever is
logged while it runs carries it. The rest happens as the answer goes out (`answered`, a
`before_send` hook): answers that Litestar's outermost error handler sends, which no
middleware sees (a 429 of the rate limiter, a 404 of no route), get the id and their
access line too.
"""

from __future__ import annotations

import logging
import re
import secrets
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.logs import REQUEST_ID

_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_STATE = "officer_cert.request"  # (id, start) in the scope
access = logging.getLogger("officer_cert.access")


def _begin(scope: Scope) -> tuple[str, float]:
    begun: tuple[str, float] | None = scope.get(_STATE)  # type: ignore[assignment]
    if begun is None:
        given = next((v for n, v in scope["headers"] if n == b"x-request-id"), b"")
        text = given.decode("latin-1")
        begun = (text if _GIVEN_ID.fullmatch(text) else secrets.token_hex(8), time.perf_counter())
        scope[_STATE] = begun  # type: ignore[literal-required]
        REQUEST_ID.set(begun[0])
    return begun


class RequestIds:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            _begin(scope)
        await self.app(scope, receive, send)


async def answered(message: Message, scope: Scope) -> None:
    """The id in the answer's headers; the access line once its body is sent."""
    if scope["type"] != "http":
        return
    request_id, started = _begin(scope)
    if message["type"] == "http.response.start":
        scope["officer_cert.status"] = int(message["status"])  # type: ignore[literal-required]
        message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
    elif message["type"] == "http.response.body" and not message.get("more_body"):
        status = scope.get("officer_cert.status", 0)
        route = scope.get("path_template") or "-"
        client = scope.get("client")
        access.info(
            "%s %s %d",
            scope["method"],
            route,
            status,
            extra={
                "request_id": request_id,
                "method": scope["method"],
                "route": route,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "client": client[0] if client else "-",
            },
        )
