"""The status on a past day from a certificate's events, and the authority it gave."""

from __future__ import annotations

from datetime import date

import pytest

from service.domain.certificates import CertificateStatus
from service.domain.errors import InvalidInput
from service.domain.events import EventAction
from service.domain.history import NotAuthorised, Step, Unknown, authority, check_day, status_on

AREA = {"enforcement_area": "英吉沙县", "enforcement_categories": ["市场监管"]}
ISSUED = {"status": "active", "valid_from": "2025-02-10", "valid_until": "2030-02-09", **AREA}
STEPS = [
    Step(date(2025, 2, 1), EventAction.APPLY, {"status": "pending", "valid_from": None, **AREA}),
    Step(date(2025, 2, 10), EventAction.ISSUE, ISSUED),
    Step(date(2025, 3, 3), EventAction.SUSPEND, {**ISSUED, "status": "suspended"}),
    Step(date(2025, 4, 10), EventAction.REINSTATE, ISSUED),
]


def test_each_day_reads_the_last_event_recorded_by_its_end() -> None:
    assert status_on(STEPS, date(2025, 2, 5)).unknown is Unknown.NOT_ISSUED
    assert status_on(STEPS, date(2025, 2, 10)).status is CertificateStatus.ACTIVE
    assert status_on(STEPS, date(2025, 4, 1)).status is CertificateStatus.SUSPENDED
    assert status_on(STEPS, date(2025, 4, 10)).status is CertificateStatus.ACTIVE
    assert [s.action for s in status_on(STEPS, date(2025, 4, 1)).decided_by][-1] is (
        EventAction.SUSPEND
    )


def test_lapses_without_events_count_on_their_day() -> None:
    short = {**ISSUED, "valid_until": "2025-12-31"}
    ended = [
        Step(date(2025, 2, 10), EventAction.ISSUE, short),
        Step(
            date(2025, 3, 3),
            EventAction.SUSPEND,
            {**short, "status": "suspended", "suspended_until": "2025-03-31"},
        ),
    ]
    assert status_on(ended, date(2025, 3, 31)).status is CertificateStatus.SUSPENDED
    assert status_on(ended, date(2025, 4, 1)).status is CertificateStatus.ACTIVE
    assert status_on(ended, date(2026, 1, 1)).status is CertificateStatus.EXPIRED


def test_an_imported_certificate_is_unknown_before_its_import() -> None:
    imported = [Step(date(2026, 5, 1), EventAction.IMPORT, {**ISSUED, "valid_from": "2021-06-01"})]
    assert status_on(imported, date(2021, 5, 31)).unknown is Unknown.NOT_ISSUED
    assert status_on(imported, date(2024, 1, 1)).unknown is Unknown.BEFORE_IMPORT
    assert status_on(imported, date(2026, 5, 1)).status is CertificateStatus.ACTIVE


def test_authority_checks_force_area_and_category() -> None:
    on_day = status_on(STEPS, date(2025, 2, 20))
    assert authority(on_day, "英吉沙县芒辛镇", "市场监管") == []
    assert authority(on_day, "莎车县", None) == [NotAuthorised.AREA_NOT_COVERED]
    assert authority(on_day, None, "交通运输") == [NotAuthorised.CATEGORY_NOT_COVERED]
    assert authority(status_on(STEPS, date(2025, 4, 1)), "英吉沙县", "市场监管") == [
        NotAuthorised.NOT_IN_FORCE
    ]
    assert authority(status_on(STEPS, date(2025, 1, 1)), "莎车县", "x") == [
        NotAuthorised.NOT_IN_FORCE
    ]


def test_a_future_day_is_refused_not_guessed() -> None:
    check_day(date(2026, 12, 1), date(2026, 12, 1))
    for day in (date(2026, 12, 2), date(1999, 12, 31)):
        with pytest.raises(InvalidInput) as refused:
            check_day(day, date(2026, 12, 1))
        assert refused.value.code == "certificate.bad_day"
