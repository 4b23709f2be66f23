"""Yearly hour requirements: per-category minimums and/or a total, inherited down regions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from service.domain.errors import InvalidInput
from service.domain.hours import HourCategory

TOTAL = "total"
_KEYED = tuple((str(category), category) for category in HourCategory)  # built once: hot


@dataclass(frozen=True, slots=True)
class Requirement:
    """Minimum tenths of an hour per category (absent: not required) and overall."""

    minimums: Mapping[HourCategory, int] = field(default_factory=dict)
    min_total: int | None = None

    def required(self) -> dict[str, int]:
        """Per category and `total`; the total is at least the sum of the categories."""
        needed: dict[str, int] = {key: self.minimums.get(c, 0) for key, c in _KEYED}
        needed[TOTAL] = max(self.min_total or 0, sum(self.minimums.values()))
        return needed

    def short(self, earned: Mapping[HourCategory, int]) -> dict[str, int]:
        """How many tenths are missing, per category and in total (0 where met)."""
        got: dict[str, int] = {key: earned.get(c, 0) for key, c in _KEYED}
        got[TOTAL] = sum(earned.values())
        return shortfall(self.required(), got)

    def is_met(self, earned: Mapping[HourCategory, int]) -> bool:
        return not any(self.short(earned).values())


def shortfall(required: Mapping[str, int], got: Mapping[str, int]) -> dict[str, int]:
    """How many tenths are missing of what is `required`, per category and `total`."""
    return {key: max(0, need - got[key]) for key, need in required.items()}


def missing(short: Mapping[str, int]) -> int:
    """Tenths still to earn: the total missing, or the categories' sum where that is
    more (19.5 h + 40.5 h meets a 60 h total but still misses 0.5 h of public law)."""
    return max(short[TOTAL], sum(v for k, v in short.items() if k != TOTAL))


DEFAULT_REQUIREMENT = Requirement(
    minimums={HourCategory.PUBLIC_LAW: 200, HourCategory.PROFESSIONAL: 400}
)


def nearest(
    nearest_first: Iterable[tuple[str, Requirement | None]],
) -> tuple[Requirement, str | None]:
    """The requirement of the nearest region that sets one, walking from the region
    itself up its parents as `(region code, requirement set there or None)`, with the
    code of the region that set it; else the default of 20 h public law + 40 h
    professional, set by none (None)."""
    for code, requirement in nearest_first:
        if requirement is not None:
            return requirement, code
    return DEFAULT_REQUIREMENT, None


MAX_TENTHS = 5_000  # 500 h a year: anything above is a typing error


def new_requirement(minimums: Mapping[HourCategory, int], min_total: int | None) -> Requirement:
    """A requirement as set by a bureau: 0 to 500 h each, and something required."""
    for key, tenths in [*((str(c), t) for c, t in minimums.items()), ("total", min_total)]:
        if tenths is not None and not 0 <= tenths <= MAX_TENTHS:
            raise InvalidInput(
                f"{key}: a yearly requirement is 0 to 500 hours.",
                code="requirement.bad_hours",
                field="min_total" if key == "total" else "min_hours",
            )
    if not any(minimums.values()) and not min_total:
        raise InvalidInput(
            "Require some hours: per category, in total, or both.",
            code="requirement.empty",
            field="min_hours",
        )
    return Requirement(dict(minimums), min_total)
