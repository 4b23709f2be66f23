"""An officer's hours against the requirement, and reminders, as both APIs show them
(`/api/v1/officers/{id}/hours` and the officer's own `/mobile/v1/me/progress`)."""

from __future__ import annotations

from datetime import date

import msgspec

from service.domain.hours import HourCategory, LedgerSource, as_hours, hours_of
from service.domain.reminders import Reminder, ReminderKind
from service.domain.requirements import TOTAL
from service.usecases import progress


class RecordOut(msgspec.Struct):
    source: LedgerSource
    category: HourCategory
    hours: float
    at: date
    title: str
    reason: str


class ProgressOut(msgspec.Struct):
    year: int
    officer_id: int
    officer_name: str
    required: dict[str, float]
    earned: dict[str, float]
    short: dict[str, float]
    compliant: bool
    records: list[RecordOut]


def progress_out(p: progress.Progress) -> ProgressOut:
    earned = {str(c): p.earned.get(c, 0) for c in HourCategory}
    earned[TOTAL] = sum(p.earned.values())
    return ProgressOut(
        year=p.year,
        officer_id=p.officer.id,
        officer_name=p.officer.name,
        required=hours_of(p.requirement.required()),
        earned=hours_of(earned),
        short=hours_of(p.short),
        compliant=p.compliant,
        records=[
            RecordOut(r.source, r.category, as_hours(r.tenths), r.occurred_on, r.title, r.reason)
            for r in p.records
        ],
    )


class ReminderOut(msgspec.Struct):
    kind: ReminderKind
    level: str  # amber: the deadline is near; red: it has passed
    deadline: date
    message: str


def reminder_out(reminder: Reminder) -> ReminderOut:
    return ReminderOut(reminder.kind, str(reminder.level), reminder.deadline, reminder.message)
