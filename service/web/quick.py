"""Writing a JSON answer straight to the ASGI `send`, for the quick paths of hot routes
(`mobile_api.quick_scans`, `service.http.quick_lookups`): the headers Litestar would give
the same answer, the middleware around the route adding the rest."""

from __future__ import annotations

import msgspec
from litestar.types import Send

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
