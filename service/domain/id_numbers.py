"""Resident ID numbers (GB 11643): 6-digit region, 8-digit birth date, 3-digit sequence, check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from service.domain.checksum import mod11_2
from service.domain.errors import InvalidInput
from service.domain.people import Gender

_SHAPE = re.compile(r"^\d{17}[\dX]$")
# First two digits: the province-level codes of GB/T 2260 (incl. Taiwan, Hong Kong, Macao).
_PROVINCES = frozenset(
    str(code)
    for code in (
        *(11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45),
        *(46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83),
    )
)


@dataclass(frozen=True, slots=True)
class IdNumber:
    value: str
    birth_date: date
    gender: Gender


def parse_id_number(raw: str, *, today: date) -> IdNumber:
    """Validate an 18-character ID number and read its birth date and gender.

    Raises InvalidInput (`officer.bad_id_number`) saying what is wrong.
    """
    value = raw.strip().upper()
    if not _SHAPE.match(value):
        raise _bad("an ID number has 17 digits followed by a digit or X")
    if value[:2] not in _PROVINCES:
        raise _bad(f"{value[:2]} is not a province code")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise _bad(f"{value[6:14]} is not a valid birth date") from None
    if not date(1900, 1, 1) <= born <= today:
        raise _bad(f"birth date {born.isoformat()} is out of range")
    if mod11_2(value[:17]) != value[17]:
        raise _bad("the check character does not match (ISO 7064 MOD 11-2)")
    gender = Gender.MALE if int(value[16]) % 2 else Gender.FEMALE
    return IdNumber(value=value, birth_date=born, gender=gender)


def _bad(why: str) -> InvalidInput:
    return InvalidInput(
        f"Invalid ID number: {why}.", code="officer.bad_id_number", field="id_number"
    )
