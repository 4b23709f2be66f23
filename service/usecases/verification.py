"""Public verification: the public view of a certificate by number, the signed card and
presentation tokens, the status list and the JWKS an offline verifier checks them with.

Public views and the status list are cached (in Redis when `REDIS_URL` is set, so every
process shares them). Every unit of work that changes what they show says so
(`UnitOfWork.public_views_changed()`), and once it commits the cache moves to a new
generation: a reader that read the database before the commit stored its answer under
the old generation, which nobody reads again. The status shown is computed on every
read from the cached dates, so an expiry or the end of a suspension shows at once
without any change being written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import msgspec

from service.domain.access import Action, Principal
from service.domain.certificates import CertificateStatus, effective_status
from service.domain.errors import Conflict, DomainError, NotFound
from service.domain.numbering import parse_number
from service.domain.public import StatusPurpose, bitstring_size, encode_bitstring, status_bits
from service.store.certificates import loaded, public_row
from service.store.lookups import one
from service.store.models import Certificate
from service.store.photos import read_photo
from service.store.scoping import certificates_visible
from service.usecases.certificates.queries import own_certificate
from service.usecases.services import Services, cached_key

STATUS_LIST_PATH = "/api/v1/public/status-list"
STATUS_LIST_DAYS = 1  # an offline verifier fetches the list again at least daily


class PublicRecord(msgspec.Struct, frozen=True):
    """A certificate's public facts as stored; the status shown is worked out per read."""

    number: str
    name: str
    agency: str
    issuing_authority: str | None
    enforcement_area: str
    enforcement_categories: list[str]
    stored_status: CertificateStatus
    valid_from: date | None
    valid_until: date | None
    suspended_until: date | None
    last_review_year: int | None
    status_index: int | None


@dataclass(frozen=True, slots=True)
class PublicView:
    record: PublicRecord
    status: CertificateStatus
    checked_at: datetime

    @property
    def in_force(self) -> bool:
        return self.status is CertificateStatus.ACTIVE


_encoder = msgspec.msgpack.Encoder()
_record_decoder = msgspec.msgpack.Decoder(PublicRecord | None)
CachedT = TypeVar("CachedT")


async def public_cached(
    services: Services,
    key: str,
    make: Callable[[], Awaitable[CachedT]],
    decoder: msgspec.msgpack.Decoder[CachedT],
) -> CachedT:
    """`make()`, kept for PUBLIC_CACHE_SECONDS under the public cache's current generation
    (so a committed change shows at once); made afresh when the cache is away."""
    generation, hit = await services.public_generation.read(key)
    if generation is None:
        return await make()
    if hit is not None:
        found: CachedT = decoder.decode(hit)
        return found
    value = await make()
    await services.cache.set(
        cached_key(key, generation),
        _encoder.encode(value),
        expires_in=services.settings.public_cache_seconds,
    )
    return value


async def public_certificate(services: Services, number: str) -> PublicView:
    """The public view of the certificate with this number.

    Raises InvalidInput `certificate.bad_number` (before any lookup) and NotFound
    `certificate.not_found`.
    """
    number = parse_number(number)
    record = await public_cached(
        services, f"certificate:{number}", lambda: record_of(number), _record_decoder
    )
    if record is None:
        raise NotFound(f"No certificate has the number {number}.", code="certificate.not_found")
    return _view(services, record)


async def record_of(number: str) -> PublicRecord | None:
    """The public facts of the certificate with this (parsed) number, or None."""
    row = await public_row(number)
    # Dates arrive as text from SQLite and as dates from PostgreSQL: convert either way.
    return None if row is None else msgspec.convert(row, PublicRecord, strict=False)


def _view(services: Services, record: PublicRecord) -> PublicView:
    status = effective_status(
        record.stored_status, record.valid_until, record.suspended_until, services.today()
    )
    return PublicView(record, status, services.now())


# The signed tokens ------------------------------------------------------------------


def _card_claims(record: PublicRecord) -> dict[str, Any]:
    return {
        "sub": record.number,
        "name": record.name,
        "agency": record.agency,
        "valid_from": record.valid_from.isoformat() if record.valid_from else None,
        "valid_until": record.valid_until.isoformat() if record.valid_until else None,
        "status_index": record.status_index,
    }


@dataclass(frozen=True, slots=True)
class Card:
    token: str
    url: str  # what the card's QR encodes
    view: PublicView
    photo: bytes | None  # the officer's photo (a JPEG), if one was stored


async def card(services: Services, principal: Principal, certificate_id: int) -> Card:
    """The card's facts and its signed token, printed as `{PUBLIC_BASE_URL}/v/{token}`.
    The same certificate gives the same token until the signing key is rotated.

    Raises NotFound (unknown or out of scope), Forbidden, Conflict
    `certificate.not_in_force` unless the certificate is active.
    """
    principal.require(Action.MANAGE_CERTIFICATES)
    certificate = await one(
        loaded(certificates_visible(principal).filter(id=certificate_id)),
        code="certificate.not_found",
        what=f"certificate {certificate_id}",
    )
    view = await _in_force(
        services, certificate, "A card is printed only for a certificate in force"
    )
    token = await services.credentials.card(_card_claims(view.record))
    photo = await read_photo(services.settings.data_dir, certificate.officer.photo_path)
    return Card(token, credential_url(services, token), view, photo)


@dataclass(frozen=True, slots=True)
class Presentation:
    token: str
    url: str
    expires_at: datetime


async def presentation(services: Services, principal: Principal) -> Presentation:
    """The officer's 亮证 token, valid `PRESENTATION_SECONDS` (5 minutes).

    Raises NotFound `certificate.none`, Conflict `certificate.not_in_force`.
    """
    own = await own_certificate(principal)
    view = await _in_force(services, own.certificate, "Only a certificate in force can be shown")
    now = services.now()
    ttl = timedelta(seconds=services.settings.presentation_seconds)
    token = await services.credentials.presentation(_card_claims(view.record), now=now, ttl=ttl)
    expires_at = datetime.fromtimestamp(int((now + ttl).timestamp()), now.tzinfo)
    return Presentation(token, credential_url(services, token), expires_at)


def credential_url(services: Services, token: str) -> str:
    return f"{services.settings.public_base_url}/v/{token}"


async def _in_force(services: Services, certificate: Certificate, what: str) -> PublicView:
    """The public view of the certificate, which must be active (as the public sees it)."""
    record = await record_of(certificate.number) if certificate.number else None
    view = None if record is None else _view(services, record)
    if view is None or not view.in_force:
        status = view.status if view else certificate.status
        raise Conflict(
            f"{what}; this one is {status} ({status.label}).", code="certificate.not_in_force"
        )
    return view


class Verdict(StrEnum):
    GENUINE = "genuine"  # signed by us; the live status says whether it is in force
    EXPIRED = "expired"  # a genuine presentation QR older than its 5 minutes
    FORGED = "forged"  # not signed by us, altered, or malformed


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    kind: str | None  # card | presentation
    claims: dict[str, Any]
    view: PublicView | None  # the live public view, for a genuine token
    changed: list[str]  # what the card says that is no longer so (name, agency, validity)


async def verify_credential(services: Services, token: str) -> Verification:
    """What a scanned card or presentation QR is worth: genuine, expired or forged, and
    for a genuine one the certificate's live status."""
    try:
        claims = await services.credentials.verify(token, now=services.now())
    except DomainError as exc:
        verdict = Verdict.EXPIRED if exc.code == "credential.expired" else Verdict.FORGED
        return Verification(verdict, None, {}, None, [])
    kind = "presentation" if "exp" in claims else "card"
    try:
        view = await public_certificate(services, str(claims["sub"]))
    except DomainError:  # signed by us, but for no certificate we know
        return Verification(Verdict.FORGED, kind, claims, None, [])
    current = _card_claims(view.record)
    changed = [
        field
        for field in ("name", "agency", "valid_from", "valid_until")
        if claims.get(field) != current[field]
    ]
    return Verification(Verdict.GENUINE, kind, claims, view, changed)


# The status list ---------------------------------------------------------------------


class StatusList(msgspec.Struct, frozen=True):
    issued_at: datetime
    valid_until: datetime
    size: int
    revocation: str  # multibase, GZIP-compressed bitstring
    suspension: str
    token: str  # the same, signed: a JWT an offline verifier checks with the JWKS


_status_decoder = msgspec.msgpack.Decoder(StatusList)


async def status_list(services: Services) -> StatusList:
    """The revocation and suspension bits of every issued certificate, as of today."""
    today = services.today()
    return await public_cached(
        services,
        f"status-list:{today.isoformat()}",
        lambda: _build_status_list(services, today),
        _status_decoder,
    )


async def _build_status_list(services: Services, today: date) -> StatusList:
    rows = await Certificate.filter(status_index__isnull=False).values_list(
        "status_index", "status", "valid_until", "suspended_until"
    )
    bits: dict[StatusPurpose, list[int]] = {purpose: [] for purpose in StatusPurpose}
    highest = -1
    for index, status, valid_until, suspended_until in rows:
        highest = max(highest, index)
        shown = effective_status(CertificateStatus(status), valid_until, suspended_until, today)
        for purpose in status_bits(shown):
            bits[purpose].append(index)
    revocation = encode_bitstring(bits[StatusPurpose.REVOCATION], highest + 1)
    suspension = encode_bitstring(bits[StatusPurpose.SUSPENSION], highest + 1)
    size = bitstring_size(highest + 1)
    now = services.now()
    ttl = timedelta(days=STATUS_LIST_DAYS)
    claims = {
        "sub": services.settings.public_base_url + STATUS_LIST_PATH,
        "size": size,
        StatusPurpose.REVOCATION.value: revocation,
        StatusPurpose.SUSPENSION.value: suspension,
    }
    token = await services.credentials.status_list(claims, now=now, ttl=ttl)
    issued = datetime.fromtimestamp(int(now.timestamp()), now.tzinfo)
    return StatusList(issued, issued + ttl, size, revocation, suspension, token)


async def jwks(services: Services) -> dict[str, Any]:
    return await services.credentials.jwks()
