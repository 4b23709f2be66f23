"""The Piccolo Admin site: the tables of `admin.menu`, the forms, the login, built once
per process.

`build_admin` returns the ASGI app to mount at /admin and the engine to open and close
in the Litestar lifespan (a mounted app gets no lifespan events of its own).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo_admin.endpoints import create_admin
from piccolo_admin.translations.data import ENGLISH, SIMPLIFIED_CHINESE
from piccolo_api.rate_limiting.middleware import RateLimitProvider
from starlette.types import ASGIApp, Receive, Scope, Send

from admin import piccolo_patches
from admin import tables as t
from admin.auth import AdminAccount, AdminSession
from admin.context import serving
from admin.forms import build_forms
from admin.importing import sidebar_links
from admin.menu import table_configs
from service.settings import Settings
from service.usecases.services import Services
from service.web.quick import replaying

SITE_NAME = "行政执法证件与培训学时管理"
API = "/admin/api/"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def json_body_only(
    scope: Scope, receive: Receive, send: Send, max_bytes: int
) -> Receive | None:
    """The admin's API takes JSON only (its pages send nothing else): a write with
    another body, a malformed one or a too large one is answered here with a problem
    (415, 400, 413) and None is returned; otherwise a `receive` that replays the body."""
    headers = dict(scope["headers"])
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip()
    body = bytearray()
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > max_bytes:
            await _problem(send, 413, "request.too_large", "The body is too large.")
            return None
        if not message.get("more_body"):
            break
    if body or content_type:
        if content_type != b"application/json":
            await _problem(send, 415, "request.unsupported_media_type", "Send JSON.")
            return None
        try:
            json.loads(body)
        except ValueError:
            await _problem(send, 400, "request.invalid_body", "The body is not JSON.")
            return None
    return replaying(bytes(body), receive)


async def _problem(send: Send, status: int, code: str, detail: str) -> None:
    body = json.dumps({"status": status, "title": detail, "detail": detail, "code": code})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/problem+json")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


class NoLimit(RateLimitProvider):
    def increment(self, identifier: str) -> None:
        return None


@dataclass(frozen=True, slots=True)
class AdminOptions:
    """The settings the admin app is built from."""

    allowed_hosts: tuple[str, ...]
    production: bool
    session_hours: int


@dataclass(frozen=True, slots=True)
class AdminSite:
    """The admin as one Litestar app serves it: the shared Piccolo app, this app's
    database engine (opened and closed in its lifespan) and its services."""

    app: ASGIApp
    engine: Engine
    services: Services
    max_body_bytes: int

    async def start(self) -> None:
        t.bind(self.engine)
        if isinstance(self.engine, PostgresEngine):
            await self.engine.start_connection_pool(min_size=1, max_size=4)

    async def stop(self) -> None:
        if isinstance(self.engine, PostgresEngine):
            await self.engine.close_connection_pool()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in WRITES and scope["path"].startswith(API):
            receive = await json_body_only(scope, receive, send, self.max_body_bytes)
            if receive is None:
                return
        with serving(self.services):
            await self.app(scope, receive, send)


def engine_for(database_url: str) -> Engine:
    """Piccolo's engine for the service's DATABASE_URL (sqlite://path or postgres://...)."""
    if database_url.startswith("sqlite://"):
        path = database_url.removeprefix("sqlite://").split("?", 1)[0]
        return SQLiteEngine(path=str(Path(path)), timeout=10)
    parts = urlsplit(database_url)
    return PostgresEngine(config={"dsn": parts._replace(scheme="postgresql").geturl()})


def build_admin(settings: Settings, services: Services) -> AdminSite:
    options = AdminOptions(
        allowed_hosts=settings.admin_allowed_hosts,
        production=settings.https,
        session_hours=settings.admin_session_hours,
    )
    return AdminSite(
        admin_app(options), engine_for(settings.database_url), services, settings.max_body_bytes
    )


@lru_cache(maxsize=4)
def admin_app(options: AdminOptions) -> ASGIApp:
    """The Piccolo Admin app, built once per process and set of options (building one
    takes about half a second: a pydantic model and routes per table)."""
    piccolo_patches.install()  # each bureau admin's queries stay inside the region
    app: ASGIApp = create_admin(
        tables=table_configs(),
        forms=build_forms(),
        auth_table=AdminAccount,
        session_table=AdminSession,
        session_expiry=timedelta(hours=options.session_hours),
        max_session_expiry=timedelta(hours=options.session_hours * 3),
        increase_expiry=timedelta(minutes=30),
        site_name=SITE_NAME,
        default_language_code=SIMPLIFIED_CHINESE.language_code,
        translations=[SIMPLIFIED_CHINESE, ENGLISH],
        auto_include_related=False,
        allowed_hosts=list(options.allowed_hosts),
        production=options.production,
        page_size=30,
        sidebar_links=sidebar_links(),
        # The login limit is the service's own, shared through Redis (`LOGIN_PATH` in
        # service.app), so Piccolo's per-process one stands aside.
        rate_limit_provider=NoLimit(),
    )
    return app
