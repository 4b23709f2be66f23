"""Domain errors: each carries a stable `code` that clients may rely on.

The kind of error (not the HTTP status) is chosen here; the mapping to HTTP lives in
`service.web.problems`, the one place that knows about status codes.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error the rules raise. `code` is stable; `detail` is for people."""

    code: str = "error"
    title: str = "Request refused"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.extra = extra


class InvalidInput(DomainError):
    """The input is well-formed but breaks a rule (a bad checksum, an unknown code)."""

    code = "request.invalid"
    title = "Invalid input"


class NotFound(DomainError):
    """The thing does not exist, or lies outside the caller's jurisdiction."""

    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate, a refused transition)."""

    code = "conflict"
    title = "Conflict"


class Unauthenticated(DomainError):
    """No credentials, or credentials that are wrong, expired or revoked."""

    code = "auth.unauthenticated"
    title = "Not authenticated"


class Forbidden(DomainError):
    """Authenticated, but this role may not do this."""

    code = "auth.forbidden"
    title = "Forbidden"


class TooLarge(DomainError):
    """An upload above the size limit."""

    code = "request.too_large"
    title = "Too large"


class TooMany(DomainError):
    """Too many of something in a while (a limit that is a rule, not the edge's)."""

    code = "request.too_many"
    title = "Too many requests"


class Unavailable(DomainError):
    """The server lacks something it needs (a font, a service); the detail names it."""

    code = "service.unavailable"
    title = "Service unavailable"
