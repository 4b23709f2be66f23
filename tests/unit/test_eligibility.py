"""Eligibility for a certificate: every unmet condition is reported."""

from datetime import date
from decimal import Decimal

from service.domain.certificates import CertificateRules, CertificateStatus
from service.domain.eligibility import (
    Applicant,
    CurrentCertificate,
    ExamRecord,
    SanctionRecord,
    unmet_conditions,
)
from service.domain.people import EmploymentType, ExamKind, SanctionKind

TODAY = date(2026, 11, 23)
RULES = CertificateRules()
PASSED = (
    ExamRecord(ExamKind.GENERAL_LAW, Decimal("78.5"), date(2026, 6, 1)),
    ExamRecord(ExamKind.SPECIALISED, Decimal("60"), date(2026, 6, 2)),
)


def codes(applicant: Applicant, today: date = TODAY) -> list[str]:
    return [u.code for u in unmet_conditions(applicant, RULES, today)]


def test_civil_servant_with_both_exams_passed_is_eligible() -> None:
    assert codes(Applicant(EmploymentType.CIVIL_SERVANT, True, PASSED)) == []


def test_every_unmet_condition_is_reported_not_just_the_first() -> None:
    applicant = Applicant(
        EmploymentType.CONTRACT,
        in_post=False,
        exams=(ExamRecord(ExamKind.GENERAL_LAW, Decimal("59.5"), date(2026, 6, 1)),),
        sanctions=(SanctionRecord(SanctionKind.DEMERIT, date(2026, 3, 1)),),
        last_revoked_on=date(2025, 1, 10),
        has_pending_application=True,
    )
    assert codes(applicant) == [
        "eligibility.employment_type",
        "eligibility.not_in_post",
        "eligibility.general_law_exam",
        "eligibility.specialised_exam",
        "eligibility.sanction_in_force",
        "eligibility.recently_revoked",
        "eligibility.application_pending",
    ]
    assert all(u.label for u in unmet_conditions(applicant, RULES, TODAY))


def test_only_established_staff_are_eligible() -> None:
    for kind in EmploymentType:
        refused = "eligibility.employment_type" in codes(Applicant(kind, True, PASSED))
        assert refused is (
            kind
            not in (
                EmploymentType.CIVIL_SERVANT,
                EmploymentType.CIVIL_SERVANT_MANAGED,
                EmploymentType.PUBLIC_INSTITUTION,
            )
        )


def test_a_warning_does_not_bar_but_a_demerit_does_until_it_ends() -> None:
    warning = SanctionRecord(SanctionKind.WARNING, date(2026, 10, 1))
    assert codes(Applicant(EmploymentType.CIVIL_SERVANT, True, PASSED, (warning,))) == []
    demerit = SanctionRecord(SanctionKind.DEMERIT, date(2025, 11, 24))  # 12 months by default
    applicant = Applicant(EmploymentType.CIVIL_SERVANT, True, PASSED, (demerit,))
    assert codes(applicant, date(2026, 11, 24)) == ["eligibility.sanction_in_force"]
    assert codes(applicant, date(2026, 11, 25)) == []
    ended = SanctionRecord(SanctionKind.MAJOR_DEMERIT, date(2026, 1, 1), ends_on=date(2026, 6, 30))
    assert codes(Applicant(EmploymentType.CIVIL_SERVANT, True, PASSED, (ended,))) == []
    dismissal = SanctionRecord(SanctionKind.DISMISSAL, date(2001, 1, 1))
    assert codes(Applicant(EmploymentType.CIVIL_SERVANT, True, PASSED, (dismissal,))) == [
        "eligibility.sanction_in_force"
    ]


def test_revocation_bars_a_new_application_for_two_years() -> None:
    applicant = Applicant(
        EmploymentType.CIVIL_SERVANT, True, PASSED, last_revoked_on=date(2024, 11, 24)
    )
    assert codes(applicant, date(2026, 11, 23)) == ["eligibility.recently_revoked"]
    assert codes(applicant, date(2026, 11, 24)) == []


def test_exam_scored_exactly_sixty_passes() -> None:
    exams = (
        ExamRecord(ExamKind.GENERAL_LAW, Decimal("60.0"), date(2026, 1, 1)),
        ExamRecord(ExamKind.SPECIALISED, Decimal("59.9"), date(2026, 1, 1)),
    )
    assert codes(Applicant(EmploymentType.CIVIL_SERVANT, True, exams)) == [
        "eligibility.specialised_exam"
    ]


def test_holder_may_only_renew_in_the_six_months_before_expiry_with_fresh_exams() -> None:
    current = CurrentCertificate(CertificateStatus.ACTIVE, valid_until=date(2027, 6, 30))
    early = Applicant(EmploymentType.CIVIL_SERVANT, True, PASSED, current=current)
    # The window opens on 2026-12-30; the exams of June 2026 are too old for a renewal.
    assert codes(early) == [
        "eligibility.holds_certificate",
        "eligibility.general_law_exam",
        "eligibility.specialised_exam",
    ]
    fresh = (
        ExamRecord(ExamKind.GENERAL_LAW, Decimal("80"), date(2027, 1, 5)),
        ExamRecord(ExamKind.SPECIALISED, Decimal("70"), date(2027, 1, 6)),
    )
    renewing = Applicant(EmploymentType.CIVIL_SERVANT, True, PASSED + fresh, current=current)
    assert codes(renewing, date(2027, 1, 10)) == []


def test_suspended_holder_cannot_renew() -> None:
    current = CurrentCertificate(CertificateStatus.SUSPENDED, valid_until=date(2027, 1, 31))
    fresh = (
        ExamRecord(ExamKind.GENERAL_LAW, Decimal("80"), date(2026, 11, 1)),
        ExamRecord(ExamKind.SPECIALISED, Decimal("70"), date(2026, 11, 1)),
    )
    applicant = Applicant(EmploymentType.CIVIL_SERVANT, True, fresh, current=current)
    assert codes(applicant) == ["eligibility.certificate_suspended"]
