"""What both logins (staff and officers) share: the request fields, the token answer and
the rate limit per client address."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

import msgspec
from litestar import Request
from litestar.types import Scope

from service.usecases import auth
from service.web.rate_limits import RateLimit
from service.web.routing import requested_path

Username = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class TokenResponse(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret


def token_response(pair: auth.TokenPair) -> TokenResponse:
    return TokenResponse(pair.access_token, pair.refresh_token, pair.expires_in)


def login_rate_limit(
    per_minute: int, only: Callable[[Request[Any, Any, Any]], bool] | None = None
) -> RateLimit:
    """Per client address; the store is Redis when REDIS_URL is set, so processes share it.
    `only` picks the requests counted (all, by default)."""
    return RateLimit("login", per_minute, store="rate_limit", check=only)


ADMIN_LOGIN = "/admin/public/login"  # Piccolo Admin's password login


def is_admin_login(scope: Scope) -> bool:
    """The admin's password login (however its path is spelled), which is limited and
    counted like the API's."""
    if scope.get("method") != "POST":
        return False
    return re.sub("/+", "/", requested_path(scope)).rstrip("/") == ADMIN_LOGIN
