"""The scan of a full training room, answered without the framework's request machinery.

`QuickScans` is the check-in route's own middleware. It sits where the route's handler
would run, so what surrounds every request still surrounds it: the request id and
access line, the security headers, the metrics, and the error handling that turns a
refusal into problem details. For the common request (a JSON body of announced length,
a bearer token, no query) it decodes the body into the handler's own `CheckinIn`,
reads the token and records the scan as the handler does (`checkins.answer`), and
writes the JSON itself. Anything else (a form, a chunked or large body, a body the
strict decoder refuses, a NUL, a query string) goes on to the route, with the body
given again, so that every refusal of a malformed request stays the route's.
"""

from __future__ import annotations

import msgspec
from litestar.types import ASGIApp, Receive, Scope, Send

from mobile_api.checkins import CheckinIn, answer
from service.web.deps import officer_login, token_of
from service.web.nul import json_has_nul
from service.web.quick import replaying, send_json

# A scan's body is well under this (a token is at most 1,000 characters); a larger one
# is the route's to judge, against the request size limit.
QUICK_BODY_BYTES = 4_096
_decode = msgspec.json.Decoder(CheckinIn)


class QuickScans:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        taken = _taken(scope)
        if taken is None:
            await self.app(scope, receive, send)
            return
        length, authorization = taken
        body, complete = await _read(receive, length)
        data = _decoded(body) if complete else None
        if data is None:
            await self.app(scope, replaying(body, receive), send)
            return
        services = scope["app"].state.services
        login = await officer_login(services, token_of(authorization.decode("latin-1")))
        await send_json(send, await answer(data, login, services))


def _taken(scope: Scope) -> tuple[int, bytes] | None:
    """The announced length and the Authorization header of a request the quick path
    takes (read in one pass over the headers); None for the route's."""
    if scope["method"] != "POST" or scope.get("query_string"):
        return None
    kind, length, authorization = None, None, b""
    for name, value in scope["headers"]:
        if name == b"content-type":
            kind = value.partition(b";")[0].strip().lower()
        elif name == b"content-length":
            length = int(value) if value.isdigit() else None
        elif name == b"authorization":
            authorization = value
    if kind != b"application/json" or authorization[:7].lower() != b"bearer ":
        return None
    if length is None or not 0 < length <= QUICK_BODY_BYTES:
        return None
    return length, authorization


async def _read(receive: Receive, length: int) -> tuple[bytes, bool]:
    """The body, and whether it came whole and of the announced length (the server
    never hands on more than the length announced)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False  # the client went away: the route says so
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            body = b"".join(chunks)
            return body, len(body) == length


def _decoded(body: bytes) -> CheckinIn | None:
    if json_has_nul(body):
        return None
    try:
        return _decode.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
