"""Routing: the path as the client sent it, and a fix for Litestar 2's routing, until
Litestar 3 (which fixes it) can be used.

Litestar 2.x answers `OPTIONS` on a path served by several handlers with an `Allow`
header naming only the first handler's methods (litestar-org/litestar#4169): the
default OPTIONS handler keeps the route it was made for, which the merged route then
replaces. `fix_options_allow` points each default handler at the route it serves.
"""

from __future__ import annotations

from urllib.parse import unquote

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.types import Scope


def requested_path(scope: Scope) -> str:
    """The whole path the client asked for, percent-decoded, without the query (a mount's
    `path` holds only the rest of it)."""
    raw = scope.get("raw_path") or scope["path"].encode()
    return unquote(raw.decode("latin-1").split("?", 1)[0])


def fix_options_allow(app: Litestar) -> None:
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            closure = getattr(handler.fn, "__closure__", None) or ()
            if handler.handler_name == "options_handler" and handler.fn.__code__.co_freevars == (
                "self",
            ):
                closure[0].cell_contents = route
