"""The one-statement check-in against the domain's rules: the statement finds the facts
the domain would find (`scan_context` read and judged in Python), picks the flags the
domain gave for them, writes only in the session's times and while the login holds, and
leaves every other case to the slow path."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.expressions import F

from service.clock import FixedClock
from service.domain.training import ScanKind, distance_m, facts_index, scan_bounds
from service.settings import Settings
from service.store import checkin_writes
from service.store.checkin_queries import scan_context
from service.store.models import Account, Attendance
from service.usecases.checkins import Position, _facts
from tests.integration.test_checkins_api import clock, qr, room
from tests.integration.test_sessions_api import create
from tests.integration.world import World, id_number

__all__ = ["clock", "room"]

FENCE = (38.929, 76.174, 300)  # the test sessions' geofence
MARKERS = [[f"facts-{i}"] for i in range(8)]
MARKED = [json.dumps(marker) for marker in MARKERS]  # which of the eight the statement picked


def north_of_fence(metres: float) -> Position:
    return Position(FENCE[0] + math.degrees(metres / 6_371_000), FENCE[1])


async def officer(world: World, seq: int, device: str) -> int:
    """An officer with a mobile login first used on `device`: the officer's id."""
    born = date(1980, 1, 1) + timedelta(days=seq)
    created = await world.create_officer(id_number=id_number(born=born))
    assert (await world.give_login(created)).status_code == 201
    assert (await world.mobile_login(created["id_number"], device_id=device)).status_code == 200
    return int(str(created["id"]))


def fast(
    session: dict[str, Any],
    officer_id: int,
    device: str,
    at: datetime,
    position: Position | None = None,
    kind: ScanKind = ScanKind.CHECKIN,
    login: checkin_writes.LoginGuard | None = None,
) -> checkin_writes.FastScan:
    latest_start, earliest_end = scan_bounds(kind, at)
    return checkin_writes.FastScan(
        session_id=int(session["id"]),
        officer_id=officer_id,
        at=at,
        device_id=device,
        lat=position.lat if position else None,
        lng=position.lng if position else None,
        latest_start=latest_start,
        earliest_end=earliest_end,
        flags=MARKED,
        login=login,
    )


async def test_the_statement_finds_the_facts_the_domain_finds(
    room: World, clock: FixedClock
) -> None:
    fenced = await create(room, geofence=dict(zip(("lat", "lng", "radius_m"), FENCE, strict=True)))
    open_ = await create(room, geofence=None)
    places: list[tuple[dict[str, Any], Position | None]] = [
        (open_, None),
        (open_, north_of_fence(10_000)),  # no geofence: anywhere will do
        (fenced, None),
        (fenced, north_of_fence(0)),
        (fenced, north_of_fence(FENCE[2] - 2)),
        (fenced, north_of_fence(FENCE[2] + 2)),
    ]
    seen = set()
    seq = 0
    for shared in (False, True):
        for unbound in (False, True):
            for session, position in places:
                seq += 1
                own = f"phone-000{seq}"
                me = await officer(room, seq, own)
                device = f"spare-000{seq}" if unbound else own
                if shared:  # a colleague logged in from the phone this scan uses
                    await officer(room, 500 + seq, device)
                context = await scan_context(int(session["id"]), me, device)
                assert context is not None
                expected = _facts(context, device, position)
                assert (expected.device_shared, expected.unbound_device) == (shared, unbound)
                written = await checkin_writes.check_in(
                    fast(session, me, device, clock.now(), position)
                )
                assert written is not None
                assert written.flags == MARKERS[facts_index(expected)], (shared, unbound, position)
                seen.add(facts_index(expected))
    assert seen == set(range(8))  # every combination was met
    # The boundary cases above lie on either side of the radius, as the domain says.
    for metres, inside in ((FENCE[2] - 2, True), (FENCE[2] + 2, False)):
        near = north_of_fence(metres)
        assert (distance_m(FENCE[0], FENCE[1], near.lat, near.lng) <= FENCE[2]) is inside


async def test_another_officer_scanning_with_the_phone_here_is_a_fact(
    room: World, clock: FixedClock
) -> None:
    session = await create(room, geofence=None)
    first = await officer(room, 1, "phone-0001")
    second = await officer(room, 2, "phone-0002")
    assert await checkin_writes.check_in(fast(session, first, "phone-000x", clock.now()))
    written = await checkin_writes.check_in(fast(session, second, "phone-000x", clock.now()))
    assert written is not None
    assert written.flags == MARKERS[4 + 2]  # shared here, and not the officer's own phone


async def test_the_statement_writes_nothing_it_should_not(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer(room, 1, "phone-0001")
    now = clock.now()
    # Not yet time, already over, another session, a check-out with no check-in.
    assert (
        await checkin_writes.check_in(fast(session, me, "phone-0001", now - timedelta(hours=1)))
        is None
    )
    late = datetime.fromisoformat(session["ends_at"]) + timedelta(minutes=1)
    assert await checkin_writes.check_in(fast(session, me, "phone-0001", late)) is None
    assert await checkin_writes.check_in(fast({"id": 999_999}, me, "phone-0001", now)) is None
    assert (
        await checkin_writes.check_out(
            fast(
                session,
                me,
                "phone-0001",
                datetime.fromisoformat(session["starts_at"]),
                kind=ScanKind.CHECKOUT,
            )
        )
        is None
    )
    assert await Attendance.all().count() == 0
    # A login whose generation moved on, or whose family was revoked, writes nothing.
    account = await Account.get(officer_id=me)
    family = "no-such-family"
    wrong = checkin_writes.LoginGuard(account.id, account.session_generation, family)
    assert await checkin_writes.check_in(fast(session, me, "phone-0001", now, login=wrong)) is None
    family = (await account.refresh_tokens.all().first()).family  # type: ignore[attr-defined, union-attr]
    stale = checkin_writes.LoginGuard(account.id, account.session_generation + 1, family)
    assert await checkin_writes.check_in(fast(session, me, "phone-0001", now, login=stale)) is None
    assert await Attendance.all().count() == 0
    good = checkin_writes.LoginGuard(account.id, account.session_generation, family)
    written = await checkin_writes.check_in(fast(session, me, "phone-0001", now, login=good))
    assert written is not None and written.flags == MARKERS[0]
    # The second check-in is the slow path's to answer; the check-out merges the flags.
    assert await checkin_writes.check_in(fast(session, me, "phone-0001", now)) is None
    out_at = datetime.fromisoformat(session["ends_at"])
    out = await checkin_writes.check_out(
        fast(session, me, "phone-0002", out_at, kind=ScanKind.CHECKOUT)
    )
    assert out is not None
    assert out.flags == sorted(MARKERS[0] + MARKERS[2])
    assert (
        await checkin_writes.check_out(
            fast(session, me, "phone-0001", out_at, kind=ScanKind.CHECKOUT)
        )
        is None
    )
    row = await Attendance.get(officer_id=me)
    assert row.flags == out.flags and row.checkout_device_id == "phone-0002"


async def test_a_scan_with_an_ended_login_is_refused_and_writes_nothing(
    room: World, clock: FixedClock, settings: Settings
) -> None:
    session = await create(room, geofence=None)
    me = await officer(room, 1, "phone-0001")
    username = (await Account.get(officer_id=me)).username
    login = (await room.mobile_login(username, device_id="phone-0001")).json()
    bearer = {"Authorization": f"Bearer {login['access_token']}"}
    token = await qr(settings, clock, session, ScanKind.CHECKIN)
    body = {"token": token, "device_id": "phone-0001"}
    # Ended behind this process's back (by hand in the database): the statement sees it.
    await Account.filter(officer_id=me).update(session_generation=F("session_generation") + 1)
    refused = await room.client.post("/mobile/v1/checkins", json=body, headers=bearer)
    assert (refused.status_code, refused.json()["code"]) == (401, "auth.session_ended")
    assert await Attendance.all().count() == 0
    # A login the statement vouched for, then logged out: refused from the next scan.
    login = (await room.mobile_login(username, device_id="phone-0001")).json()
    bearer = {"Authorization": f"Bearer {login['access_token']}"}
    done = await room.client.post("/mobile/v1/checkins", json=body, headers=bearer)
    assert done.status_code == 200, done.text
    out = await room.client.post(
        "/api/v1/auth/logout", json={"refresh_token": login["refresh_token"]}
    )
    assert out.status_code == 204
    again = await room.client.post("/mobile/v1/checkins", json=body, headers=bearer)
    assert (again.status_code, again.json()["code"]) == (401, "auth.session_ended")
