"""What the public reaches without logging in: the public JSON view of a certificate and
of a scanned card, the status list and the JWKS here, the pages in `verify_pages`.

Only the public view is ever shown: never an ID number, phone, birth date or note. All of
it is rate limited per client (shared through Redis when `REDIS_URL` is set).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from litestar import Response, Router, get
from litestar.params import FromPath
from litestar.types import ASGIApp, Receive, Scope, Send

from service.domain.public import StatusPurpose
from service.http import feedback, photos, public_history, roster, verify_pages
from service.http.verify_pages import FRESH
from service.settings import Settings
from service.usecases import certificate_history, verification
from service.usecases.verification import PublicView, Verdict
from service.web.deps import ServicesDep, services_dependency
from service.web.nul import url_has_nul
from service.web.quick import send_json
from service.web.rate_limits import RateLimit


class PublicCertificateOut(msgspec.Struct):
    number: str
    name: str
    agency: str
    enforcement_area: str
    enforcement_categories: list[str]
    status: str
    status_label: str
    valid_from: date | None
    valid_until: date | None
    last_review_year: int | None
    issuing_authority: str | None
    checked_at: datetime


def public_out(view: PublicView) -> PublicCertificateOut:
    record = view.record
    return PublicCertificateOut(
        number=record.number,
        name=record.name,
        agency=record.agency,
        enforcement_area=record.enforcement_area,
        enforcement_categories=record.enforcement_categories,
        status=str(view.status),
        status_label=view.status.label,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        last_review_year=record.last_review_year,
        issuing_authority=record.issuing_authority,
        checked_at=view.checked_at,
    )


class QuickLookups:
    """The plain lookup (no query string: `?at=` asks for a past day) answered without
    the framework's request machinery, as `mobile_api.quick_scans` answers a scan: the
    route's own middleware, so inside the rate limit, the request id and access line,
    the security headers and the error handling (a bad or unknown number gets the
    route's problem details); the same view, JSON and headers as the route's. A path
    with a NUL goes on to the route, which refuses it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "GET" or scope.get("query_string") or url_has_nul(scope):
            await self.app(scope, receive, send)
            return
        services = scope["app"].state.services
        view = await verification.public_certificate(services, scope["path_params"]["number"])
        await send_json(send, public_out(view), _FRESH)


_FRESH = tuple((name.lower().encode(), value.encode()) for name, value in FRESH.items())


@get(
    "/api/v1/public/certificates/{number:str}",
    summary="Public view of a certificate",
    # The plain lookup is answered by this middleware, without the route's machinery.
    middleware=[QuickLookups],
)
async def public_certificate(
    number: FromPath[str], services: ServicesDep, at: public_history.Day = None
) -> Response[PublicCertificateOut | public_history.OnDayOut]:
    """The public view only. 422 `certificate.bad_number` for a number whose check
    character is wrong (no lookup is made), 404 `certificate.not_found` when unknown.

    With `at=YYYY-MM-DD`, the status at the end of that day, read from the certificate's
    events, with the days and kinds of those events; `known` is false (and `unknown`
    says why) before it was issued or, for a certificate taken in from a file, before
    its import. 422 `certificate.bad_day` for a future day."""
    if at is not None:
        past = await certificate_history.certificate_on(services, number, at)
        return Response(public_history.on_day_out(past, services.now()), headers=FRESH)
    view = await verification.public_certificate(services, number)
    return Response(public_out(view), headers=FRESH)


class CredentialOut(msgspec.Struct):
    genuine: bool
    verdict: str  # genuine | expired | forged
    kind: str | None  # card | presentation
    certificate: PublicCertificateOut | None
    changed: list[str]  # what the card states that is no longer so


@get("/api/v1/public/credentials/{token:str}", summary="Verify a card or presentation QR")
async def verify_credential_json(token: FromPath[str], services: ServicesDep) -> CredentialOut:
    """The same check as the `/v/{token}` page, as JSON: whether the token is ours and
    intact, and the certificate's live public view."""
    result = await verification.verify_credential(services, token)
    return CredentialOut(
        genuine=result.verdict is Verdict.GENUINE,
        verdict=str(result.verdict),
        kind=result.kind,
        certificate=public_out(result.view) if result.view else None,
        changed=result.changed,
    )


class BitstringOut(msgspec.Struct):
    statusPurpose: str  # the W3C field names
    encodedList: str
    type: str = "BitstringStatusList"


class StatusListOut(msgspec.Struct):
    id: str
    issuer: str
    issued_at: datetime
    valid_until: datetime
    size: int
    lists: list[BitstringOut]
    jwt: str


@get("/api/v1/public/status-list", summary="Revocation and suspension status list")
async def status_list(services: ServicesDep) -> Response[StatusListOut]:
    """One bit per issued certificate at its fixed `status_index` (the card token's
    `status_index` claim), per purpose: `revocation` (revoked, cancelled or void) and
    `suspension` (suspended now). W3C Bitstring Status List encoding: GZIP, base64url,
    multibase `u`, at least 131,072 bits, the first index the left-most bit. `jwt` is the
    same lists signed with a key from `/.well-known/jwks.json`, for offline verifiers;
    fetch it again before `valid_until`."""
    built = await verification.status_list(services)
    base = services.settings.public_base_url
    out = StatusListOut(
        id=base + verification.STATUS_LIST_PATH,
        issuer=base,
        issued_at=built.issued_at,
        valid_until=built.valid_until,
        size=built.size,
        lists=[
            BitstringOut(StatusPurpose.REVOCATION.value, built.revocation),
            BitstringOut(StatusPurpose.SUSPENSION.value, built.suspension),
        ],
        jwt=built.token,
    )
    return Response(out, headers=FRESH)


@get("/.well-known/jwks.json", summary="Public keys of card and presentation QRs")
async def jwks(services: ServicesDep) -> dict[str, Any]:
    """Every Ed25519 key that signs cards, presentation QRs and the status list, with its
    `kid`; keys stay published after a rotation, so older cards keep verifying."""
    return await verification.jwks(services)


def build_router(settings: Settings) -> Router:
    limit = RateLimit("public", settings.public_rate_per_minute, store="public_rate_limit")
    return Router(
        "/",
        route_handlers=[
            public_certificate,
            public_history.public_authority,
            verify_credential_json,
            status_list,
            jwks,
            verify_pages.verify_form,
            verify_pages.verify_page,
            verify_pages.credential_page,
            photos.presented_photo,
            roster.public_agencies,
            roster.public_holders,
            roster.roster_regions,
            roster.roster_agency,
            feedback.feedback_form,
            feedback.submit,
            feedback.feedback_page,
            feedback.feedback_post,
        ],
        dependencies=services_dependency,
        middleware=[limit.middleware],
        tags=["public"],
    )
