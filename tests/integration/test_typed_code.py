"""The 6-digit code beside the QR, typed when a camera fails: it changes with the QR, is
accepted in the QR's windows only, is flagged `typed_code`, and five wrong codes end the
officer's tries for the session (also when sent at once)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from service.clock import FixedClock
from service.store.models import Attendance
from tests.integration.test_checkins_api import clock, officer_token, room
from tests.integration.test_sessions_api import create
from tests.integration.world import World

__all__ = ["clock", "room"]  # fixtures shared with the check-in tests


async def _code(world: World, session: dict[str, Any], kind: str = "checkin") -> str:
    response = await world.client.get(
        f"/api/v1/sessions/{session['id']}/code",
        params={"kind": kind},
        headers=world.auth("trainer"),
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["code"]) == 6 and response.json()["refresh_at"]
    return str(response.json()["code"])


async def _typed(world: World, username: str, session: dict[str, Any], code: str) -> Any:
    login = await world.mobile_login(username, device_id="iphone-7f3a9c")
    return await world.client.post(
        "/mobile/v1/checkins",
        json={"session_id": session["id"], "code": code, "device_id": "iphone-7f3a9c"},
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
    )


async def test_the_code_checks_in_within_its_windows_and_is_flagged(
    room: World,
    clock: FixedClock,
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 1)
    code = await _code(room, session)
    assert code != await _code(room, session, "checkout")
    done = await _typed(room, me, session, code)
    assert done.status_code == 200, done.text
    assert (done.json()["action"], done.json()["flags"]) == ("checked_in", ["typed_code"])
    clock.advance(timedelta(seconds=30))  # the next window: the last code is still taken
    assert await _code(room, session) != code
    assert (await _typed(room, me, session, code)).status_code == 200
    clock.advance(timedelta(seconds=60))  # two windows on: refused, as its QR would be
    late = await _typed(room, me, session, code)
    assert (late.status_code, late.json()["code"]) == (422, "checkin.bad_code")
    assert [a.flags for a in await Attendance.all()] == [["typed_code"]]


async def test_five_wrong_codes_end_the_tries_even_sent_at_once(
    room: World,
    clock: FixedClock,
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 2)
    right = await _code(room, session)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    answers = await asyncio.gather(*(_typed(room, me, session, wrong) for _ in range(8)))
    codes = sorted(a.json()["code"] for a in answers)
    assert codes == ["checkin.bad_code"] * 5 + ["checkin.too_many_codes"] * 3
    assert {a.status_code for a in answers if a.json()["code"] == "checkin.too_many_codes"} == {429}
    refused = await _typed(room, me, session, right)  # right, but too late for this officer
    assert (refused.status_code, refused.json()["code"]) == (429, "checkin.too_many_codes")
    other = await officer_token(room, 3)
    assert (await _typed(room, other, session, right)).status_code == 200  # tries are per officer
    assert await Attendance.all().count() == 1


async def test_bad_typed_requests_are_refused_clearly(
    room: World,
    clock: FixedClock,
) -> None:
    session = await create(room, geofence=None)
    me = await officer_token(room, 4)
    login = await room.mobile_login(me, device_id="iphone-7f3a9c")
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    for body, status, code in (
        ({"code": "123456", "device_id": "iphone-7f3a9c"}, 422, "checkin.bad_code"),
        ({"session_id": session["id"], "code": "12345", "device_id": "iphone-7f3a9c"}, 400, None),
        (
            {"session_id": 999999, "code": "123456", "device_id": "iphone-7f3a9c"},
            404,
            "session.not_found",
        ),
        ({"device_id": "iphone-7f3a9c"}, 422, "checkin.token_invalid"),
    ):
        answer = await room.client.post("/mobile/v1/checkins", json=body, headers=auth)
        assert answer.status_code == status, (body, answer.text)
        if code:
            assert answer.json()["code"] == code
    page = await room.client.get("/m/checkin")
    assert page.status_code == 200 and "签到码" in page.text
