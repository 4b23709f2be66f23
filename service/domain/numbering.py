"""Certificate numbers: 6-digit region + 2-digit sector + 2-digit year + 5-digit sequence +
1 check character (ISO 7064 MOD 11-2, as on ID cards): 16 characters.

Example: 653123 03 26 00017 plus its check character. The first ten characters are the
numbering prefix; each prefix has its own sequence, so numbers are never reused.

Certificates issued before a bureau took the service up keep the number printed on them
(legacy numbers): 6 to 32 characters of digits, capital Latin letters, `-` and Chinese
characters (some provinces print their one-character abbreviation, such as 新). They are
looked up as printed. The check character is ours: a number in our 16-character shape
must carry a correct one, legacy or not, so a mistyped number of ours is refused before
any lookup.
"""

from __future__ import annotations

import re

from service.domain.checksum import mod11_2
from service.domain.errors import Conflict, InvalidInput

LENGTH = 16
PREFIX_LENGTH = 10
MAX_SEQUENCE = 99_999
LEGACY_LENGTH = (6, 32)
_SHAPE = re.compile(r"^\d{15}[\dX]$")
_LEGACY = re.compile(r"^[0-9A-Z\-\u3400-\u4dbf\u4e00-\u9fff]{6,32}$")


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
    """A well-formed number, normalised (no spaces, capital letters): ours with a correct
    check character, or a legacy number's shape.

    Raises InvalidInput `certificate.bad_number`, so a mistyped number of ours is refused
    before any lookup.
    """
    number = normalise(raw)
    if _SHAPE.match(number):
        if mod11_2(number[:-1]) != number[-1]:
            raise InvalidInput(
                "The check character does not match: the number is mistyped.",
                code="certificate.bad_number",
                field="number",
            )
        return number
    if not _LEGACY.match(number):
        raise InvalidInput(
            f"A certificate number has {LENGTH} characters (15 digits and a check digit or X), "
            f"or, if issued before this service, {LEGACY_LENGTH[0]} to {LEGACY_LENGTH[1]} "
            "digits, capital letters, '-' and Chinese characters.",
            code="certificate.bad_number",
            field="number",
        )
    return number


def normalise(raw: str) -> str:
    """A number as typed, without spaces (any kind) and with capital letters."""
    return "".join(raw.split()).upper()


def is_ours(number: str) -> bool:
    """A number in the shape this service assigns (its check character unchecked)."""
    return bool(_SHAPE.match(number))
