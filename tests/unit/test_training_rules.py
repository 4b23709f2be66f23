"""Session rules: schedule, credit steps, geofence distance."""

from datetime import UTC, datetime, timedelta

import pytest

from service.domain.errors import Conflict, InvalidInput
from service.domain.training import (
    ALL_FACTS,
    CreditDecision,
    Flag,
    Geofence,
    ScanFacts,
    ScanKind,
    check_scan_time,
    credit_decision,
    distance_m,
    facts_index,
    scan_bounds,
    scan_flags,
    validate_credit,
    validate_schedule,
    window_accepted,
    window_of,
)

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_credit_is_half_hours_up_to_one_hundred() -> None:
    assert validate_credit(5) == 5
    assert validate_credit(1000) == 1000
    for bad in (0, 3, 12, 1005, -5):
        with pytest.raises(InvalidInput):
            validate_credit(bad)


def test_schedule_needs_offsets_order_and_at_most_a_month() -> None:
    validate_schedule(START, START + timedelta(days=31))
    for starts, ends in (
        (START, START),
        (START, START - timedelta(minutes=1)),
        (START, START + timedelta(days=31, seconds=1)),
        (START.replace(tzinfo=None), START.replace(tzinfo=None) + timedelta(hours=1)),
    ):
        with pytest.raises(InvalidInput):
            validate_schedule(starts, ends)


def test_geofence_measures_great_circle_distance() -> None:
    # 英吉沙县 司法局 to a point 0.01 degrees of latitude north: about 1.11 km.
    assert distance_m(38.929, 76.174, 38.939, 76.174) == pytest.approx(1112, abs=2)
    fence = Geofence(38.929, 76.174, 300)
    assert fence.contains(38.930, 76.175)
    assert not fence.contains(38.939, 76.174)
    with pytest.raises(InvalidInput):
        Geofence(91, 0, 100)


def test_scan_times_open_thirty_minutes_around_the_session() -> None:
    starts, ends = START, START + timedelta(hours=3)
    minute = timedelta(minutes=1)
    check_scan_time(ScanKind.CHECKIN, starts - timedelta(minutes=30), starts, ends)
    check_scan_time(ScanKind.CHECKIN, ends, starts, ends)
    check_scan_time(ScanKind.CHECKOUT, starts, starts, ends)
    check_scan_time(ScanKind.CHECKOUT, ends + timedelta(minutes=30), starts, ends)
    for kind, at, code in (
        (ScanKind.CHECKIN, starts - timedelta(minutes=30) - minute, "checkin.too_early"),
        (ScanKind.CHECKIN, ends + minute, "checkin.too_late"),
        (ScanKind.CHECKOUT, starts - minute, "checkin.too_early"),
        (ScanKind.CHECKOUT, ends + timedelta(minutes=31), "checkin.too_late"),
    ):
        with pytest.raises(Conflict) as refused:
            check_scan_time(kind, at, starts, ends)
        assert refused.value.code == code


def test_scan_bounds_accept_what_the_scan_times_accept() -> None:
    starts, ends = START, START + timedelta(hours=3)
    for kind in ScanKind:
        for minutes in range(-45, 230, 1):
            at = starts + timedelta(minutes=minutes, seconds=30 * (minutes % 2))
            latest_start, earliest_end = scan_bounds(kind, at)
            try:
                check_scan_time(kind, at, starts, ends)
                accepted = True
            except Conflict:
                accepted = False
            assert accepted is (starts <= latest_start and ends >= earliest_end), (kind, at)


def test_scan_flags_name_each_fact_sorted() -> None:
    assert [facts_index(facts) for facts in ALL_FACTS] == list(range(8))
    assert scan_flags(ScanFacts(False, False, False), has_position=True) == []
    assert scan_flags(ScanFacts(True, True, True), has_position=False) == [
        "no_position", "shared_device", "unbound_device"
    ]  # fmt: skip
    assert scan_flags(
        ScanFacts(False, False, True), has_position=True, extra=(Flag.TYPED_CODE, Flag.PRINTED_QR)
    ) == ["outside_geofence", "printed_qr", "typed_code"]


def test_only_the_current_and_previous_window_are_accepted() -> None:
    assert window_of(START, 30) == int(START.timestamp()) // 30
    assert window_accepted(100, 100)
    assert window_accepted(99, 100)
    assert not window_accepted(98, 100)
    assert not window_accepted(101, 100)


def test_six_sevenths_of_the_scheduled_time_earns_the_credit() -> None:
    starts = START
    ends = starts + timedelta(hours=3, minutes=30)  # 210 minutes: 6/7 is 180
    exactly = credit_decision(
        starts + timedelta(minutes=30), ends, starts, ends, requires_checkout=True
    )
    assert exactly == CreditDecision(True, None)
    short = credit_decision(
        starts + timedelta(minutes=30, seconds=1), ends, starts, ends, requires_checkout=True
    )
    assert short.credited is False
    assert short.reason == "在场179分钟，不足应到时长的6/7（180分钟）"


def test_early_arrival_and_late_departure_count_only_the_scheduled_time() -> None:
    starts, ends = START, START + timedelta(hours=2)
    early = credit_decision(
        starts - timedelta(minutes=30),
        starts + timedelta(minutes=90),  # left after 90 of 120 minutes
        starts,
        ends,
        requires_checkout=True,
    )
    assert early.credited is False


def test_missing_scans_are_the_reason() -> None:
    starts, ends = START, START + timedelta(hours=2)
    assert credit_decision(None, ends, starts, ends, requires_checkout=True).reason == "未签到"
    assert credit_decision(starts, None, starts, ends, requires_checkout=True).reason == "未签退"
    assert credit_decision(starts, None, starts, ends, requires_checkout=False).credited
