"""Eligibility for a certificate, from the officer's records: exams, sanctions and the
certificates held or revoked (the rules are `domain.eligibility`'s)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from service.domain.access import Action, Principal
from service.domain.certificates import CertificateStatus, effective_status
from service.domain.eligibility import (
    Applicant,
    CurrentCertificate,
    ExamRecord,
    SanctionRecord,
    Unmet,
    unmet_conditions,
)
from service.domain.errors import Conflict
from service.domain.people import ExamKind, SanctionKind
from service.store.models import Certificate, Exam, Officer, Sanction
from service.usecases.officers import officer_in_scope
from service.usecases.services import Services


async def eligibility(services: Services, principal: Principal, officer_id: int) -> list[Unmet]:
    """What stands between the officer and a certificate today (empty: eligible).
    Raises NotFound, Forbidden."""
    principal.require(Action.READ_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    return await unmet_for(services, officer)


async def unmet_for(
    services: Services, officer: Officer, *, exclude_id: int | None = None
) -> list[Unmet]:
    """Every condition the officer does not meet today (the certificate being issued,
    `exclude_id`, does not count as a pending application)."""
    today = services.today()
    exams = await Exam.filter(officer_id=officer.id).values_list("kind", "score", "taken_on")
    sanctions = await Sanction.filter(officer_id=officer.id).values_list(
        "kind", "effective_on", "ends_on"
    )
    others = Certificate.filter(officer_id=officer.id)
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    rows = await others.values("status", "valid_until", "suspended_until", "ended_on")
    current: CurrentCertificate | None = None
    revoked_on: list[date] = []
    pending = False
    for row in rows:
        status = effective_status(
            CertificateStatus(row["status"]), row["valid_until"], row["suspended_until"], today
        )
        pending = pending or status is CertificateStatus.PENDING
        if status.is_current:
            current = CurrentCertificate(status, row["valid_until"])
        if status is CertificateStatus.REVOKED and row["ended_on"] is not None:
            revoked_on.append(row["ended_on"])
    applicant = Applicant(
        employment_type=officer.employment_type,
        in_post=officer.in_post,
        exams=[ExamRecord(ExamKind(k), Decimal(str(s)), d) for k, s, d in exams],
        sanctions=[SanctionRecord(SanctionKind(k), e, n) for k, e, n in sanctions],
        last_revoked_on=max(revoked_on, default=None),
        current=current,
        has_pending_application=pending,
    )
    return unmet_conditions(applicant, services.settings.certificate_rules, today)


async def require_eligible(
    services: Services, officer: Officer, *, exclude_id: int | None = None
) -> None:
    """Raise Conflict `certificate.ineligible` listing every unmet condition."""
    unmet = await unmet_for(services, officer, exclude_id=exclude_id)
    if unmet:
        raise Conflict(
            "Not eligible: " + "; ".join(u.message for u in unmet),
            code="certificate.ineligible",
            errors=[{"code": u.code, "message": u.message, "label": u.label} for u in unmet],
        )
