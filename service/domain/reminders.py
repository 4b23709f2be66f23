"""Reminders: hours short as the year ends, an annual review or an expiry coming up.

One rule for all three: amber from `warning_days` (60 by default) before the deadline,
red once it has passed. The deadline of a year's hours is 31 December; once that has
passed the shortfall stays red until the year's annual review is over (its deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from service.domain.annual_review import ReviewDue, ReviewWindow, Warning
from service.domain.hours import format_tenths


class ReminderKind(StrEnum):
    HOURS_SHORT = "hours_short"  # 学时不足
    REVIEW_DUE = "review_due"  # 年审
    EXPIRY = "expiry"  # 证件到期


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: ReminderKind
    level: Warning
    deadline: date
    message: str  # 中文, for the officer's phone and the bureau's list


def _level(deadline: date, today: date, warning_days: int) -> Warning | None:
    if today > deadline:
        return Warning.RED
    if today >= deadline - timedelta(days=warning_days):
        return Warning.AMBER
    return None


def _hours_level(year: int, today: date, window: ReviewWindow) -> Warning | None:
    if today > window.deadline(year):
        return None  # the year's annual review is over: nothing left to remind of
    return _level(date(year, 12, 31), today, window.warning_days)


def hours_season(year: int, today: date, window: ReviewWindow) -> bool:
    """Whether hours of `year` still short would raise a reminder today."""
    return _hours_level(year, today, window) is not None


def hours_reminder(
    year: int, short_tenths: int, today: date, window: ReviewWindow
) -> Reminder | None:
    """For hours of `year` still `short_tenths` short (in total, over every category):
    amber in the year's last weeks, red after it until that year's review deadline."""
    level = _hours_level(year, today, window)
    if short_tenths <= 0 or level is None:
        return None
    hours = format_tenths(short_tenths)
    if level is Warning.RED:
        message = f"{year}年度学时未达标，还差 {hours} 学时，将影响年审"
    else:
        message = f"{year}年度学时还差 {hours} 学时，请在 12 月 31 日前完成"
    return Reminder(ReminderKind.HOURS_SHORT, level, date(year, 12, 31), message)


def review_reminder(due: ReviewDue | None) -> Reminder | None:
    """For a certificate that still owes its annual review (see `review_due`)."""
    if due is None or due.warning is None:
        return None
    if due.warning is Warning.RED:
        message = f"{due.year}年度年审已于 {due.deadline:%m月%d日} 截止，证件尚未年审"
    else:
        message = f"{due.year}年度年审请在 {due.deadline:%m月%d日} 前完成"
    return Reminder(ReminderKind.REVIEW_DUE, due.warning, due.deadline, message)


def expiry_reminder(valid_until: date | None, today: date, warning_days: int) -> Reminder | None:
    """For a certificate in force (or lapsed and not renewed) ending on `valid_until`."""
    if valid_until is None:
        return None
    level = _level(valid_until, today, warning_days)
    if level is None:
        return None
    if level is Warning.RED:
        message = f"执法证已于 {valid_until:%Y年%m月%d日} 到期，请申请换证"
    else:
        days = (valid_until - today).days
        message = f"执法证将于 {valid_until:%Y年%m月%d日} 到期（还有 {days} 天），请及时换证"
    return Reminder(ReminderKind.EXPIRY, level, valid_until, message)
