"""Card custody (收回): a suspension, revocation, cancellation or reissue leaves the
physical card with its holder until someone takes it back. The card is owed while the
certificate is suspended, revoked, cancelled or void and no return is recorded; a return
is an event on the officer's chain; when the certificate is active again the card is
back with its holder (`transitions` clears the day)."""

from __future__ import annotations

from datetime import date

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from service.domain.access import Action, Principal
from service.domain.certificates import CertificateStatus, effective_status
from service.domain.errors import Conflict, InvalidInput
from service.domain.events import Actor, Change, EventAction
from service.domain.text import collapse
from service.store import events
from service.store.certificates import effective_status_is, loaded
from service.store.models import Certificate
from service.store.paging import Page, paginate
from service.store.scoping import certificates_visible
from service.usecases.certificates.transitions import locked
from service.usecases.services import Services

OWING = (
    CertificateStatus.SUSPENDED,
    CertificateStatus.REVOKED,
    CertificateStatus.CANCELLED,
    CertificateStatus.VOID,
)
_ENDED = [CertificateStatus.REVOKED, CertificateStatus.CANCELLED, CertificateStatus.VOID]


def owed(query: QuerySet[Certificate], today: date) -> QuerySet[Certificate]:
    """The certificates of `query` whose card is owed as of `today`."""
    suspended = effective_status_is(CertificateStatus.SUSPENDED, today)
    return query.filter(
        (suspended | Q(status__in=_ENDED)) & Q(card_returned_on__isnull=True, number__isnull=False)
    )


async def record_card_returned(
    services: Services, principal: Principal, certificate_id: int, returned_on: date, note: str
) -> Certificate:
    """Record that the card of a suspended or ended certificate was taken back on
    `returned_on`, with an event. Raises NotFound, Forbidden, InvalidInput
    `certificate.bad_returned_on` (a future day), Conflict `certificate.card_not_owed`
    (in force, expired, never issued, or returned already)."""
    principal.require(Action.MANAGE_CERTIFICATES)
    today = services.today()
    if returned_on > today:
        raise InvalidInput(
            "The card cannot be returned in the future.",
            code="certificate.bad_returned_on",
            field="returned_on",
        )
    async with services.unit_of_work():
        certificate = await locked(principal, certificate_id)
        status = effective_status(
            certificate.status, certificate.valid_until, certificate.suspended_until, today
        )
        if status not in OWING or certificate.number is None or certificate.card_returned_on:
            raise Conflict(
                f"No card is owed for this certificate ({status.label}"
                f"{'，已收回' if certificate.card_returned_on else ''}).",
                code="certificate.card_not_owed",
            )
        if certificate.valid_from and returned_on < certificate.valid_from:
            raise InvalidInput(
                "The card cannot be returned before it was issued.",
                code="certificate.bad_returned_on",
                field="returned_on",
            )
        await Certificate.filter(id=certificate.id).update(card_returned_on=returned_on)
        certificate.card_returned_on = returned_on
        after = {"card_returned_on": returned_on.isoformat()}  # no status: it is unchanged
        change = Change(
            EventAction.CARD_RETURNED,
            Actor.of(principal),
            services.now(),
            certificate.id,
            reason=collapse(note)[:500],
            after=after,
        )
        officer_id: int = certificate.officer_id  # type: ignore[attr-defined]
        await events.append(officer_id, change)
    return certificate


async def cards_owed(
    services: Services, principal: Principal, *, page: int, page_size: int
) -> Page[Certificate]:
    """Certificates in the caller's jurisdiction whose card is owed, oldest change first."""
    principal.require(Action.READ_OFFICERS)
    query = owed(certificates_visible(principal), services.today())
    return await paginate(loaded(query).order_by("updated_at", "id"), page, page_size)
