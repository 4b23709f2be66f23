"""The yearly cleanup of qualifications (资格清理): the live certificates whose holders
should no longer hold them, with every reason, and their cancellation through the normal
lifecycle (one event each; a refused one is reported, not fatal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.domain.access import Action, Principal
from service.domain.certificates import CancelReason, CertificateStatus, effective_status
from service.domain.cleanup import CleanupFacts, CleanupReason, findings
from service.domain.errors import DomainError, InvalidInput
from service.domain.organisation import RegionLevel, region_prefix
from service.domain.people import EmploymentType
from service.store import sql
from service.store.models import Certificate
from service.store.scoping import certificates_visible
from service.usecases.certificates import lifecycle
from service.usecases.services import Services

_FIELDS = (
    "id", "number", "officer_id", "officer__name", "officer__agency__name", "status",
    "valid_from", "valid_until", "suspended_until", "updated_at", "officer__in_post",
    "officer__employment_type", "officer__agency__region_id", "issuing_agency__region_id",
    "issuing_agency__region__level",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    certificate_id: int
    number: str
    officer_id: int
    officer_name: str
    agency_name: str
    status: CertificateStatus  # as of today
    reasons: list[CleanupReason]


@dataclass(frozen=True, slots=True)
class Outcome:
    certificate_id: int
    outcome: str  # cancelled, would_cancel, expired (a lapse closed), refused, not_listed
    code: str | None = None
    message: str = ""


def _check_year(services: Services, year: int) -> None:
    if not 2000 <= year <= services.today().year:
        raise InvalidInput(f"No cleanup for year {year}.", code="cleanup.bad_year", field="year")


async def cleanup_list(services: Services, principal: Principal, year: int) -> list[Finding]:
    """The live certificates of the caller's jurisdiction to clear in `year`'s cleanup,
    by agency and name. Raises InvalidInput `cleanup.bad_year`, Forbidden."""
    principal.require(Action.MANAGE_CERTIFICATES)
    _check_year(services, year)
    today = services.today()
    live = [CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED]
    rows: list[dict[str, Any]] = list(
        await certificates_visible(principal)
        .filter(status__in=live, number__isnull=False)
        .order_by("officer__agency__name", "officer__name", "id")
        .values(*_FIELDS)
    )
    newest: dict[int, int] = {}
    for row in rows:
        status = effective_status(
            CertificateStatus(row["status"]),
            sql.maybe_date(row["valid_until"]),
            sql.maybe_date(row["suspended_until"]),
            today,
        )
        if status.is_current:
            newest[row["officer_id"]] = max(newest.get(row["officer_id"], 0), row["id"])
    found: list[Finding] = []
    for row in rows:
        status = CertificateStatus(row["status"])
        level = row["issuing_agency__region__level"]
        issuer = row["issuing_agency__region_id"]
        facts = CleanupFacts(
            status=status,
            valid_until=sql.maybe_date(row["valid_until"]),
            suspended_until=sql.maybe_date(row["suspended_until"]),
            suspended_since=sql.as_datetime(row["updated_at"]).date(),
            in_post=bool(row["officer__in_post"]),
            employment_type=EmploymentType(row["officer__employment_type"]),
            agency_region=str(row["officer__agency__region_id"]),
            issuer_prefix=region_prefix(issuer, RegionLevel(level)) if issuer and level else None,
            newer_live=newest.get(row["officer_id"], row["id"]) != row["id"],
        )
        reasons = findings(facts, today, services.settings.cleanup_suspension_months)
        if reasons:
            now = effective_status(status, facts.valid_until, facts.suspended_until, today)
            found.append(
                Finding(
                    row["id"], row["number"], row["officer_id"], row["officer__name"],
                    row["officer__agency__name"], now, reasons,
                )
            )  # fmt: skip
    return found


async def run_cleanup(
    services: Services,
    principal: Principal,
    year: int,
    certificate_ids: list[int],
    *,
    dry_run: bool,
) -> list[Outcome]:
    """Cancel the chosen certificates of the cleanup list, each with its listed reasons,
    through the lifecycle (a lapse is closed as an expiry instead). An id not on the list
    is `not_listed`; a refused cancellation is `refused` with its code. `dry_run` says
    what would happen and writes nothing. Raises InvalidInput `cleanup.bad_year`."""
    listed = {f.certificate_id: f for f in await cleanup_list(services, principal, year)}
    outcomes: list[Outcome] = []
    for certificate_id in dict.fromkeys(certificate_ids):
        finding = listed.get(certificate_id)
        if finding is None:
            outcomes.append(Outcome(certificate_id, "not_listed", code="cleanup.not_listed"))
            continue
        note = f"{year}年度资格清理：" + "；".join(r.message for r in finding.reasons)
        if dry_run:
            outcomes.append(Outcome(certificate_id, "would_cancel", message=note))
            continue
        try:
            await lifecycle.cancel_certificate(
                services, principal, certificate_id, reason=CancelReason.OTHER, note=note
            )
        except DomainError as refused:
            now = await Certificate.get(id=certificate_id)
            if now.status is CertificateStatus.EXPIRED:
                outcomes.append(
                    Outcome(certificate_id, "expired", message="有效期届满，已按过期关闭")
                )
            else:
                outcomes.append(Outcome(certificate_id, "refused", refused.code, refused.detail))
            continue
        outcomes.append(Outcome(certificate_id, "cancelled", message=note))
    return outcomes
