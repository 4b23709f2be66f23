"""Composition root: `create_app()` wires settings, database, routes and error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from tortoise import Tortoise

import mobile_api
from mobile_api.router import build_routers as build_mobile_routers
from service.clock import Clock
from service.http import auth as auth_routes
from service.http import public as public_routes
from service.http.annual_reviews import AnnualReviewController
from service.http.attendance import AttendanceController
from service.http.bench import ceiling
from service.http.certificates import CertificateController
from service.http.claims import ClaimController
from service.http.deps import COMPONENTS, SECURITY, services_dependency, staff_dependency
from service.http.display import display
from service.http.errors import exception_handlers, problem_details
from service.http.health import health
from service.http.officers import OfficerController
from service.http.progress import HoursController
from service.http.records import OfficerRecordsController
from service.http.reference import AgencyController, RegionController
from service.http.requirements import RequirementController
from service.http.sessions import SessionController
from service.settings import Settings, get_settings
from service.store.cache import cache_store, store_registry
from service.store.config import tortoise_config
from service.usecases.services import Services

log = logging.getLogger(__name__)
TEMPLATE_DIRS = [
    Path(__file__).parent / "http" / "templates",
    Path(mobile_api.__file__).parent / "templates",
]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> Litestar:
    settings = settings or get_settings()
    stores = store_registry(settings)
    services = Services.build(settings, clock, cache=cache_store(settings, stores))

    @asynccontextmanager
    async def database(_: Litestar) -> AsyncIterator[None]:
        # Tortoise keeps its context in a ContextVar; the lifespan runs in its own task,
        # so the global fallback makes the connections visible to every request.
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await Tortoise.init(
            config=tortoise_config(settings.database_url), _enable_global_fallback=True
        )
        try:
            yield
        finally:
            await Tortoise.close_connections()

    staff_api = Router(
        "/",
        route_handlers=[
            RegionController,
            AgencyController,
            OfficerController,
            OfficerRecordsController,
            CertificateController,
            AnnualReviewController,
            RequirementController,
            SessionController,
            AttendanceController,
            HoursController,
            ClaimController,
        ],
        dependencies={**services_dependency, **staff_dependency},
        security=SECURITY,
    )
    bench = [ceiling] if settings.bench_endpoints else []
    return Litestar(
        route_handlers=[
            *bench,
            health,
            Router("/", route_handlers=[display], dependencies=services_dependency),
            auth_routes.build_router(settings.login_rate_per_minute),
            public_routes.build_router(settings),
            *build_mobile_routers(settings),
            staff_api,
        ],
        lifespan=[database],
        state=State({"services": services}),
        plugins=[problem_details],
        exception_handlers=exception_handlers,
        stores=stores,
        request_max_body_size=settings.max_body_bytes,
        template_config=TemplateConfig(directory=TEMPLATE_DIRS, engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(
            title="officer-cert: 行政执法证件与培训学时",
            version="1.0.0",
            description="Enforcement certificates and training hours for justice bureaus.",
            path="/schema",
            components=COMPONENTS,
            render_plugins=[SwaggerRenderPlugin(), ScalarRenderPlugin(path="/scalar")],
        ),
    )
