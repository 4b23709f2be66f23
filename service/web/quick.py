"""ASGI pieces for the quick paths of hot routes (`mobile_api.quick_scans`,
`service.http.public.QuickLookups`) and for middleware that reads a body before the app
does (`admin.site`): a JSON answer written straight to `send`, with the headers Litestar
would give it (the middleware around the route adds the rest), and a body given again."""

from __future__ import annotations

import msgspec
from litestar.types import Message, Receive, Send

_encode = msgspec.json.Encoder()
_JSON = (b"content-type", b"application/json")


async def send_json(
    send: Send, value: object, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    content = _encode.encode(value)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [*headers, _JSON, (b"content-length", str(len(content)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": content})


def replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` as the app behind sees it: the body already read, then whatever comes
    next (a disconnect)."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed  # type: ignore[return-value]
