"""The one mapping from errors to RFC 9457 problem details with a stable `code`."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from tortoise.exceptions import IntegrityError

from service.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooLarge,
    Unauthenticated,
    Unavailable,
)

log = logging.getLogger(__name__)

_DOMAIN_STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    Unauthenticated: 401,
    Forbidden: 403,
    TooLarge: 413,
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


def from_domain(exc: DomainError) -> ProblemDetailsException:
    status = http_status(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem(status, exc.code, exc.title, exc.detail, headers, **exc.extra)


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


def from_integrity(exc: IntegrityError) -> ProblemDetailsException:
    # A use case that expects a duplicate says so with its own code; this is the net.
    log.info("integrity error reached the edge: %s", exc)
    return problem(409, *CONFLICT, "The change clashes with existing data.")


def _internal(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, *INTERNAL, "The server could not answer.").to_response(request)


problem_details = ProblemDetailsPlugin(
    ProblemDetailsConfig(
        exception_to_problem_detail_map={
            DomainError: from_domain,
            HTTPException: from_http,
            IntegrityError: from_integrity,
        }
    )
)
exception_handlers = {Exception: _internal}
