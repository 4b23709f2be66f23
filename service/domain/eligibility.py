"""Who may be issued a certificate. Every unmet condition is reported, not just the first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.domain.certificates import (
    CertificateRules,
    CertificateStatus,
    add_months,
    add_years,
)
from service.domain.people import EmploymentType, ExamKind, SanctionKind


@dataclass(frozen=True, slots=True)
class ExamRecord:
    kind: ExamKind
    score: Decimal
    taken_on: date


@dataclass(frozen=True, slots=True)
class SanctionRecord:
    kind: SanctionKind
    effective_on: date
    ends_on: date | None = None

    def last_day(self) -> date | None:
        """The last day in force: the recorded end, else the statutory period; None: never
        ends."""
        if self.ends_on is not None:
            return self.ends_on
        months = self.kind.default_months
        return None if months is None else add_months(self.effective_on, months)

    def in_force_on(self, day: date) -> bool:
        last = self.last_day()
        return self.effective_on <= day and (last is None or day <= last)


@dataclass(frozen=True, slots=True)
class CurrentCertificate:
    """The certificate the applicant holds now, if any."""

    status: CertificateStatus
    valid_until: date


@dataclass(frozen=True, slots=True)
class Applicant:
    employment_type: EmploymentType
    in_post: bool
    exams: Sequence[ExamRecord] = ()
    sanctions: Sequence[SanctionRecord] = ()
    last_revoked_on: date | None = None
    current: CurrentCertificate | None = None
    has_pending_application: bool = False


@dataclass(frozen=True, slots=True)
class Unmet:
    code: str
    message: str  # English, for the API's detail
    label: str  # 中文, for the admin's screen


def unmet_conditions(applicant: Applicant, rules: CertificateRules, today: date) -> list[Unmet]:
    """Every condition for issuing a certificate that the applicant does not meet today.

    An empty list means eligible. A holder may apply again only to renew, in the months
    before expiry, and then both exams must be taken in that window.
    """
    unmet: list[Unmet] = []
    if not applicant.employment_type.may_hold_certificate:
        unmet.append(
            Unmet(
                "eligibility.employment_type",
                f"Staff employed as {applicant.employment_type} may not hold a certificate.",
                "非在编人员（合同工、劳务派遣、临时工、工勤辅助人员）不得申领执法证",
            )
        )
    if not applicant.in_post:
        unmet.append(
            Unmet("eligibility.not_in_post", "Not in an enforcement post.", "未在执法岗位")
        )
    exams_since = _renewal_checks(applicant, rules, today, unmet)
    for kind, name, label in (
        (ExamKind.GENERAL_LAW, "general-law", "综合法律知识考试"),
        (ExamKind.SPECIALISED, "specialised-law", "专业法律知识考试"),
    ):
        if not any(
            e.kind is kind
            and e.score >= rules.pass_score
            and e.taken_on <= today
            and (exams_since is None or e.taken_on >= exams_since)
            for e in applicant.exams
        ):
            window = "" if exams_since is None else f" since {exams_since.isoformat()}"
            unmet.append(
                Unmet(
                    f"eligibility.{kind}_exam",
                    f"No passed {name} exam (score >= {rules.pass_score}){window}.",
                    f"{label}未合格（{rules.pass_score}分及以上）",
                )
            )
    barring = [s for s in applicant.sanctions if s.kind.bars_certificate and s.in_force_on(today)]
    if barring:
        kinds = ", ".join(sorted({str(s.kind) for s in barring}))
        unmet.append(
            Unmet(
                "eligibility.sanction_in_force",
                f"A sanction of demerit or above is in force ({kinds}).",
                "记过以上处分期间",
            )
        )
    revoked = applicant.last_revoked_on
    if revoked is not None and today < add_years(revoked, rules.revocation_bar_years):
        unmet.append(
            Unmet(
                "eligibility.recently_revoked",
                f"A certificate was revoked on {revoked.isoformat()}: no new application for "
                f"{rules.revocation_bar_years} years.",
                f"执法证被吊销未满{rules.revocation_bar_years}年",
            )
        )
    if applicant.has_pending_application:
        unmet.append(
            Unmet(
                "eligibility.application_pending",
                "An application is pending already.",
                "已有待审批的申领",
            )
        )
    return unmet


def _renewal_checks(
    applicant: Applicant, rules: CertificateRules, today: date, unmet: list[Unmet]
) -> date | None:
    """For a holder: adds what bars a renewal; returns the day the exams must be taken
    from (None for a first application)."""
    current = applicant.current
    if current is None:
        return None
    window_opens = add_months(current.valid_until, -rules.renewal_window_months)
    if current.status is CertificateStatus.SUSPENDED:
        unmet.append(
            Unmet(
                "eligibility.certificate_suspended",
                "The current certificate is suspended.",
                "现持执法证处于暂扣状态",
            )
        )
    elif today < window_opens:
        unmet.append(
            Unmet(
                "eligibility.holds_certificate",
                f"Holds a valid certificate; renewal opens on {window_opens.isoformat()}.",
                f"已持有效执法证，{window_opens.isoformat()}起方可申请换证",
            )
        )
    return window_opens
