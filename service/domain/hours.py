"""Training hours: categories and the integer tenths they are stored in."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from service.domain.errors import InvalidInput


class HourCategory(StrEnum):
    PUBLIC_LAW = "public_law"
    PROFESSIONAL = "professional"
    POLITICAL = "political"


class LedgerSource(StrEnum):
    ATTENDANCE = "attendance"
    EXTERNAL = "external"
    ADJUSTMENT = "adjustment"
    IMPORT = "import"  # reported in bulk: another platform, a provider's completions


def parse_tenths(value: str | int | float | Decimal, *, field: str = "hours") -> int:
    """'12.5', 12.5 or 12 hours -> 125 tenths; more than one decimal place is refused."""
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(
            f"{value!r} is not a number of hours.", code="hours.bad_value", field=field
        ) from None
    tenths = hours * 10
    if not hours.is_finite() or tenths != tenths.to_integral_value():
        raise InvalidInput(
            f"{value!r}: hours take at most one decimal place.", code="hours.bad_value", field=field
        )
    return int(tenths)


def format_tenths(tenths: int) -> str:
    """125 -> '12.5'; hours are always shown with one decimal place."""
    sign = "-" if tenths < 0 else ""
    whole, rest = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{rest}"


def as_hours(tenths: int) -> float:
    """125 -> 12.5: hours as the API and the spreadsheets show them (the nearest float to
    the one-decimal value, which prints as it)."""
    return tenths / 10


def maybe_hours(tenths: int | None) -> float | None:
    """`as_hours`, keeping None (not decided yet, not set)."""
    return None if tenths is None else as_hours(tenths)


def hours_of(tenths: Mapping[str, int]) -> dict[str, float]:
    """A table of tenths (per category, `total`) as hours, the keys as strings."""
    return {str(key): as_hours(value) for key, value in tenths.items()}
