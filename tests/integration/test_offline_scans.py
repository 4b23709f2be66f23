"""Check-in without a network: an officer's personal code (signed, a 60-second window,
an hour fetched ahead), scanned by the organiser's phone and uploaded later; each scan
checked, idempotent per nonce and per officer, flagged `offline_sync`."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from service.clock import FixedClock
from service.store.models import Attendance
from service.usecases.checkin_tokens import issue_qr
from service.usecases.services import Services
from tests.integration.test_checkins_api import clock, officer_token, room
from tests.integration.test_sessions_api import create
from tests.integration.world import World
from tests.qr import decode_qr

__all__ = ["clock", "room"]  # fixtures shared with the check-in tests


async def _codes(world: World, username: str, ahead: int = 3) -> dict[str, Any]:
    login = await world.mobile_login(username, device_id="iphone-7f3a9c")
    answer = await world.client.get(
        "/mobile/v1/me/checkin-code",
        params={"ahead": ahead},
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body: dict[str, Any] = answer.json()
    return body


def _scan(code: str, at: datetime, nonce: str, kind: str = "checkin") -> dict[str, Any]:
    return {"code": code, "kind": kind, "scanned_at": at.isoformat(), "device_id": "organiser-1",
            "nonce": nonce}  # fmt: skip


async def _upload(
    world: World, session: dict[str, Any], scans: list[Any], who: str = "trainer"
) -> Any:
    return await world.client.post(
        f"/api/v1/sessions/{session['id']}/scans", json=scans, headers=world.auth(who)
    )


async def test_codes_scanned_offline_are_recorded_once_whatever_the_retries(
    room: World, clock: FixedClock, tmp_path: Path
) -> None:
    session = await create(room, geofence=None)
    people = [await officer_token(room, seq) for seq in (21, 22, 23)]
    codes = [await _codes(room, who) for who in people]
    first = codes[0]
    assert len(first["ahead"]) == 3
    assert first["ahead"][0]["valid_from"] == first["expires_at"]  # one window after another
    png = base64.b64decode(first["qr"].split(",", 1)[1])
    assert decode_qr(png, tmp_path) == first["code"]  # the QR the page shows, read by zbar
    at = clock.now()
    batch = [_scan(c["code"], at, f"nonce-{n:04d}") for n, c in enumerate(codes)]
    clock.advance(timedelta(minutes=40))  # uploaded later, once the network is back
    await room.relogin()
    done = await _upload(room, session, batch)
    assert done.status_code == 200, done.text
    assert (done.json()["recorded"], done.json()["refused"]) == (3, 0)
    again = await _upload(room, session, batch)  # the answer was lost: the phone sends again
    assert [r["again"] for r in again.json()["results"]] == [True] * 3
    twice = await _upload(
        room, session, [_scan(first["code"], at + timedelta(seconds=5), "nonce-0099")]
    )
    assert twice.json()["recorded"] == 1  # another nonce, the same officer: one row still
    rows = await Attendance.all().order_by("id")
    assert [(r.flags, r.checked_in_at) for r in rows] == [(["offline_sync"], at)] * 3


async def test_scans_are_checked_one_by_one_and_refused_with_their_reason(
    room: World, clock: FixedClock, settings: Any
) -> None:
    session = await create(room, geofence=None)
    mine = await _codes(room, await officer_token(room, 24), ahead=1)
    at = clock.now()
    session_qr = (
        await issue_qr(Services.build(settings, clock), int(session["id"]), "checkin")
    ).token  # type: ignore[arg-type]
    stale = at + timedelta(minutes=3)  # two windows after the code's
    batch = [
        _scan("forged.token.value", at, "refused-01"),
        _scan(session_qr, at, "refused-02"),  # the room's QR is not an officer's code
        _scan(mine["code"], stale, "refused-03"),
        _scan(mine["code"], at + timedelta(hours=2), "refused-04"),  # dated ahead of now
        _scan(mine["ahead"][0]["code"], at + timedelta(seconds=61), "kept-0005"),
    ]
    done = await _upload(room, session, batch)
    assert [(r["outcome"], r["code"]) for r in done.json()["results"]] == [
        ("refused", "checkin.token_invalid"),
        ("refused", "checkin.token_invalid"),
        ("refused", "checkin.token_expired"),
        ("refused", "checkin.too_early"),
        ("recorded", None),
    ]
    assert await Attendance.all().count() == 1
    stranger = await _upload(room, session, batch, who="hy_admin")
    assert stranger.status_code == 404
    bad = await _upload(room, session, [{**batch[0], "nonce": "x"}])
    assert bad.status_code == 400  # a nonce of 8 to 64 letters, digits, - and _
    clock.advance(timedelta(days=1, hours=4))  # 24 hours after the end, and more
    await room.relogin()
    late = await _upload(room, session, [_scan(mine["code"], at, "late-000006")])
    assert (late.status_code, late.json()["code"]) == (409, "scans.too_late")
