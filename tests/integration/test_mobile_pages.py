"""The pages behind the QR: the scan is checked at once and kept 10 minutes for a login."""

from __future__ import annotations

import re
from datetime import timedelta

from service.clock import FixedClock
from service.domain.training import ScanKind
from service.settings import Settings
from service.store.models import Attendance
from tests.integration.test_checkins_api import clock, officer_token, qr, room, scan
from tests.integration.test_sessions_api import create
from tests.integration.world import World

__all__ = ["clock", "room"]  # fixtures shared with the check-in tests


def ticket_in(page: str) -> str:
    found = re.search(r'var TICKET = "([^"]+)"', page)
    assert found, page
    return found.group(1)


async def test_scan_page_keeps_the_scan_time_for_ten_minutes(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 1)
    page = await room.client.get(f"/m/c/{await qr(settings, clock, session, ScanKind.CHECKIN)}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "《行政处罚法》专题培训" in page.text and "签到" in page.text
    scanned_at = clock.now()
    clock.advance(timedelta(minutes=9))  # logging in took a while; the QR changed 18 times
    recorded = await scan(room, me, ticket_in(page.text))
    assert recorded.status_code == 200, recorded.text
    row = await Attendance.get()
    assert row.checked_in_at == scanned_at


async def test_a_kept_scan_expires_after_ten_minutes(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 1)
    page = await room.client.get(f"/m/c/{await qr(settings, clock, session, ScanKind.CHECKIN)}")
    clock.advance(timedelta(minutes=10, seconds=1))
    late = await scan(room, me, ticket_in(page.text))
    assert (late.status_code, late.json()["code"]) == (422, "checkin.token_expired")


async def test_stale_or_forged_qr_opens_a_page_that_says_so(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    old = await qr(settings, clock, session, ScanKind.CHECKIN)
    clock.advance(timedelta(minutes=2))
    expired = await room.client.get(f"/m/c/{old}")
    assert expired.status_code == 422
    assert "二维码已过期" in expired.text and "TICKET" not in expired.text
    forged = await room.client.get("/m/c/eyJhbGciOiJub25lIn0.eyJzIjoxfQ.")
    assert forged.status_code == 422
    assert "二维码无效" in forged.text


async def test_progress_and_projector_pages_are_served(room: World) -> None:
    session = await create(room, geofence=None)
    progress = await room.client.get("/m/progress")
    assert (progress.status_code, "我的学时" in progress.text) == (200, True)
    home = await room.client.get("/m/")
    assert home.status_code in (301, 302, 307, 308)
    assert home.headers["location"] == "/m/progress"
    screen = await room.client.get(f"/sessions/{session['id']}/display?kind=checkout")
    assert screen.status_code == 200
    assert "已签退" in screen.text
