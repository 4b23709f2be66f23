"""Reading certificates: lists by status as of today, eligibility, the sweep of lapses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from service.domain.access import Action, Principal
from service.domain.certificates import CertificateStatus
from service.domain.eligibility import Unmet
from service.domain.errors import NotFound
from service.domain.numbering import parse_number
from service.store.certificate_queries import effective_status_is, loaded
from service.store.models import AnnualReviewResult, Certificate
from service.store.scoping import certificates_visible
from service.usecases import issuing
from service.usecases.certificate_changes import catch_up
from service.usecases.officers import officer_in_scope
from service.usecases.paging import Page, paginate
from service.usecases.services import Services

S = CertificateStatus


async def list_certificates(
    svc: Services,
    principal: Principal,
    *,
    status: CertificateStatus | None = None,
    agency_id: int | None = None,
    officer_id: int | None = None,
    number: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[Certificate]:
    """Certificates in the caller's jurisdiction; `status` is the status as of today.

    Raises InvalidInput `certificate.bad_number` for a mistyped number.
    """
    principal.require(Action.READ_OFFICERS)
    query = certificates_visible(principal)
    if status is not None:
        query = query.filter(effective_status_is(status, svc.today()))
    if agency_id is not None:
        query = query.filter(officer__agency_id=agency_id)
    if officer_id is not None:
        query = query.filter(officer_id=officer_id)
    if number:
        query = query.filter(number=parse_number(number))
    return await paginate(loaded(query).order_by("id"), page, page_size)


async def eligibility(svc: Services, principal: Principal, officer_id: int) -> list[Unmet]:
    """What stands between the officer and a certificate today (empty: eligible)."""
    principal.require(Action.READ_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    return await issuing.unmet_for(svc, officer)


@dataclass(frozen=True, slots=True)
class SweepResult:
    expired: int
    reinstated: int


async def sweep(svc: Services, progress: Callable[[int, int], None] | None = None) -> SweepResult:
    """Write every lapse the stored statuses lag behind: certificates past their last
    valid day become expired, suspensions past their end become active (as the service,
    with an event each). One transaction per certificate, so a crash loses nothing done.
    """
    today = svc.today()
    lapsing = await Certificate.filter(
        status__in=[S.ACTIVE, S.SUSPENDED], valid_until__lt=today
    ).values_list("id", flat=True)
    lifting = await Certificate.filter(
        status=S.SUSPENDED, suspended_until__lt=today, valid_until__gte=today
    ).values_list("id", flat=True)
    ids = [*lapsing, *lifting]
    for done, certificate_id in enumerate(ids, 1):
        async with in_transaction():
            certificate = (
                await Certificate.filter(id=certificate_id).select_for_update(no_key=True).first()
            )
            if certificate is not None:
                await catch_up(svc, certificate)
        if progress is not None:
            progress(done, len(ids))
    if ids:
        await svc.public_views_changed()
    return SweepResult(expired=len(lapsing), reinstated=len(lifting))


@dataclass(frozen=True, slots=True)
class OwnCertificate:
    certificate: Certificate
    reviews: list[AnnualReviewResult]


async def own_certificate(principal: Principal) -> OwnCertificate:
    """The officer's own newest issued certificate and its annual review results.

    Raises NotFound `certificate.none` when no certificate was ever issued.
    """
    query = Certificate.filter(officer_id=principal.officer_id).exclude(status=S.PENDING)
    found = await loaded(query.order_by("-id")).first()
    if found is None:
        raise NotFound("No certificate has been issued to you.", code="certificate.none")
    reviews = await AnnualReviewResult.filter(
        certificate__officer_id=principal.officer_id
    ).order_by("-year")
    return OwnCertificate(found, list(reviews))


async def find_certificate_id(principal: Principal, reference: str) -> int:
    """The id of a certificate given as its id or its number, inside the caller's scope.

    Raises InvalidInput `certificate.bad_number` (a mistyped number), NotFound.
    """
    reference = reference.strip()
    if reference.isdigit() and len(reference) < 16:
        query = certificates_visible(principal).filter(id=int(reference))
    else:
        query = certificates_visible(principal).filter(number=parse_number(reference))
    found = await query.first()
    if found is None:
        raise NotFound("No such certificate.", code="certificate.not_found")
    return found.id
