"""The services of the Litestar app serving the admin's current request.

The Piccolo Admin app is built once per process and shared by every app instance in it
(the test suite starts hundreds), and Piccolo calls some of our code (the login) with
nothing of the request; so the serving app's services ride in a context variable set
for the request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from service.usecases.services import Services

_services: ContextVar[Services | None] = ContextVar("admin_services", default=None)


@contextmanager
def serving(services: Services) -> Iterator[None]:
    """The admin request that runs inside uses these services."""
    token = _services.set(services)
    try:
        yield
    finally:
        _services.reset(token)


def current_services() -> Services:
    services = _services.get()
    if services is None:
        raise RuntimeError("no admin request is being served")
    return services
