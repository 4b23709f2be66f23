"""The officers' routers, mounted by `service.app`."""

from __future__ import annotations

from litestar import Router

from mobile_api.auth import officer_token
from mobile_api.checkins import check_in
from mobile_api.me import my_certificate, my_progress
from service.http.auth import login_rate_limit
from service.http.deps import SECURITY, officer_dependency, services_dependency


def build_routers(login_per_minute: int) -> list[Router]:
    auth = Router(
        "/mobile/v1/auth",
        route_handlers=[officer_token],
        dependencies=services_dependency,
        middleware=[login_rate_limit(login_per_minute).middleware],
        tags=["mobile"],
    )
    me = Router(
        "/mobile/v1/me",
        route_handlers=[my_certificate, my_progress],
        dependencies={**services_dependency, **officer_dependency},
        security=SECURITY,
        tags=["mobile"],
    )
    scans = Router(
        "/mobile/v1",
        route_handlers=[check_in],
        dependencies={**services_dependency, **officer_dependency},
        security=SECURITY,
        tags=["mobile"],
    )
    return [auth, me, scans]
