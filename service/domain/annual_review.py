"""Annual review (年审) of year Y, run in a window of Y+1: who passes and why not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from service.domain.errors import InvalidInput
from service.domain.hours import HourCategory, format_tenths
from service.domain.labels import label
from service.domain.people import AssessmentResult
from service.domain.requirements import TOTAL, Requirement


class ReviewFailure(StrEnum):
    NOT_IN_POST = "not_in_post"
    HOURS_SHORT = "hours_short"
    INCOMPETENT = "incompetent"
    SANCTIONED = "sanctioned"


class Warning(StrEnum):
    AMBER = "amber"  # the deadline is near
    RED = "red"  # the deadline has passed


@dataclass(frozen=True, slots=True)
class ReviewWindow:
    """Month and day of the window's first and last day in year Y+1, and the warning lead."""

    start: tuple[int, int] = (3, 31)
    end: tuple[int, int] = (4, 30)
    warning_days: int = 60

    def opens(self, year: int) -> date:
        return date(year + 1, *self.start)

    def deadline(self, year: int) -> date:
        return date(year + 1, *self.end)

    def warning(self, year: int, today: date) -> Warning | None:
        """For a certificate not yet reviewed for `year`."""
        deadline = self.deadline(year)
        if today > deadline:
            return Warning.RED
        if today >= deadline - timedelta(days=self.warning_days):
            return Warning.AMBER
        return None


def parse_month_day(raw: str) -> tuple[int, int]:
    """'03-31' -> (3, 31); any year's calendar must have the day (so no 02-29)."""
    try:
        month, day = (int(part) for part in raw.split("-"))
        date(2001, month, day)
    except ValueError:
        raise ValueError(f"not a month and day (MM-DD): {raw!r}") from None
    return month, day


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """What the review of one certificate for one year looks at."""

    in_post: bool
    earned: Mapping[HourCategory, int]
    requirement: Requirement
    assessment: AssessmentResult | None
    sanctioned_in_year: bool  # a sanction of 记过 or above took effect in the year


@dataclass(frozen=True, slots=True)
class Finding:
    failure: ReviewFailure
    message: str  # 中文: the suspension's reason and what the officer reads


def review(facts: ReviewFacts) -> list[Finding]:
    """Every reason the certificate fails the review; an empty list is a pass."""
    findings: list[Finding] = []
    if not facts.in_post:
        findings.append(Finding(ReviewFailure.NOT_IN_POST, "已不在执法岗位"))
    short = facts.requirement.short(facts.earned)
    if any(short.values()):
        parts = [
            f"{_shortfall_label(key)}差{format_tenths(tenths)}学时"
            for key, tenths in short.items()
            if tenths
        ]
        findings.append(Finding(ReviewFailure.HOURS_SHORT, "学时未达标：" + "，".join(parts)))
    if facts.assessment is AssessmentResult.INCOMPETENT:
        findings.append(Finding(ReviewFailure.INCOMPETENT, "年度考核不称职"))
    if facts.sanctioned_in_year:
        findings.append(Finding(ReviewFailure.SANCTIONED, "年内受到记过以上处分"))
    return findings


def _shortfall_label(key: str) -> str:
    return "总学时" if key == TOTAL else label(HourCategory(key))


def is_due(valid_from: date, year: int) -> bool:
    """A certificate issued after year Y is not reviewed for Y."""
    return valid_from.year <= year


def check_year(year: int, today: date, *, preview: bool = False) -> None:
    """Only a finished year can be reviewed; a preview (a dry run) may take the running
    year too, answering who would fail if the year ended today."""
    last = today.year if preview else today.year - 1
    if not 2000 <= year <= last:
        running = " (the running year only as a dry run)" if not preview else ""
        raise InvalidInput(
            f"Year {year} cannot be reviewed: only finished years, from 2000{running}.",
            code="annual_review.bad_year",
            field="year",
        )


@dataclass(frozen=True, slots=True)
class ReviewDue:
    year: int
    deadline: date
    warning: Warning | None


def review_due(
    valid_from: date | None, last_review_year: int | None, today: date, window: ReviewWindow
) -> ReviewDue | None:
    """The review a current certificate still owes for last year, with its warning."""
    year = today.year - 1
    if valid_from is None or not is_due(valid_from, year) or (last_review_year or 0) >= year:
        return None
    return ReviewDue(year, window.deadline(year), window.warning(year, today))
