"""The one mapping from errors to RFC 9457 problem details with a stable `code`."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from tortoise.exceptions import DBConnectionError, IntegrityError, OperationalError

from service.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooLarge,
    TooMany,
    Unauthenticated,
    Unavailable,
)
from service.store.outages import is_outage
from service.web.nul import bad_text

log = logging.getLogger(__name__)

# Text PostgreSQL cannot hold: a NUL that reached it some way `web.nul` does not guard.
_UNSTORABLE_TEXT = (asyncpg.CharacterNotInRepertoireError, asyncpg.UntranslatableCharacterError)

_DOMAIN_STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    Unauthenticated: 401,
    Forbidden: 403,
    TooLarge: 413,
    TooMany: 429,
    Unavailable: 503,
}

# Errors Litestar raises itself, before a handler runs; and the edge's own answers.
HTTP_CODES = {
    400: ("request.invalid", "Bad request"),
    401: ("auth.unauthenticated", "Not authenticated"),
    403: ("auth.forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("request.method_not_allowed", "Method not allowed"),
    413: ("request.too_large", "Request body too large"),
    415: ("request.unsupported_media_type", "Unsupported media type"),
    429: ("rate_limited", "Too many requests"),
}
INTERNAL = ("internal", "Internal error")
REFUSED = ("request.refused", "Request refused")
INVALID_BODY = ("request.invalid_body", "Invalid request")
CONFLICT = ("conflict", "Conflict")
EDGE_CODES = frozenset(
    code for code, _ in (*HTTP_CODES.values(), INTERNAL, REFUSED, INVALID_BODY, CONFLICT)
)


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    /,
    **extra: Any,
) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=status,
        title=title,
        detail=detail,
        headers=headers,
        extra={"code": code, **extra},
    )


def http_status(exc: DomainError) -> int:
    """The HTTP status of a domain error (the admin's guards answer with it too)."""
    return next((s for kind, s in _DOMAIN_STATUS.items() if isinstance(exc, kind)), 400)


RETRY_AFTER = {"Retry-After": "5"}  # seconds, for a dependency that is away


def from_domain(exc: DomainError) -> ProblemDetailsException:
    status = http_status(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 503:
        headers = RETRY_AFTER
    return problem(status, exc.code, exc.title, exc.detail, headers, **exc.extra)


def unavailable() -> ProblemDetailsException:
    return from_domain(
        Unavailable(
            "A service this one depends on (the database or Redis) does not answer; "
            "try again shortly.",
            code="service.unavailable",
        )
    )


def from_http(exc: HTTPException) -> ProblemDetailsException:
    status = exc.status_code
    if status >= 500:
        return problem(status, *INTERNAL, "The server could not answer.")
    code, title = HTTP_CODES.get(status, REFUSED)
    extra: dict[str, Any] = {}
    detail = exc.detail
    headers = dict(exc.headers or {})
    if status == 429 and "RateLimit-Reset" in headers:
        headers.setdefault("Retry-After", headers["RateLimit-Reset"])
    if isinstance(exc, ValidationException):
        code, title = INVALID_BODY
        if isinstance(exc.extra, list):
            extra["errors"] = exc.extra
    return problem(status, code, title, detail, headers or None, **extra)


def from_database(exc: Exception) -> ProblemDetailsException:
    """Tortoise's connection and operation errors: an outage is a 503; text the database
    cannot hold (a NUL in a multipart field) is the request's 422 `request.bad_text`;
    anything else is the code's fault and stays a 500."""
    if isinstance(exc.__cause__, _UNSTORABLE_TEXT):
        return from_domain(bad_text())
    if is_outage(exc):
        log.warning("database away: %s", type(exc).__name__)
        return unavailable()
    log.error("database error reached the edge", exc_info=exc)
    return problem(500, *INTERNAL, "The server could not answer.")


def from_integrity(exc: IntegrityError) -> ProblemDetailsException:
    # A use case that expects a duplicate says so with its own code; this is the net.
    log.info("integrity error reached the edge: %s", type(exc).__name__)
    return problem(409, *CONFLICT, "The change clashes with existing data.")


def _route(request: Request[Any, Any, Any]) -> str:
    """The route template: a path can hold a token or a certificate number (see web.logs)."""
    return str(request.scope.get("path_template") or "-")


def _internal(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if is_outage(exc):
        log.warning(
            "dependency away on %s %s: %s", request.method, _route(request), type(exc).__name__
        )
        return unavailable().to_response(request)
    log.error("unhandled error on %s %s", request.method, _route(request), exc_info=exc)
    return problem(500, *INTERNAL, "The server could not answer.").to_response(request)


problem_details = ProblemDetailsPlugin(
    ProblemDetailsConfig(
        exception_to_problem_detail_map={
            DomainError: from_domain,
            HTTPException: from_http,
            IntegrityError: from_integrity,
            DBConnectionError: from_database,
            OperationalError: from_database,
        }
    )
)
exception_handlers = {Exception: _internal}
