"""Officers: employment types, posts and the records kept on them."""

from __future__ import annotations

import re
import unicodedata
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


# The middle dot of minority names (阿不都·热合曼) as people type it; kept as U+00B7.
_DOTS = str.maketrans({"\u2027": "·", "\u30fb": "·", "\uff65": "·", "\u2022": "·"})


def validate_person_name(name: str) -> str:
    """1 to 50 characters of what names hold: letters of any script (CJK included), the
    marks some scripts combine with them, the middle dot and spaces. Digits, `<`, `>`,
    `=`, punctuation and control characters are refused: a name travels into pages,
    spreadsheets and messages."""
    name = collapse(name.translate(_DOTS))
    allowed = all(
        char.isalpha() or char in " ·" or unicodedata.category(char).startswith("M")
        for char in name
    )
    if not 1 <= len(name) <= 50 or not allowed or not any(char.isalpha() for char in name):
        raise InvalidInput(
            "A name has 1 to 50 letters, with spaces or the middle dot (·) between them.",
            code="officer.bad_name",
            field="name",
        )
    return name
