"""The officers' routers, mounted by `service.app`."""

from __future__ import annotations

from litestar import Router

from mobile_api.auth import officer_token
from mobile_api.checkins import check_in
from mobile_api.claims import file_claim, my_claims
from mobile_api.me import (
    my_certificate,
    my_checkin_code,
    my_photo,
    my_presentation,
    my_presentation_qr,
    my_progress,
    my_reminders,
    my_sessions,
)
from mobile_api.pages import (
    home,
    personal_code_page,
    presentation_page,
    progress_page,
    scan_page,
    typed_code_page,
)
from mobile_api.quick_scans import QuickScans
from service.settings import Settings
from service.web.deps import (
    SECURITY,
    officer_dependency,
    officer_login_dependency,
    services_dependency,
)
from service.web.login import login_rate_limit


def build_routers(settings: Settings) -> list[Router]:
    auth = Router(
        "/mobile/v1/auth",
        route_handlers=[officer_token],
        dependencies=services_dependency,
        middleware=[login_rate_limit(settings.login_rate_per_minute).middleware],
        tags=["mobile"],
    )
    me = Router(
        "/mobile/v1/me",
        route_handlers=[
            my_certificate,
            my_progress,
            my_reminders,
            my_sessions,
            my_presentation,
            my_presentation_qr,
            my_photo,
            my_checkin_code,
        ],
        dependencies={**services_dependency, **officer_dependency},
        security=SECURITY,
        tags=["mobile"],
    )
    scans = Router(
        "/mobile/v1",
        route_handlers=[check_in],
        # The common scan is answered by this middleware, without the route's machinery.
        middleware=[QuickScans],
        dependencies={**services_dependency, **officer_login_dependency},
        security=SECURITY,
        tags=["mobile"],
    )
    uploads = Router(
        "/mobile/v1/me",
        route_handlers=[file_claim, my_claims],
        dependencies={**services_dependency, **officer_dependency},
        security=SECURITY,
        tags=["mobile"],
        # The evidence file plus the form around it; sniff() enforces the file's own limit.
        request_max_body_size=settings.evidence_max_bytes + 64_000,
    )
    pages = Router(
        "/m",
        route_handlers=[
            scan_page,
            progress_page,
            presentation_page,
            typed_code_page,
            personal_code_page,
            home,
        ],
        dependencies=services_dependency,
    )
    return [auth, me, scans, uploads, pages]
