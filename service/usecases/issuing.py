"""Issuing: eligibility facts from the records, numbers, validity, the issuing bureau."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from service.domain.certificates import (
    CertificateAction,
    CertificateStatus,
    effective_status,
    transition,
)
from service.domain.eligibility import (
    Applicant,
    CurrentCertificate,
    ExamRecord,
    SanctionRecord,
    Unmet,
    unmet_conditions,
)
from service.domain.errors import Conflict
from service.domain.numbering import format_number, number_prefix
from service.domain.organisation import AgencyKind
from service.domain.people import ExamKind, SanctionKind
from service.store import sql
from service.store.certificate_queries import snapshot
from service.store.models import Agency, Certificate, Exam, Officer, Sanction
from service.store.regions import region_chain
from service.usecases.certificate_changes import catch_up, write_change
from service.usecases.events import Actor, append_event
from service.usecases.services import Services

S = CertificateStatus
STATUS_LIST_SEQUENCE = "statuslist"  # shares the sequences table with the number prefixes


async def unmet_for(
    svc: Services, officer: Officer, *, exclude_id: int | None = None
) -> list[Unmet]:
    """Every condition the officer does not meet today (the certificate being issued,
    `exclude_id`, does not count as a pending application)."""
    today = svc.today()
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
            S(row["status"]), row["valid_until"], row["suspended_until"], today
        )
        pending = pending or status is S.PENDING
        if status.is_current:
            current = CurrentCertificate(status, row["valid_until"])
        if status is S.REVOKED and row["ended_on"] is not None:
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
    return unmet_conditions(applicant, svc.settings.certificate_rules, today)


async def require_eligible(
    svc: Services, officer: Officer, *, exclude_id: int | None = None
) -> None:
    """Raise Conflict `certificate.ineligible` listing every unmet condition."""
    unmet = await unmet_for(svc, officer, exclude_id=exclude_id)
    if unmet:
        raise Conflict(
            "Not eligible: " + "; ".join(u.message for u in unmet),
            code="certificate.ineligible",
            errors=[{"code": u.code, "message": u.message, "label": u.label} for u in unmet],
        )


async def issue(svc: Services, certificate: Certificate, actor: Actor) -> dict[str, Any]:
    """The values that make a pending certificate active; voids the one it renews."""
    officer = await Officer.get(id=certificate.officer_id).select_related("agency")  # type: ignore[attr-defined]
    await require_eligible(svc, officer, exclude_id=certificate.id)
    renewed = await _current(officer.id, exclude_id=certificate.id)
    if renewed is not None and await catch_up(svc, renewed) and not renewed.status.is_current:
        renewed = None  # it expired on its own: there is nothing left to renew
    if renewed is not None:
        await write_change(
            svc,
            renewed,
            CertificateAction.RENEW,
            transition(renewed.status, CertificateAction.RENEW),
            {"ended_on": svc.today()},
            actor,
            "换发新证",
        )
    today = svc.today()
    return {
        **await _numbered(svc, officer),
        "valid_from": today,
        "valid_until": svc.settings.certificate_rules.valid_until(today),
        "replaces_id": renewed.id if renewed else None,
        "bureau_approved_by_id": actor.account_id,
        "bureau_approved_at": svc.now(),
    }


async def replacement(
    svc: Services,
    old: Certificate,
    actor: Actor,
    reason: str,
    *,
    area: str | None,
    categories: list[str] | None,
) -> Certificate:
    """Create and chain the active certificate that replaces a voided one (same validity,
    new number)."""
    officer = await Officer.get(id=old.officer_id).select_related("agency")  # type: ignore[attr-defined]
    new = await Certificate.create(
        officer_id=officer.id,
        status=S.ACTIVE,
        enforcement_area=area if area is not None else old.enforcement_area,
        enforcement_categories=categories if categories is not None else old.enforcement_categories,
        valid_from=svc.today(),
        valid_until=old.valid_until,
        last_review_year=old.last_review_year,
        replaces_id=old.id,
        agency_approved_by_id=old.agency_approved_by_id,  # type: ignore[attr-defined]
        agency_approved_at=old.agency_approved_at,
        bureau_approved_by_id=actor.account_id,
        bureau_approved_at=svc.now(),
        status_reason=f"补发，替换 {old.number}",
        **await _numbered(svc, officer),
    )
    await append_event(
        officer.id,
        certificate_id=new.id,
        action=CertificateAction.REISSUE,
        actor=actor,
        at=svc.now(),
        reason=f"补发，替换 {old.number}：{reason}",
        after=snapshot(new),
    )
    return new


async def _numbered(svc: Services, officer: Officer) -> dict[str, Any]:
    """A new number, a status-list index and the issuing bureau, for an officer's card."""
    agency: Agency = officer.agency
    region_code: str = agency.region_id  # type: ignore[attr-defined]
    prefix = number_prefix(region_code, agency.sector, svc.today().year)
    bureau = await issuing_bureau(region_code)
    return {
        "number": format_number(prefix, await next_in_sequence(prefix)),
        "status_index": await next_in_sequence(STATUS_LIST_SEQUENCE) - 1,
        "issuing_agency_id": bureau.id if bureau else None,
    }


async def _current(officer_id: int, *, exclude_id: int) -> Certificate | None:
    return (
        await Certificate.filter(officer_id=officer_id, status__in=[S.ACTIVE, S.SUSPENDED])
        .exclude(id=exclude_id)
        .select_for_update(no_key=True)
        .first()
    )


async def next_in_sequence(key: str) -> int:
    """Atomically take the next value of a named sequence (one upsert, row-locked)."""
    rows = await sql.fetch(_NEXT_VALUE, [key])
    return int(rows[0]["last_value"])


_NEXT_VALUE = (
    "INSERT INTO number_sequences (prefix, last_value) VALUES (?, 1) "
    "ON CONFLICT (prefix) DO UPDATE SET last_value = number_sequences.last_value + 1 "
    "RETURNING last_value"
)


async def issuing_bureau(region_code: str) -> Agency | None:
    """The nearest justice bureau at or above the region: the certificate's authority."""
    chain = [region.code for region in await region_chain(region_code)]
    bureaus = await Agency.filter(kind=AgencyKind.JUSTICE_BUREAU, region_id__in=chain)
    return min(bureaus, key=lambda a: chain.index(a.region_id), default=None)  # type: ignore[attr-defined]
