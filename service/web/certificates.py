"""A certificate as both APIs show it (the staff API, and the officer's own at
`/mobile/v1/me/certificate`)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from service.domain.annual_review import review_due
from service.domain.certificates import CertificateStatus, effective_status
from service.store.models import Certificate
from service.usecases.services import Services


class ReviewDueOut(msgspec.Struct):
    year: int
    deadline: date
    warning: str | None


class CertificateOut(msgspec.Struct):
    id: int
    officer_id: int
    officer_name: str
    agency_id: int
    agency_name: str
    number: str | None
    status: CertificateStatus
    status_label: str
    status_reason: str
    enforcement_area: str
    enforcement_categories: list[str]
    valid_from: date | None
    valid_until: date | None
    suspended_until: date | None
    last_review_year: int | None
    review_due: ReviewDueOut | None
    issuing_agency: str | None
    replaces_id: int | None
    status_index: int | None  # its bit in /api/v1/public/status-list
    legacy: bool  # imported: issued before this service, with the number printed then
    card_returned_on: date | None  # the card taken back (收回) while suspended or ended
    version: int
    created_at: datetime
    updated_at: datetime


def certificate_out(services: Services, c: Certificate) -> CertificateOut:
    """Needs the officer, the officer's agency and the issuing agency loaded. The status
    is the one as of today, whatever the stored row still says."""
    today = services.today()
    status = effective_status(c.status, c.valid_until, c.suspended_until, today)
    due = review_due(c.valid_from, c.last_review_year, today, services.settings.review_window)
    return CertificateOut(
        id=c.id,
        officer_id=c.officer.id,
        officer_name=c.officer.name,
        agency_id=c.officer.agency.id,
        agency_name=c.officer.agency.name,
        number=c.number,
        status=status,
        status_label=status.label,
        status_reason=c.status_reason if status is c.status else "",
        enforcement_area=c.enforcement_area,
        enforcement_categories=list(c.enforcement_categories),
        valid_from=c.valid_from,
        valid_until=c.valid_until,
        suspended_until=c.suspended_until if status is CertificateStatus.SUSPENDED else None,
        last_review_year=c.last_review_year,
        review_due=ReviewDueOut(due.year, due.deadline, due.warning)
        if due and status.is_current
        else None,
        issuing_agency=c.issuing_agency.name if c.issuing_agency else None,
        replaces_id=c.replaces_id,  # type: ignore[attr-defined]
        status_index=c.status_index,
        legacy=c.legacy,
        card_returned_on=c.card_returned_on,
        version=c.version,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )
