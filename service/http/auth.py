"""Staff login: `/api/v1/auth/token`, `/refresh`, `/logout`."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Router, post
from litestar.params import JSONBody

from service.usecases import auth
from service.web.deps import ServicesDep, services_dependency
from service.web.login import Password, TokenResponse, Username, login_rate_limit, token_response

Opaque = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: Username
    password: Password


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Opaque


@post("/token", status_code=200, summary="Log in (staff)")
async def issue_token(data: JSONBody[TokenRequest], services: ServicesDep) -> TokenResponse:
    """Exchange a staff username and password for an access and a refresh token."""
    pair = await auth.login(services, data.username, data.password, kind=auth.ClientKind.STAFF)
    return token_response(pair)


@post("/refresh", status_code=200, summary="Refresh tokens")
async def refresh_token(data: JSONBody[RefreshRequest], services: ServicesDep) -> TokenResponse:
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    return token_response(await auth.refresh(services, data.refresh_token))


@post("/logout", status_code=204, summary="Log out")
async def logout(data: JSONBody[RefreshRequest], services: ServicesDep) -> None:
    """Revoke the refresh token (and any token refreshed from the same login)."""
    await auth.logout(services, data.refresh_token)


def build_router(per_minute: int) -> Router:
    return Router(
        "/api/v1/auth",
        route_handlers=[issue_token, refresh_token, logout],
        dependencies=services_dependency,
        middleware=[login_rate_limit(per_minute).middleware],
        tags=["auth"],
    )
