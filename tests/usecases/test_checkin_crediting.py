"""Check-in, check-out and crediting through their use cases, without HTTP, on SQLite
and PostgreSQL: a scan is recorded once, closing credits the ledger for whoever stayed
6/7 of the session and says why the others got nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.clock import FixedClock
from service.domain.access import Principal
from service.domain.errors import Conflict
from service.domain.hours import HourCategory, LedgerSource
from service.domain.training import ScanKind
from service.store.models import Attendance, HourEntry, Officer, TrainingSession
from service.usecases import accounts, attendance, auth, checkins, sessions
from service.usecases.checkin_tokens import issue_qr
from service.usecases.services import Services
from tests.usecases.conftest import NOW, County

OFFICER_PASSWORD = "Zhifa-2026"


async def session_now(county: County) -> TrainingSession:
    """A 2-hour public-law session starting now, worth 2 hours, check-out required."""
    new = sessions.NewSession(
        title="行政处罚法专题培训",
        category=HourCategory.PUBLIC_LAW,
        credit_tenths=20,
        starts_at=NOW,
        ends_at=NOW + timedelta(hours=2),
        organiser_agency_id=county.justice_id,
        location="县司法局三楼会议室",
    )
    return await sessions.create_session(county.services, county.root, new)


async def logged_in(county: County, officer: Officer, device: str) -> Principal:
    services = county.services
    await accounts.set_officer_login(services, county.root, officer.id, OFFICER_PASSWORD)
    pair = await auth.login(
        services,
        officer.id_number,
        OFFICER_PASSWORD,
        kind=auth.ClientKind.OFFICER,
        device_id=device,
    )
    return await auth.caller(services, pair.access_token)


async def scan(
    services: Services, officer: Principal, session: TrainingSession, kind: ScanKind, device: str
) -> checkins.ScanResult:
    token = (await issue_qr(services, session.id, kind)).token
    return await checkins.record_scan(services, officer, token, device, None)


async def test_a_repeated_scan_answers_the_first_and_records_one_row(
    county: County, clock: FixedClock
) -> None:
    services = county.services
    session = await session_now(county)
    officer = await logged_in(county, await county.officer(), "iphone-7f3a9c")
    first = await scan(services, officer, session, ScanKind.CHECKIN, "iphone-7f3a9c")
    clock.advance(timedelta(minutes=3))
    again = await scan(services, officer, session, ScanKind.CHECKIN, "iphone-7f3a9c")
    assert (first.at, again.at) == (NOW, NOW)
    assert first.flags == again.flags == []
    assert await Attendance.filter(session_id=session.id).count() == 1


async def test_closing_credits_those_present_and_says_why_not_for_the_rest(
    county: County, clock: FixedClock
) -> None:
    services = county.services
    session = await session_now(county)
    stayed = await logged_in(county, await county.officer("张伟"), "iphone-7f3a9c")
    left_early = await logged_in(county, await county.officer("李娜"), "huawei-22b81d")
    for who, device in ((stayed, "iphone-7f3a9c"), (left_early, "huawei-22b81d")):
        await scan(services, who, session, ScanKind.CHECKIN, device)
    clock.advance(timedelta(minutes=60))
    await scan(services, left_early, session, ScanKind.CHECKOUT, "huawei-22b81d")
    clock.advance(timedelta(minutes=60))
    await scan(services, stayed, session, ScanKind.CHECKOUT, "iphone-7f3a9c")

    closing = await attendance.close_session(services, county.root, session.id)
    assert (closing.credited, closing.not_credited, closing.already_closed) == (1, 1, False)
    ledger = await HourEntry.filter(session_id=session.id).values_list(
        "officer_id", "category", "tenths", "source"
    )
    assert ledger == [
        (stayed.officer_id, HourCategory.PUBLIC_LAW, 20, LedgerSource.ATTENDANCE)
    ]  # fmt: skip
    short = await Attendance.get(session_id=session.id, officer_id=left_early.officer_id)
    assert short.credited_tenths == 0 and short.no_credit_reason

    again = await attendance.close_session(services, county.root, session.id)
    assert (again.credited, again.not_credited, again.already_closed) == (1, 1, True)
    assert await HourEntry.filter(session_id=session.id).count() == 1


async def test_a_second_officer_on_one_phone_is_flagged_not_refused(county: County) -> None:
    services = county.services
    session = await session_now(county)
    owner = await logged_in(county, await county.officer("张伟"), "iphone-7f3a9c")
    borrower = await logged_in(county, await county.officer("李娜"), "huawei-22b81d")
    await scan(services, owner, session, ScanKind.CHECKIN, "iphone-7f3a9c")
    borrowed = await scan(services, borrower, session, ScanKind.CHECKIN, "iphone-7f3a9c")
    assert set(borrowed.flags) == {"shared_device", "unbound_device"}


async def test_a_session_cannot_close_before_it_ends(county: County) -> None:
    session = await session_now(county)
    with pytest.raises(Conflict) as refused:
        await attendance.close_session(county.services, county.root, session.id)
    assert refused.value.code == "session.not_ended"
