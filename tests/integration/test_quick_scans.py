"""The check-in route's quick path (`mobile_api.quick_scans`): the common scan is
answered by it as the route would answer it, and every other request goes on to the
route, which answers it as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from mobile_api import quick_scans
from service.domain.training import ScanKind
from service.settings import Settings
from service.store.models import Attendance
from tests.integration.test_checkins_api import clock, officer_token, qr, room
from tests.integration.test_sessions_api import create
from tests.integration.world import World

__all__ = ["clock", "room"]  # fixtures shared with the check-in tests
DEVICE = "iphone-7f3a9c"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The scans the quick path answered (the route's own answers are not counted)."""
    answered: list[Any] = []
    answer = quick_scans.answer

    async def counted(*args: Any) -> Any:
        answered.append(args[0])
        return await answer(*args)

    monkeypatch.setattr(quick_scans, "answer", counted)
    return answered


async def bearer(world: World, username: str) -> dict[str, str]:
    login = await world.mobile_login(username, device_id=DEVICE)
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def chunks(body: bytes) -> AsyncIterator[bytes]:
    yield body[:10]
    yield body[10:]


def headers_of(answer: Any) -> set[str]:
    return set(answer.headers) - {"x-request-id"}


async def test_the_quick_path_answers_a_scan_as_the_route_does(
    room: World, clock: Any, settings: Settings, quick: list[Any]
) -> None:
    session = await create(room, geofence=None)
    token = await qr(settings, clock, session, ScanKind.CHECKIN)
    body = f'{{"token":"{token}","device_id":"{DEVICE}"}}'.encode()
    first = await room.client.post(
        "/mobile/v1/checkins",
        content=body,
        headers={
            **await bearer(room, await officer_token(room, 1)),
            "Content-Type": "application/json",
        },
    )
    assert len(quick) == 1
    # A chunked body has no announced length: the route answers it.
    second = await room.client.post(
        "/mobile/v1/checkins",
        content=chunks(body),
        headers={
            **await bearer(room, await officer_token(room, 2)),
            "Content-Type": "application/json",
        },
    )
    assert len(quick) == 1
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json().keys() == second.json().keys() == {"session_id", "action", "at", "flags"}
    assert first.json()["action"] == second.json()["action"] == "checked_in"
    assert headers_of(first) == headers_of(second)
    assert first.headers["content-type"] == second.headers["content-type"]
    assert first.headers["cache-control"] == "no-store"
    assert first.headers["x-request-id"]
    assert await Attendance.all().count() == 2


async def test_a_refusal_on_the_quick_path_is_the_routes_problem_details(
    room: World, clock: Any, settings: Settings, quick: list[Any]
) -> None:
    session = await create(room, geofence=None)
    me = await bearer(room, await officer_token(room, 1))
    forged = (await qr(settings, clock, session, ScanKind.CHECKIN))[:-4] + "AAAA"
    answer = await room.client.post(
        "/mobile/v1/checkins", json={"token": forged, "device_id": DEVICE}, headers=me
    )
    assert len(quick) == 1
    assert (answer.status_code, answer.json()["code"]) == (422, "checkin.token_invalid")
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-request-id"]
    expired = await room.client.post(
        "/mobile/v1/checkins",
        json={"token": forged, "device_id": DEVICE},
        headers={"Authorization": "Bearer not.a.token"},
    )
    assert (expired.status_code, expired.json()["code"]) == (401, "auth.invalid_token")
    assert await Attendance.all().count() == 0


@pytest.mark.parametrize(
    ("body", "headers", "url", "status", "code"),
    [
        (b'{"token":"T","device_id":"D","extra":1}', {}, "", 400, None),
        (b'{"token":"T","device_id":"D\\u0000"}', {}, "", 422, "request.bad_text"),
        (b'{"token":"T",', {}, "", 400, None),
        (b'{"token":"T","device_id":"D"}', {"Authorization": ""}, "", 401, "auth.missing_token"),
        (b'{"token":"T","device_id":"D"}', {"Content-Type": "text/plain"}, "", 200, None),
        (b'{"token":"T","device_id":"D"}', {}, "?%00", 422, "request.bad_text"),
        (b'{"token":"T","device_id":"D"}', {}, "?x=1", 200, None),
    ],
    # A body sent as text/plain is still read as JSON by the route, as before.
    ids=["unknown field", "NUL", "not JSON", "no token", "text/plain", "query NUL", "query"],
)
async def test_requests_the_quick_path_does_not_take_are_answered_by_the_route(
    room: World,
    clock: Any,
    settings: Settings,
    quick: list[Any],
    body: bytes,
    headers: dict[str, str],
    url: str,
    status: int,
    code: str | None,
) -> None:
    session = await create(room, geofence=None)
    me = await bearer(room, await officer_token(room, 1))
    token = await qr(settings, clock, session, ScanKind.CHECKIN)
    answer = await room.client.post(
        "/mobile/v1/checkins" + url,
        content=body.replace(b'"T"', f'"{token}"'.encode()).replace(b'"D"', f'"{DEVICE}"'.encode()),
        headers={**me, "Content-Type": "application/json", **headers},
    )
    assert quick == []
    assert answer.status_code == status, answer.text
    if code is not None:
        assert answer.json()["code"] == code
    assert await Attendance.all().count() == (1 if status == 200 else 0)
