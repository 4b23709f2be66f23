"""Certificate numbers: 6-digit region + 2-digit sector + 2-digit year + 5-digit sequence +
1 check character (ISO 7064 MOD 11-2, as on ID cards): 16 characters.

Example: 653123 03 26 00017 plus its check character. The first ten characters are the
numbering prefix; each prefix has its own sequence, so numbers are never reused.
"""

from __future__ import annotations

import re

from service.domain.checksum import mod11_2
from service.domain.errors import Conflict, InvalidInput

LENGTH = 16
PREFIX_LENGTH = 10
MAX_SEQUENCE = 99_999
_SHAPE = re.compile(r"^\d{15}[\dX]$")


def number_prefix(region_code: str, sector: str, year: int) -> str:
    """The ten characters before the sequence. A township's code is cut to its county's."""
    region = region_code[:6]
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"not a region code: {region_code!r}")
    if len(sector) != 2 or not sector.isdigit():
        raise ValueError(f"not a sector code: {sector!r}")
    return f"{region}{sector}{year % 100:02d}"


def format_number(prefix: str, sequence: int) -> str:
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise Conflict(
            f"Certificate numbers for {prefix} are used up this year ({MAX_SEQUENCE}).",
            code="certificate.numbers_exhausted",
        )
    body = f"{prefix}{sequence:05d}"
    return body + mod11_2(body)


def parse_number(raw: str) -> str:
    """A well-formed number with a correct check character, normalised (upper-case X).

    Raises InvalidInput `certificate.bad_number`, so a mistyped number is refused before
    any lookup.
    """
    number = raw.strip().replace(" ", "").upper()
    if not _SHAPE.match(number):
        raise InvalidInput(
            f"A certificate number has {LENGTH} characters: 15 digits and a check digit or X.",
            code="certificate.bad_number",
            field="number",
        )
    if mod11_2(number[:-1]) != number[-1]:
        raise InvalidInput(
            "The check character does not match: the number is mistyped.",
            code="certificate.bad_number",
            field="number",
        )
    return number
