"""Security headers on every answer, set in one ASGI middleware.

- Every answer: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (check-in
  and card tokens travel in URLs), `X-Frame-Options: DENY`; HSTS when `PUBLIC_BASE_URL` is
  https.
- Every HTML page: a Content-Security-Policy with `frame-ancestors 'none'` and no
  `unsafe-inline` for scripts: our templates mark their inline scripts with the request's
  nonce (`{{ csp_nonce() }}`); the API docs pages, which Litestar writes, get the hashes
  of their inline scripts and their CDN; the admin's page loads only its own files.
- Every answer to a request with credentials, and every private page or API answer:
  `Cache-Control: no-store`.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

NONCE_KEY = "officer_cert.csp_nonce"
PRIVATE = ("/api/v1/", "/mobile/", "/m/", "/admin", "/dashboard", "/sessions/")
PUBLIC_API = "/api/v1/public/"
DOCS = "/schema"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def csp_nonce(context: Mapping[str, Any]) -> str:
    """The request's CSP nonce, made on first use (a Jinja callable: `{{ csp_nonce() }}`)."""
    scope = context["request"].scope
    nonce: str | None = scope.get(NONCE_KEY)
    if nonce is None:
        nonce = scope[NONCE_KEY] = secrets.token_urlsafe(16)
    return nonce


def policy(script_sources: str) -> str:
    scripts = f"'self' {script_sources}".rstrip()
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; "
        "font-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


class SecurityHeaders:
    """The middleware; `hsts` when the service is reached over https."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = _is_private(scope)
        docs = scope["path"].startswith(DOCS)
        held: list[Message] = []

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                if docs and _is_html(message):
                    held.append(message)  # its scripts are hashed from the body
                    return
                _decorate(message, scope, private=private, hsts=self.hsts, hashes="")
            elif held:
                held.append(message)
                if message.get("more_body"):
                    return
                body = b"".join(m.get("body", b"") for m in held[1:])
                _decorate(held[0], scope, private=private, hsts=self.hsts, hashes=_hashes(body))
                await send(held[0])
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, sending)


def guard_the_rest(*, hsts: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A `before_send` hook for the answers no middleware sees: those Litestar's outermost
    error handler sends (a rate limiter's 429, a 404 of no route) get the same headers."""

    async def guard(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope["type"] != "http":
            return
        if any(name == b"x-content-type-options" for name, _ in message.get("headers", [])):
            return  # the middleware's already
        _decorate(message, scope, private=_is_private(scope), hsts=hsts, hashes="")

    return guard


def _is_private(scope: Scope) -> bool:
    path: str = scope["path"]
    credentials = any(name == b"authorization" for name, _ in scope["headers"])
    return credentials or (path.startswith(PRIVATE) and not path.startswith(PUBLIC_API))


def _is_html(message: Message) -> bool:
    return any(
        name == b"content-type" and value.startswith(b"text/html")
        for name, value in message.get("headers", [])
    )


def _hashes(body: bytes) -> str:
    found = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body)
    ]
    return " ".join(found)


def _decorate(message: Message, scope: Scope, *, private: bool, hsts: bool, hashes: str) -> None:
    headers = [
        (n, v) for n, v in message.get("headers", []) if n != b"cache-control" or not private
    ]
    names = {name for name, _ in headers}
    headers.append((b"x-content-type-options", b"nosniff"))
    headers.append((b"referrer-policy", b"no-referrer"))
    headers.append((b"x-frame-options", b"DENY"))
    if hsts:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    if private:
        headers.append((b"cache-control", b"no-store"))
    if _is_html(message) and b"content-security-policy" not in names:
        nonce = scope.get(NONCE_KEY)
        sources = hashes or (f"'nonce-{nonce}'" if nonce else "")
        headers.append((b"content-security-policy", policy(sources).encode()))
    message["headers"] = headers
