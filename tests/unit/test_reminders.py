"""Reminder rules: amber from 60 days before a deadline, red after it."""

from __future__ import annotations

from datetime import date

from service.domain.annual_review import ReviewWindow, Warning, review_due
from service.domain.reminders import ReminderKind, expiry_reminder, hours_reminder, review_reminder

WINDOW = ReviewWindow()


def test_hours_short_are_amber_in_the_last_sixty_days_of_the_year() -> None:
    assert hours_reminder(2026, 5, date(2026, 10, 31), WINDOW) is None
    amber = hours_reminder(2026, 5, date(2026, 11, 1), WINDOW)  # 60 days before 12-31
    assert amber is not None and amber.level is Warning.AMBER
    assert amber.message == "2026年度学时还差 0.5 学时，请在 12 月 31 日前完成"
    assert hours_reminder(2026, 0, date(2026, 12, 30), WINDOW) is None


def test_hours_short_turn_red_after_the_year_until_its_review_deadline() -> None:
    red = hours_reminder(2026, 200, date(2027, 1, 2), WINDOW)
    assert red is not None and red.level is Warning.RED and red.kind is ReminderKind.HOURS_SHORT
    assert "还差 20.0 学时" in red.message
    assert hours_reminder(2026, 200, date(2027, 4, 30), WINDOW) is not None
    assert hours_reminder(2026, 200, date(2027, 5, 1), WINDOW) is None


def test_expiry_is_amber_sixty_days_before_and_red_after() -> None:
    until = date(2027, 3, 1)
    assert expiry_reminder(until, date(2026, 12, 30), 60) is None
    amber = expiry_reminder(until, date(2026, 12, 31), 60)
    assert amber is not None and amber.level is Warning.AMBER and "还有 60 天" in amber.message
    assert expiry_reminder(until, date(2027, 3, 1), 60).level is Warning.AMBER  # type: ignore[union-attr]
    assert expiry_reminder(until, date(2027, 3, 2), 60).level is Warning.RED  # type: ignore[union-attr]
    assert expiry_reminder(None, date(2027, 3, 2), 60) is None


def test_review_reminder_follows_the_review_window() -> None:
    due = review_due(date(2024, 5, 1), 2024, date(2026, 3, 15), WINDOW)
    amber = review_reminder(due)
    assert (
        amber is not None and amber.level is Warning.AMBER and amber.deadline == date(2026, 4, 30)
    )
    late = review_reminder(review_due(date(2024, 5, 1), 2024, date(2026, 5, 1), WINDOW))
    assert late is not None and late.level is Warning.RED
    assert review_reminder(review_due(date(2024, 5, 1), 2025, date(2026, 5, 1), WINDOW)) is None


def test_alerts_count_everything_but_keep_only_the_most_urgent() -> None:
    from service.usecases.reminders import Alert, Alerts

    alerts = Alerts(limit=2)
    for officer_id, day in enumerate((5, 1, 4, 2, 3), 1):
        reminder = expiry_reminder(date(2027, 3, day), date(2027, 2, 1), 60)
        assert reminder is not None
        alerts.add(Alert(reminder, officer_id, "张伟", "英吉沙县司法局"))
    late = expiry_reminder(date(2027, 1, 1), date(2027, 2, 1), 60)
    assert late is not None
    alerts.add(Alert(late, 9, "李娜", "英吉沙县司法局"))
    alerts.trim()
    assert alerts.counts == {"expiry": {"amber": 5, "red": 1}}
    assert [a.officer_id for a in alerts.items] == [9, 2]  # red first, then the soonest
