"""Progress toward the year's hours: 20 + 40 by default, per category, with every record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from service.clock import SHANGHAI, FixedClock
from service.domain.hours import HourCategory, LedgerSource
from service.domain.training import ScanKind
from service.settings import Settings
from service.store.models import HourEntry
from tests.integration.test_checkins_api import clock, officer_token, qr, room, scan
from tests.integration.test_sessions_api import create
from tests.integration.world import World

__all__ = ["clock", "room"]  # fixtures shared with the check-in tests


async def credit(officer_id: int, category: HourCategory, tenths: int) -> None:
    await HourEntry.create(
        officer_id=officer_id,
        year=2027,
        category=category,
        tenths=tenths,
        source=LedgerSource.ADJUSTMENT,
        title="历史学时补录",
        reason="2027年初导入",
        occurred_on=date(2027, 1, 5),
    )


async def officer_id_of(room: World, username: str) -> int:
    listed = await room.client.get(
        "/api/v1/officers", params={"q": username}, headers=room.auth("root")
    )
    return int(listed.json()["items"][0]["id"])


async def my_progress(room: World, username: str, device: str) -> dict[str, Any]:
    login = await room.mobile_login(username, device_id=device)
    response = await room.client.get(
        "/mobile/v1/me/progress",
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_exactly_twenty_plus_forty_is_compliant_and_half_an_hour_less_is_not(
    room: World,
) -> None:
    done = await officer_token(room, 1, device="phone-0000001")
    almost = await officer_token(room, 2, device="phone-0000002")
    for username, public_law, professional in ((done, 200, 400), (almost, 195, 405)):
        officer_id = await officer_id_of(room, username)
        await credit(officer_id, HourCategory.PUBLIC_LAW, public_law)
        await credit(officer_id, HourCategory.PROFESSIONAL, professional)
    ok = await my_progress(room, done, "phone-0000001")
    assert ok["year"] == 2027
    assert ok["required"] == {
        "public_law": 20.0, "professional": 40.0, "political": 0.0, "total": 60.0
    }  # fmt: skip
    assert (ok["compliant"], ok["short"]["public_law"]) == (True, 0.0)
    short = await my_progress(room, almost, "phone-0000002")
    assert short["compliant"] is False
    assert short["short"] == {
        "public_law": 0.5,
        "professional": 0.0,
        "political": 0.0,
        "total": 0.0,
    }
    assert short["earned"]["total"] == 60.0


async def test_a_credited_session_appears_among_the_records(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None, requires_checkout=False)
    me = await officer_token(room, 1)
    await scan(room, me, await qr(settings, clock, session, ScanKind.CHECKIN))
    clock.advance(datetime(2027, 3, 10, 12, 31, tzinfo=SHANGHAI) - clock.now())
    await room.relogin()
    await room.client.post(f"/api/v1/sessions/{session['id']}/close", headers=room.auth("trainer"))
    mine = await my_progress(room, me, "iphone-7f3a9c")
    assert mine["earned"]["public_law"] == 3.5
    assert mine["records"] == [
        {
            "source": "attendance",
            "category": "public_law",
            "hours": 3.5,
            "at": "2027-03-10",
            "title": "《行政处罚法》专题培训",
            "reason": "",
        }
    ]
    officer_id = await officer_id_of(room, me)
    staff = await room.client.get(
        f"/api/v1/officers/{officer_id}/hours", headers=room.auth("yjs_admin")
    )
    assert staff.json() == mine


async def test_hours_are_scoped_and_years_checked(room: World) -> None:
    me = await officer_token(room, 1)
    officer_id = await officer_id_of(room, me)
    url = f"/api/v1/officers/{officer_id}/hours"
    assert (await room.client.get(url, headers=room.auth("hy_admin"))).status_code == 404
    bad = await room.client.get(url, params={"year": 1999}, headers=room.auth("yjs_admin"))
    assert (bad.status_code, bad.json()["code"]) == (422, "hours.bad_year")
    staff_token = await room.client.get("/mobile/v1/me/progress", headers=room.auth("trainer"))
    assert staff_token.status_code == 403
