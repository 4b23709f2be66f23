"""The officers' routers, mounted by `service.app`."""

from __future__ import annotations

from litestar import Router

from mobile_api.auth import officer_token
from service.http.auth import login_rate_limit
from service.http.deps import services_dependency


def build_routers(login_per_minute: int) -> list[Router]:
    auth = Router(
        "/mobile/v1/auth",
        route_handlers=[officer_token],
        dependencies=services_dependency,
        middleware=[login_rate_limit(login_per_minute).middleware],
        tags=["mobile"],
    )
    return [auth]
