"""Officers: employment types, posts and the records kept on them."""

from __future__ import annotations

import re
from enum import StrEnum

from service.domain.errors import InvalidInput
from service.domain.text import collapse


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
        """Only established staff may enforce: not contract, dispatched, temporary or support."""
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
    """Disciplinary sanctions, mildest first."""

    WARNING = "warning"
    DEMERIT = "demerit"
    MAJOR_DEMERIT = "major_demerit"
    DEMOTION = "demotion"
    REMOVAL = "removal"
    DISMISSAL = "dismissal"

    @property
    def bars_certificate(self) -> bool:
        """记过 (demerit) and above bar a certificate while in force."""
        return self is not SanctionKind.WARNING

    @property
    def default_months(self) -> int | None:
        """How long it lasts when no end is recorded (政务处分法 art. 8); None: for good."""
        return _SANCTION_MONTHS[self]


_SANCTION_MONTHS: dict[SanctionKind, int | None] = {
    SanctionKind.WARNING: 6,
    SanctionKind.DEMERIT: 12,
    SanctionKind.MAJOR_DEMERIT: 18,
    SanctionKind.DEMOTION: 24,
    SanctionKind.REMOVAL: 24,
    SanctionKind.DISMISSAL: None,
}


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def validate_phone(phone: str) -> str:
    """A mainland mobile number (11 digits) or a landline with its area code."""
    phone = phone.strip().replace(" ", "")
    if not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        raise InvalidInput(
            f"{phone!r} is neither a mobile (11 digits) nor a landline number.",
            code="officer.bad_phone",
            field="phone",
        )
    return phone


def validate_person_name(name: str) -> str:
    """1 to 50 characters; the middle dot of minority names (阿不都·热合曼) is kept."""
    name = collapse(name)
    if not 1 <= len(name) <= 50 or any(c.isdigit() for c in name):
        raise InvalidInput(
            "A name has 1 to 50 characters and no digits.", code="officer.bad_name", field="name"
        )
    return name
