"""Dependencies shared by the controllers: the services, and the authenticated caller."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import Components, SecurityScheme

from service.domain.access import Principal
from service.domain.errors import Forbidden, Unauthenticated
from service.usecases.auth import caller, read_access_token
from service.usecases.login_sessions import Login
from service.usecases.services import Services

ServicesDep = NamedDependency[Services]
StaffDep = NamedDependency[Principal]
OfficerDep = NamedDependency[Principal]
OfficerLoginDep = NamedDependency[Login]

BEARER = "BearerToken"
API_KEY = "ApiKey"  # machine clients of the exchange
SECURITY: list[dict[str, list[str]]] = [{BEARER: []}]
API_KEY_SECURITY: list[dict[str, list[str]]] = [{API_KEY: []}]
COMPONENTS = Components(
    security_schemes={
        BEARER: SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
        API_KEY: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="API key (ock_...)",
            description="Made by `officer-cert api-keys create`; the exchange only.",
        ),
    }
)


def provide_services(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


def _token(request: Request[Any, Any, Any]) -> str:
    return token_of(request.headers.get("authorization", ""))


def token_of(header: str) -> str:
    """The bearer token of an Authorization header. Raises Unauthenticated."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            "Send Authorization: Bearer <access_token>.", code="auth.missing_token"
        )
    return token.strip()


async def _principal(request: Request[Any, Any, Any], services: ServicesDep) -> Principal:
    return await caller(services, _token(request))


async def provide_staff(request: Request[Any, Any, Any], services: ServicesDep) -> Principal:
    principal = await _principal(request, services)
    if not principal.role.is_staff:
        raise Forbidden("This endpoint is for staff accounts.", code="auth.wrong_kind")
    return principal


async def provide_officer(request: Request[Any, Any, Any], services: ServicesDep) -> Principal:
    principal = await _principal(request, services)
    if principal.officer_id is None:
        raise Forbidden("This endpoint is for officers.", code="auth.wrong_kind")
    return principal


async def provide_officer_login(request: Request[Any, Any, Any], services: ServicesDep) -> Login:
    """An officer's verified access token, its login not yet checked: the check-in checks
    it in the statement that records the scan (`usecases.checkins`)."""
    return await officer_login(services, _token(request))


async def officer_login(services: Services, token: str) -> Login:
    """`provide_officer_login` for a token already taken from its header."""
    login = await read_access_token(services, token)
    if login.principal.officer_id is None:
        raise Forbidden("This endpoint is for officers.", code="auth.wrong_kind")
    return login


services_dependency = {"services": Provide(provide_services, sync_to_thread=False)}
staff_dependency = {"staff": Provide(provide_staff)}
officer_dependency = {"officer": Provide(provide_officer)}
officer_login_dependency = {"login": Provide(provide_officer_login)}
