"""Scanning a session QR from a phone: idempotent, safe under concurrency, flagged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from service.clock import SHANGHAI, FixedClock
from service.domain.training import ScanKind
from service.settings import Settings
from service.store.models import Attendance
from service.usecases.checkin_tokens import issue_qr, poster_qr
from service.usecases.services import Services
from tests.conftest import serving
from tests.integration.test_sessions_api import create
from tests.integration.world import World, build_world, id_number

STARTS = datetime(2027, 3, 10, 9, 0, tzinfo=SHANGHAI)  # the session in test_sessions_api


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(STARTS - timedelta(minutes=10))


@pytest.fixture
async def room(settings: Settings, clock: FixedClock) -> AsyncIterator[World]:
    async with serving(settings, clock) as http:
        yield await build_world(http, settings)


async def officer_token(world: World, seq: int, device: str = "iphone-7f3a9c") -> str:
    """An officer with a mobile login, first used on `device`; returns the username."""
    officer = await world.create_officer(id_number=id_number(seq=seq))
    assert (await world.give_login(officer)).status_code == 201
    login = await world.mobile_login(officer["id_number"], device_id=device)
    assert login.status_code == 200, login.text
    return str(officer["id_number"])


async def qr(settings: Settings, clock: FixedClock, session: dict[str, Any], kind: ScanKind) -> str:
    return (await issue_qr(Services.build(settings, clock), int(session["id"]), kind)).token


async def scan(
    world: World, username: str, qr_token: str, device: str = "iphone-7f3a9c", **where: float
) -> Any:
    """Log in (the clock may have moved past the last access token) and scan."""
    login = await world.mobile_login(username, device_id=device)
    token = login.json()["access_token"]
    return await world.client.post(
        "/mobile/v1/checkins",
        json={"token": qr_token, "device_id": device, **where},
        headers={"Authorization": f"Bearer {token}"},
    )


async def test_second_scan_returns_first_checkin(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 1)
    first = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKIN))
    assert first.status_code == 200, first.text
    assert first.json()["action"] == "checked_in"
    assert first.json()["flags"] == []
    clock.advance(timedelta(minutes=3))
    again = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKIN))
    assert again.json()["at"] == first.json()["at"]
    assert await Attendance.all().count() == 1


async def test_twenty_concurrent_scans_give_one_row(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 1)
    token = await qr(settings, clock, session, ScanKind.CHECKIN)
    responses = await asyncio.gather(*(scan(room, me, token) for _ in range(20)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["at"] for r in responses}) == 1
    assert await Attendance.all().count() == 1


async def test_checkout_without_checkin_is_flagged_and_checkin_fills_in(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 1)
    clock.advance(timedelta(hours=2))  # inside the session
    out = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKOUT))
    assert out.json()["action"] == "checked_out"
    assert out.json()["flags"] == ["checkout_without_checkin"]
    late_in = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKIN))
    assert late_in.json()["action"] == "checked_in"
    row = await Attendance.get()
    assert row.checked_in_at is not None and row.checked_out_at is not None


async def test_scans_outside_the_session_times_are_refused(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 1)
    clock.advance(timedelta(minutes=-21))  # 31 minutes before the start
    early = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKIN))
    assert (early.status_code, early.json()["code"]) == (409, "checkin.too_early")
    early_out = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKOUT))
    assert early_out.json()["code"] == "checkin.too_early"
    clock.advance(timedelta(hours=4, minutes=32))  # 13:01, 31 minutes after the end
    late = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKOUT))
    assert (late.status_code, late.json()["code"]) == (409, "checkin.too_late")
    assert await Attendance.all().count() == 0


async def test_one_phone_for_two_officers_is_flagged(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    alice = await officer_token(room, 1, device="phone-alice-01")
    bob = await officer_token(room, 2, device="phone-bob-0002")
    token = await qr(settings, clock, session, ScanKind.CHECKIN)
    assert (await scan(room, alice, token, device="phone-alice-01")).json()["flags"] == []
    proxy = await scan(room, bob, token, device="phone-alice-01")
    assert proxy.status_code == 200
    assert proxy.json()["flags"] == ["shared_device", "unbound_device"]


async def test_scan_outside_the_geofence_is_flagged_not_refused(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room)  # geofence: 300 m around 38.929, 76.174
    near = await officer_token(room, 1, device="phone-near-001")
    far = await officer_token(room, 2, device="phone-far-0002")
    blind = await officer_token(room, 3, device="phone-blind-03")
    token = await qr(settings, clock, session, ScanKind.CHECKIN)
    on_site = await scan(room, near, token, device="phone-near-001", lat=38.930, lng=76.175)
    assert on_site.json()["flags"] == []
    away = await scan(room, far, token, device="phone-far-0002", lat=39.47, lng=75.99)
    assert (away.status_code, away.json()["flags"]) == (200, ["outside_geofence"])  # 喀什市
    no_fix = await scan(room, blind, token, device="phone-blind-03")
    assert no_fix.json()["flags"] == ["no_position"]


async def test_bad_scans_are_refused_with_their_codes(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 1)
    old = await qr(settings, clock, session, ScanKind.CHECKIN)
    clock.advance(timedelta(seconds=60))
    expired = await scan(room, me, old)
    assert (expired.status_code, expired.json()["code"]) == (422, "checkin.token_expired")
    forged = await scan(room, me, old[:-4] + "AAAA")
    assert (forged.status_code, forged.json()["code"]) == (422, "checkin.token_invalid")
    half = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKIN), lat=38.9)
    assert (half.status_code, half.json()["code"]) == (422, "checkin.bad_position")
    staff = await room.client.post(
        "/mobile/v1/checkins",
        json={"token": await qr(settings, clock, session, ScanKind.CHECKIN), "device_id": "pc-1"},
        headers=room.auth("trainer"),
    )
    assert staff.status_code == 403
    await room.client.post(f"/api/v1/sessions/{session['id']}/cancel", headers=room.auth("trainer"))
    cancelled = await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKIN))
    assert (cancelled.status_code, cancelled.json()["code"]) == (409, "session.not_scheduled")
    assert await Attendance.all().count() == 0


async def test_token_of_another_session_is_refused(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    mine = await create(room, geofence=None)
    other = await create(room, geofence=None, title="另一场培训")
    me = await officer_token(room, 1)
    login = await room.mobile_login(me)
    response = await room.client.post(
        "/mobile/v1/checkins",
        json={
            "token": await qr(settings, clock, other, ScanKind.CHECKIN),
            "device_id": "iphone-7f3a9c",
            "session_id": mine["id"],
        },
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
    )
    assert (response.status_code, response.json()["code"]) == (422, "checkin.token_invalid")
    assert await Attendance.all().count() == 0


async def test_a_printed_poster_is_accepted_in_the_session_hours_and_flagged(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me, other = await officer_token(room, 1), await officer_token(room, 2, "android-5b2e8d")
    poster = await poster_qr(Services.build(settings, clock), int(session["id"]), ScanKind.CHECKIN)
    token = poster.rsplit("/", 1)[1]
    clock.advance(timedelta(hours=1))  # long after any rotating code of the morning
    scanned = await scan(room, me, token)
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["flags"] == ["printed_qr"]
    clock.advance(timedelta(days=1))  # the same poster the next day: outside the hours
    late = await scan(room, other, token, "android-5b2e8d")
    assert (late.status_code, late.json()["code"]) == (409, "checkin.too_late")
