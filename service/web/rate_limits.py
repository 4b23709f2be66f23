"""Per-client rate limits: at most N requests in any 60 seconds, counted in one atomic
round trip to the shared store, so every host sees the same count and concurrent
requests cannot slip past the limit between a read and a write (as Litestar's
read-then-write limiter let them, and which serialised every request of a process on
one lock while it waited for Redis twice).

Answers carry the IETF draft's `RateLimit-*` headers; a refusal is 429 `rate_limited`
with `Retry-After` (`problems`). Where the store is away the limiter fails open or
closed as its store does (`cache.Guarded`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import DefineMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

WINDOW_SECONDS = 60


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "127.0.0.1"


@dataclass(frozen=True, slots=True)
class RateLimit:
    """`per_minute` requests per client (`identify`) in any 60 s, counted in `store`
    under `name`; only the requests `check` says (all by default)."""

    name: str
    per_minute: int
    store: str
    check: Callable[[Request[Any, Any, Any]], bool] | None = None
    identify: Callable[[Request[Any, Any, Any]], str] = client_address

    @property
    def fixed_headers(self) -> list[tuple[bytes, bytes]]:
        """The answer's headers that do not change from one request to the next."""
        return [
            (b"ratelimit-policy", f"{self.per_minute}; w={WINDOW_SECONDS}".encode()),
            (b"ratelimit-limit", str(self.per_minute).encode()),
        ]

    @property
    def middleware(self) -> DefineMiddleware:
        return DefineMiddleware(SlidingWindow, limit=self)


class SlidingWindow:
    """The middleware of a `RateLimit`."""

    def __init__(self, app: ASGIApp, limit: RateLimit) -> None:
        self.app = app
        self.limit = limit
        self.fixed = limit.fixed_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit
        request: Request[Any, Any, Any] = scope["litestar_app"].request_class(scope)
        if limit.check is not None and not limit.check(request):
            await self.app(scope, receive, send)
            return
        store = scope["litestar_app"].stores.get(limit.store)
        key = f"{limit.name}:{limit.identify(request)}"
        now = time.time()
        count, oldest = await store.hit(key, now, WINDOW_SECONDS, limit.per_minute)
        # Requests of the same client read their clocks before their counts land, in any
        # order: the oldest counted may be a little later than this one's `now`.
        reset = min(WINDOW_SECONDS, max(1, math.ceil(oldest + WINDOW_SECONDS - now)))
        remaining = str(max(0, limit.per_minute - count))
        if count > limit.per_minute:
            headers = {
                "RateLimit-Policy": f"{limit.per_minute}; w={WINDOW_SECONDS}",
                "RateLimit-Limit": str(limit.per_minute),
                "RateLimit-Remaining": remaining,
                "RateLimit-Reset": str(reset),
            }
            raise TooManyRequestsException(headers=headers)
        added = [
            *self.fixed,
            (b"ratelimit-remaining", remaining.encode()),
            (b"ratelimit-reset", str(reset).encode()),
        ]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":  # no route sets these names
                message["headers"] = [*message.get("headers", ()), *added]
            await send(message)

        await self.app(scope, receive, sending)


def is_limited(handler: Any) -> bool:
    """Whether a route handler sits behind a rate limit (the OpenAPI documents its 429)."""
    return any(
        getattr(middleware, "middleware", None) is SlidingWindow
        for middleware in handler.resolve_middleware()
    )
