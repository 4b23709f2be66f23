"""Prometheus metrics at /metrics, only when METRICS_TOKEN is set and only to
`Authorization: Bearer <METRICS_TOKEN>` (401 otherwise; 404 when unset).

Litestar's Prometheus middleware counts and times every request by route template
(`officer_cert_requests_total`, `officer_cert_request_duration_seconds`, ...); `observe`
adds what operators watch: public lookups, refused logins and rate-limited requests, read
off each answer's route and status; the check-in handler counts check-ins itself (it knows
whether a scan was a check-in or a check-out). Labels are route templates and error codes,
never a path or a value, so the series stay few and no ID number or token reaches them.

With `serve --workers N` each worker keeps its counts in PROMETHEUS_MULTIPROC_DIR
(`serve` makes one), and a scrape adds them up.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from litestar import Controller
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import Message, Scope
from prometheus_client import Counter

from service.domain.errors import Unauthenticated
from service.web.login import is_admin_login

APP_NAME = "officer_cert"

CHECKINS = Counter(f"{APP_NAME}_checkins_total", "Session QR scans recorded, by action", ["action"])
CHECKINS_REFUSED = Counter(
    f"{APP_NAME}_checkins_refused_total", "Session QR scans refused, by error code", ["code"]
)
PUBLIC_LOOKUPS = Counter(
    f"{APP_NAME}_public_lookups_total",
    "Answers of the public pages and JSON (verify, card QR, status list, JWKS), by route",
    ["route", "status"],
)
LOGINS_REFUSED = Counter(
    f"{APP_NAME}_logins_refused_total", "Logins refused for their credentials", ["login"]
)
RATE_LIMITED = Counter(
    f"{APP_NAME}_rate_limited_total", "Requests refused with 429, by limiter", ["limiter"]
)

LOGINS = {
    "/api/v1/auth/token": "api",
    "/mobile/v1/auth/token": "mobile",
}
PUBLIC = ("/api/v1/public/", "/verify", "/v/", "/.well-known/")


def prometheus_config() -> PrometheusConfig:
    return PrometheusConfig(
        app_name=APP_NAME,
        prefix=APP_NAME,
        group_path=True,  # the route template, not the path: /verify/{number}
        exclude=["/metrics"],
    )


def require_token(
    token: str,
) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]:
    expected = f"Bearer {token}".encode()

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        given = connection.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            raise Unauthenticated(
                "Send the metrics token as a bearer token.", code="auth.metrics_token"
            )

    return guard


def controller(token: str) -> type[Controller]:
    class Metrics(PrometheusController):
        path = "/metrics"
        include_in_schema = False
        guards = [require_token(token)]  # noqa: RUF012 - Litestar reads it off the class

    return Metrics


async def observe(message: Message, scope: Scope) -> None:
    """A `before_send` hook: it sees every answer, those of Litestar's outermost error
    handler too (a 429 of the rate limiter), which no middleware does."""
    if message["type"] == "http.response.start" and scope["type"] == "http":
        count(scope, int(message["status"]))


def count(scope: Scope, status: int) -> None:
    route = str(scope.get("path_template") or "")
    admin_login = route == "/admin" and is_admin_login(scope)
    if status == 429:
        limiter = (
            "public" if route.startswith(PUBLIC) else "admin_login" if admin_login else "login"
        )
        RATE_LIMITED.labels(limiter).inc()
    elif status == 401 and (route in LOGINS or admin_login):
        LOGINS_REFUSED.labels(LOGINS.get(route, "admin")).inc()
    if route.startswith(PUBLIC):
        PUBLIC_LOOKUPS.labels(route, str(status)).inc()
