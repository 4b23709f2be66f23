"""Composition root: `create_app()` wires settings, database, routes and error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar, Router, asgi
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response.redirect import ASGIRedirectResponse
from litestar.template.config import TemplateConfig
from litestar.types import Receive, Scope, Send
from tortoise.exceptions import OperationalError as DBOperationalError

import admin
import mobile_api
from admin import importing as admin_importing
from admin.site import AdminSite, build_admin
from mobile_api.router import build_routers as build_mobile_routers
from service.clock import Clock
from service.http import auth as auth_routes
from service.http import exchange as exchange_routes
from service.http import photos as photo_routes
from service.http import public as public_routes
from service.http.annual_report import annual
from service.http.annual_reviews import AnnualReviewController
from service.http.attendance import AttendanceController
from service.http.bench import ceiling
from service.http.certificates import CertificateController
from service.http.claims import ClaimController
from service.http.display import dashboard_page, display, scan_page, scan_worker
from service.http.feedback import FeedbackController
from service.http.health import health
from service.http.imports import ImportController
from service.http.notifications import NotificationController
from service.http.officers import OfficerController
from service.http.progress import HoursController
from service.http.records import OfficerRecordsController
from service.http.reference import AgencyController, RegionController
from service.http.reports import ReportController
from service.http.requirements import RequirementController
from service.http.sessions import SessionController
from service.notify.running import worker_running
from service.security.keys import KeyEncryptionError
from service.settings import Settings, get_settings
from service.store.cache import build_stores
from service.store.database import connected
from service.store.outages import is_outage
from service.usecases.services import Services
from service.web import docs, logs, metrics, vendored
from service.web.deps import COMPONENTS, SECURITY, services_dependency, staff_dependency
from service.web.headers import SecurityHeaders, csp_nonce, guard_the_rest
from service.web.login import is_admin_login, login_rate_limit
from service.web.nul import refuse_nul
from service.web.openapi import StrictStructs, document_errors
from service.web.problems import exception_handlers, problem_details
from service.web.routing import fix_options_allow, requested_path

log = logging.getLogger(__name__)
TEMPLATE_DIRS = [
    Path(__file__).parent / "http" / "templates",
    Path(mobile_api.__file__).parent / "templates",
    Path(admin.__file__).parent / "templates",
]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> Litestar:
    settings = settings or get_settings()
    stores = build_stores(settings)
    services = Services.build(settings, clock, cache=stores.cache)
    admin_site = build_admin(settings, services)

    @asynccontextmanager
    async def database(_: Litestar) -> AsyncIterator[None]:
        async with connected(settings), AsyncExitStack() as stack:
            await prepare_keys(services)
            await admin_site.start()
            if settings.worker == "on":
                await stack.enter_async_context(worker_running(services))
            try:
                yield
            finally:
                await stack.aclose()
                await admin_site.stop()
                await services.after_commit.drain()

    staff_api = Router(
        "/",
        route_handlers=[
            RegionController,
            AgencyController,
            OfficerController,
            ImportController,
            OfficerRecordsController,
            CertificateController,
            AnnualReviewController,
            RequirementController,
            SessionController,
            AttendanceController,
            HoursController,
            ClaimController,
            ReportController,
            annual,
            photo_routes.set_photo,
            photo_routes.staff_photo,
            FeedbackController,
            NotificationController,
        ],
        dependencies={**services_dependency, **staff_dependency},
        security=SECURITY,
    )
    bench = [ceiling] if settings.bench_endpoints else []
    observed: list[Any] = []
    watching: list[Any] = []
    answered: list[Any] = [logs.answered, guard_the_rest(hsts=settings.https)]
    if settings.metrics_token:
        observed = [metrics.controller(settings.metrics_token)]
        watching = [metrics.prometheus_config().middleware]
        answered.append(metrics.observe)
    app = Litestar(
        route_handlers=[
            *bench,
            *observed,
            health,
            Router(
                "/",
                route_handlers=[display, dashboard_page, scan_page, scan_worker],
                dependencies=services_dependency,
            ),
            auth_routes.build_router(settings.login_rate_per_minute),
            exchange_routes.build_router(settings.exchange_rate_per_minute),
            public_routes.build_router(settings),
            *build_mobile_routers(settings),
            staff_api,
            admin_mount(admin_site),
            admin_importing.build_router(),
            docs.assets(),
            vendored.jsqr_assets(),
        ],
        lifespan=[database],
        state=State({"services": services, "stores": stores}),
        plugins=[problem_details, StrictStructs()],
        exception_handlers=exception_handlers,
        stores=stores.registry,
        request_max_body_size=settings.max_body_bytes,
        template_config=TemplateConfig(
            directory=TEMPLATE_DIRS,
            engine=JinjaTemplateEngine,
            engine_callback=lambda engine: engine.register_template_callable(
                "csp_nonce", csp_nonce
            ),
        ),
        middleware=[
            logs.RequestIds,
            *watching,
            DefineMiddleware(SecurityHeaders, hsts=settings.https),
        ],
        before_request=refuse_nul,
        before_send=answered,
        logging_config=None,  # `serve` configures logging (service.logs), not Litestar
        openapi_config=OpenAPIConfig(
            title="officer-cert: 行政执法证件与培训学时",
            version="1.0.0",
            description="Enforcement certificates and training hours for justice bureaus.",
            path="/schema",
            components=COMPONENTS,
            render_plugins=[docs.swagger_ui()],
        ),
    )
    document_errors(app)
    fix_options_allow(app)
    return app


async def prepare_keys(services: Services) -> None:
    """The signing keys read and opened before the first request. A key-encryption key
    that does not open them stops the start; a database that does not answer yet does
    not (`/health` says so, and the rings are read at their first use)."""
    try:
        await services.prepare_keys()
    except KeyEncryptionError:
        raise
    except Exception as error:
        if not is_outage(error) and not isinstance(error, DBOperationalError):
            raise
        log.warning("The signing keys could not be read at start (%r); reading them later", error)


def admin_mount(site: AdminSite) -> Any:
    """/admin: Piccolo Admin (its own session login; the API's bearer tokens play no part).

    Litestar hands a mount the rest of the path with a slash appended, which static files
    cannot take, so the original path is passed on, with /admin as the root path, the way
    Starlette expects a mounted app's scope to look."""

    limit = login_rate_limit(
        site.services.settings.login_rate_per_minute, lambda request: is_admin_login(request.scope)
    )

    @asgi(
        "/admin",
        is_mount=True,
        copy_scope=True,
        include_in_schema=False,
        middleware=[limit.middleware],
    )
    async def admin(scope: Scope, receive: Receive, send: Send) -> None:
        root = scope.get("root_path", "") + "/admin"
        path = requested_path(scope)
        if path == root:
            await ASGIRedirectResponse(path=root + "/", status_code=308)(scope, receive, send)
            return
        await site({**scope, "path": path, "root_path": root}, receive, send)  # type: ignore[arg-type]

    return admin
