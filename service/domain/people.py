"""Officers: employment types, posts and the records kept on them."""

from __future__ import annotations

from enum import StrEnum


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class EmploymentType(StrEnum):
    CIVIL_SERVANT = "civil_servant"
    CIVIL_SERVANT_MANAGED = "civil_servant_managed"
    PUBLIC_INSTITUTION = "public_institution"
    CONTRACT = "contract"
    DISPATCHED = "dispatched"
    TEMPORARY = "temporary"
    SUPPORT = "support"

    @property
    def may_hold_certificate(self) -> bool:
        """Only established staff may enforce; contract, dispatched, temporary and support may not."""
        return self in _ELIGIBLE


_ELIGIBLE = frozenset(
    {
        EmploymentType.CIVIL_SERVANT,
        EmploymentType.CIVIL_SERVANT_MANAGED,
        EmploymentType.PUBLIC_INSTITUTION,
    }
)


class ExamKind(StrEnum):
    GENERAL_LAW = "general_law"
    SPECIALISED = "specialised"


class AssessmentResult(StrEnum):
    EXCELLENT = "excellent"
    COMPETENT = "competent"
    BASICALLY_COMPETENT = "basically_competent"
    INCOMPETENT = "incompetent"


class SanctionKind(StrEnum):
    """Disciplinary sanctions, mildest first; `demerit` and above bar a certificate."""

    WARNING = "warning"
    DEMERIT = "demerit"
    MAJOR_DEMERIT = "major_demerit"
    DEMOTION = "demotion"
    REMOVAL = "removal"
    DISMISSAL = "dismissal"

    @property
    def bars_certificate(self) -> bool:
        return self is not SanctionKind.WARNING
