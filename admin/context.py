"""What a request to the admin carries from the Litestar app that mounted it.

The Piccolo Admin app is built once per process and shared by every app instance in it
(the test suite starts hundreds); the services of the app serving the request ride in
the ASGI scope."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from service.usecases.services import Services

SCOPE_KEY = "officer_cert.services"


def with_services(scope: dict[str, Any], services: Services) -> dict[str, Any]:
    return {**scope, SCOPE_KEY: services}


def services_of(request: Request) -> Services:
    services: Services = request.scope[SCOPE_KEY]
    return services
