"""The yearly cleanup of qualifications (每年清理1次行政执法人员资格): which live
certificates' holders should no longer hold them, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from service.domain.certificates import CertificateStatus, add_months, effective_status
from service.domain.people import EmploymentType


class CleanupReason(StrEnum):
    NOT_IN_POST = "not_in_post"
    NOT_ELIGIBLE = "not_eligible"  # an employment type that may not hold a certificate
    OUTSIDE_AREA = "outside_area"  # moved to an agency outside the issuing authority's region
    DUPLICATE = "duplicate"  # another, newer live certificate of the same officer
    LONG_SUSPENSION = "long_suspension"
    LAPSED = "lapsed"  # expired or lapsed but never closed

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_MESSAGES = {
    CleanupReason.NOT_IN_POST: "已不在执法岗位",
    CleanupReason.NOT_ELIGIBLE: "人员类别不再符合持证条件",
    CleanupReason.OUTSIDE_AREA: "已调至发证机关辖区以外的单位",
    CleanupReason.DUPLICATE: "同一人持有多个有效证件（保留最新的一个）",
    CleanupReason.LONG_SUSPENSION: "暂扣超过规定期限",
    CleanupReason.LAPSED: "有效期已届满但未办理注销或过期手续",
}


@dataclass(frozen=True, slots=True)
class CleanupFacts:
    """A live certificate (stored active or suspended) and its holder, as of today."""

    status: CertificateStatus
    valid_until: date | None
    suspended_until: date | None
    suspended_since: date | None  # the day of its last change, while suspended
    in_post: bool
    employment_type: EmploymentType
    agency_region: str
    issuer_prefix: str | None  # the issuing authority's region, as a code prefix
    newer_live: bool  # the officer holds a newer live certificate


def findings(facts: CleanupFacts, today: date, suspension_months: int) -> list[CleanupReason]:
    """Every reason the holder should no longer hold this certificate; empty: none."""
    now = effective_status(facts.status, facts.valid_until, facts.suspended_until, today)
    reasons: list[CleanupReason] = []
    if now is CertificateStatus.EXPIRED:
        reasons.append(CleanupReason.LAPSED)
    if not facts.in_post:
        reasons.append(CleanupReason.NOT_IN_POST)
    if not facts.employment_type.may_hold_certificate:
        reasons.append(CleanupReason.NOT_ELIGIBLE)
    if facts.issuer_prefix and not facts.agency_region.startswith(facts.issuer_prefix):
        reasons.append(CleanupReason.OUTSIDE_AREA)
    if facts.newer_live and now.is_current:
        reasons.append(CleanupReason.DUPLICATE)
    since = facts.suspended_since
    if (
        now is CertificateStatus.SUSPENDED
        and since is not None
        and add_months(since, suspension_months) < today
    ):
        reasons.append(CleanupReason.LONG_SUSPENSION)
    return reasons
