"""Closing a session credits hours by the 6/7 rule; paper sheets are entered by hand."""

from __future__ import annotations

import asyncio
from datetime import datetime

from service.clock import SHANGHAI, FixedClock
from service.domain.training import ScanKind
from service.settings import Settings
from service.store.models import HourEntry
from tests.integration.test_checkins_api import clock, officer_token, qr, room, scan
from tests.integration.test_sessions_api import create
from tests.integration.world import World, id_number

__all__ = ["clock", "room"]  # fixtures shared with the check-in tests


def at(hour: int, minute: int) -> datetime:
    return datetime(2027, 3, 10, hour, minute, tzinfo=SHANGHAI)


async def scan_at(
    room: World, clock: FixedClock, settings: Settings, session: dict, who: str,
    kind: ScanKind, when: datetime,
) -> None:  # fmt: skip
    clock.advance(when - clock.now())
    response = await scan(room, who, await qr(settings, clock, session, kind))
    assert response.status_code == 200, response.text


async def test_close_credits_six_sevenths_presence_and_records_why_not(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)  # 09:00-12:30, 3.5 h, check-out required
    whole = await officer_token(room, 1, device="phone-0000001")
    boundary = await officer_token(room, 2, device="phone-0000002")
    late = await officer_token(room, 3, device="phone-0000003")
    no_out = await officer_token(room, 4, device="phone-0000004")
    early = await room.client.post(
        f"/api/v1/sessions/{session['id']}/close", headers=room.auth("trainer")
    )
    assert (early.status_code, early.json()["code"]) == (409, "session.not_ended")
    plan = [
        (whole, ScanKind.CHECKIN, at(8, 55), "phone-0000001"),
        (boundary, ScanKind.CHECKIN, at(9, 30), "phone-0000002"),  # 180 of 210 minutes
        (late, ScanKind.CHECKIN, at(9, 31), "phone-0000003"),  # 179 minutes
        (no_out, ScanKind.CHECKIN, at(9, 32), "phone-0000004"),
        (whole, ScanKind.CHECKOUT, at(12, 30), "phone-0000001"),
        (boundary, ScanKind.CHECKOUT, at(12, 30), "phone-0000002"),
        (late, ScanKind.CHECKOUT, at(12, 30), "phone-0000003"),
    ]
    for who, kind, when, device in plan:
        clock.advance(when - clock.now())
        response = await scan(room, who, await qr(settings, clock, session, kind), device=device)
        assert response.status_code == 200, response.text
    url = f"/api/v1/sessions/{session['id']}"
    clock.advance(at(12, 40) - clock.now())
    await room.relogin()
    closed = await room.client.post(f"{url}/close", headers=room.auth("trainer"))
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["credited"], body["not_credited"], body["already_closed"]) == (2, 2, False)
    assert body["session"]["status"] == "closed"
    rows = (await room.client.get(f"{url}/attendance", headers=room.auth("trainer"))).json()
    by_name = {r["officer_id"]: r for r in rows["items"]}
    assert len(by_name) == 4
    reasons = sorted(r["no_credit_reason"] or "" for r in rows["items"])
    assert reasons == ["", "", "在场179分钟，不足应到时长的6/7（180分钟）", "未签退"]
    assert sorted(r["credited_hours"] for r in rows["items"]) == [0.0, 0.0, 3.5, 3.5]
    entries = await HourEntry.all()
    assert [(e.tenths, e.year, e.category, e.source) for e in entries] == [
        (35, 2027, "public_law", "attendance")
    ] * 2
    again = await room.client.post(f"{url}/close", headers=room.auth("trainer"))
    assert (again.status_code, again.json()["already_closed"]) == (200, True)
    assert await HourEntry.all().count() == 2
    after = await scan(room, whole, await qr(settings, clock, session, ScanKind.CHECKOUT))
    assert (after.status_code, after.json()["code"]) == (409, "session.not_scheduled")


async def test_two_closes_at_once_credit_once(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None, requires_checkout=False)
    me = await officer_token(room, 1)
    await scan_at(room, clock, settings, session, me, ScanKind.CHECKIN, at(8, 58))
    clock.advance(at(12, 31) - clock.now())
    await room.relogin()
    url = f"/api/v1/sessions/{session['id']}/close"
    first, second = await asyncio.gather(
        room.client.post(url, headers=room.auth("trainer")),
        room.client.post(url, headers=room.auth("yjs_admin")),
    )
    assert (first.status_code, second.status_code) == (200, 200)
    assert sorted([first.json()["already_closed"], second.json()["already_closed"]]) == [
        False, True
    ]  # fmt: skip
    assert await HourEntry.all().count() == 1


async def test_paper_sheet_entry_is_marked_manual_audited_and_credited(
    room: World, clock: FixedClock
) -> None:
    session = await create(room, geofence=None)
    officer = await room.create_officer(id_number=id_number(seq=7))
    url = f"/api/v1/sessions/{session['id']}/attendance"
    entry = {
        "officer_id": officer["id"],
        "checked_in_at": "2027-03-10T08:50:00+08:00",
        "checked_out_at": "2027-03-10T12:35:00+08:00",
        "note": "纸质签到表第3页第12行，本人签名",
    }
    created = await room.client.post(url, json=entry, headers=room.auth("trainer"))
    assert created.status_code == 201, created.text
    assert created.json()["method"] == "manual"
    duplicate = await room.client.post(url, json=entry, headers=room.auth("trainer"))
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "attendance.exists")
    timeline = await room.client.get(
        f"/api/v1/officers/{officer['id']}/timeline", headers=room.auth("root")
    )
    event = timeline.json()["items"][-1]
    assert (event["action"], event["actor"]) == ("manual_attendance", "trainer")
    assert event["reason"] == "纸质签到表第3页第12行，本人签名"
    clock.advance(at(12, 45) - clock.now())
    await room.relogin()
    closed = await room.client.post(
        f"/api/v1/sessions/{session['id']}/close", headers=room.auth("trainer")
    )
    assert closed.json()["credited"] == 1


async def test_bad_paper_entries_are_refused_and_write_nothing(room: World) -> None:
    session = await create(room, geofence=None)
    officer = await room.create_officer(id_number=id_number(seq=7))
    url = f"/api/v1/sessions/{session['id']}/attendance"
    good = {
        "officer_id": officer["id"],
        "checked_in_at": "2027-03-10T08:50:00+08:00",
        "checked_out_at": "2027-03-10T12:35:00+08:00",
        "note": "签到表",
    }
    for changes, status, code in (
        ({"note": " "}, 422, "attendance.note_required"),
        ({"checked_out_at": "2027-03-10T08:00:00+08:00"}, 422, "attendance.bad_times"),
        ({"checked_in_at": "2027-03-11T09:00:00+08:00"}, 422, "attendance.bad_times"),
        ({"checked_in_at": "2027-03-10T09:00:00"}, 400, "request.invalid_body"),
        ({"officer_id": 999_999}, 422, "attendance.bad_officer"),
    ):
        response = await room.client.post(
            url, json={**good, **changes}, headers=room.auth("trainer")
        )
        assert response.status_code == status, (changes, response.text)
        assert response.json()["code"] == code, changes
    listed = await room.client.get(url, headers=room.auth("trainer"))
    assert listed.json()["total"] == 0
