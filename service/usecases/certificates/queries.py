"""Certificates as the caller may see them: lists by status as of today, one by id or
number, the officer's own."""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.access import Action, Principal
from service.domain.certificates import CertificateStatus
from service.domain.numbering import parse_number
from service.store.certificates import effective_status_is, loaded
from service.store.lookups import one
from service.store.models import AnnualReviewResult, Certificate
from service.store.paging import Page, paginate
from service.store.scoping import certificates_visible
from service.usecases.services import Services


async def list_certificates(
    services: Services,
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

    Raises InvalidInput `certificate.bad_number` for a mistyped number, Forbidden.
    """
    principal.require(Action.READ_OFFICERS)
    query = certificates_visible(principal)
    if status is not None:
        query = query.filter(effective_status_is(status, services.today()))
    if agency_id is not None:
        query = query.filter(officer__agency_id=agency_id)
    if officer_id is not None:
        query = query.filter(officer_id=officer_id)
    if number:
        query = query.filter(number=parse_number(number))
    return await paginate(loaded(query).order_by("id"), page, page_size)


async def get_certificate(principal: Principal, certificate_id: int) -> Certificate:
    """The certificate, with its officer and agencies, if in the caller's jurisdiction.
    Raises NotFound `certificate.not_found`, Forbidden."""
    principal.require(Action.READ_OFFICERS)
    return await read(principal, certificate_id)


async def read(principal: Principal, certificate_id: int) -> Certificate:
    """As `get_certificate`, for a caller whose role was checked already."""
    query = loaded(certificates_visible(principal).filter(id=certificate_id))
    return await one(query, code="certificate.not_found", what=f"certificate {certificate_id}")


@dataclass(frozen=True, slots=True)
class OwnCertificate:
    certificate: Certificate
    reviews: list[AnnualReviewResult]


async def own_certificate(principal: Principal) -> OwnCertificate:
    """The officer's own newest issued certificate and its annual review results.

    Raises NotFound `certificate.none` when no certificate was ever issued.
    """
    query = Certificate.filter(officer_id=principal.officer_id).exclude(
        status=CertificateStatus.PENDING
    )
    found = await one(
        loaded(query.order_by("-id")), code="certificate.none", what="certificate issued to you"
    )
    reviews = await AnnualReviewResult.filter(
        certificate__officer_id=principal.officer_id
    ).order_by("-year")
    return OwnCertificate(found, list(reviews))


async def find_certificate_id(principal: Principal, reference: str) -> int:
    """The id of a certificate given as its id or its number (ours or a legacy one; a
    number of digits only is looked up as a number first), inside the caller's scope.

    Raises InvalidInput `certificate.bad_number` (a mistyped number), NotFound.
    """
    reference = reference.strip()
    visible = certificates_visible(principal)
    if reference.isdigit() and len(reference) < 16:
        # Digits may be an id or a legacy number (6 to 15 digits): the number first.
        numbered = await visible.filter(number=reference).first() if len(reference) >= 6 else None
        if numbered is not None:
            return numbered.id
        query = visible.filter(id=int(reference))
    else:
        query = visible.filter(number=parse_number(reference))
    found = await one(query, code="certificate.not_found", what=f"certificate {reference}")
    return found.id
