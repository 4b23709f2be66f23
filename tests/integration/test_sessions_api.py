"""Training sessions over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from service.store.models import TrainingSession
from tests.integration.world import World

FUTURE = {"starts_at": "2027-03-10T09:00:00+08:00", "ends_at": "2027-03-10T12:30:00+08:00"}
PAST = {"starts_at": "2026-03-10T09:00:00+08:00", "ends_at": "2026-03-10T12:30:00+08:00"}


def session_body(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "title": "《行政处罚法》专题培训",
        "category": "public_law",
        "credit_hours": 3.5,
        **FUTURE,
        "location": "英吉沙县司法局三楼会议室",
        "organiser_agency_id": world.agencies["yjs_justice"],
        "requires_checkout": True,
        "geofence": {"lat": 38.929, "lng": 76.174, "radius_m": 300},
        **changes,
    }


async def create(world: World, who: str = "trainer", **changes: Any) -> dict[str, Any]:
    response = await world.client.post(
        "/api/v1/sessions", json=session_body(world, **changes), headers=world.auth(who)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_organiser_schedules_a_session_for_own_agency(world: World) -> None:
    session = await create(world)
    assert session["credit_hours"] == 3.5
    assert session["status"] == "scheduled"
    assert session["organiser_agency_name"] == "英吉沙县司法局"
    assert session["geofence"] == {"lat": 38.929, "lng": 76.174, "radius_m": 300}
    assert session["starts_at"].startswith("2027-03-10T01:00:00")  # stored in UTC
    read = await world.client.get(
        f"/api/v1/sessions/{session['id']}", headers=world.auth("yjs_admin")
    )
    assert read.json()["title"] == "《行政处罚法》专题培训"


async def test_bad_sessions_are_refused_and_write_nothing(world: World) -> None:
    for changes, who, status, code in (
        ({"credit_hours": 1.2}, "trainer", 422, "session.bad_credit"),
        ({"credit_hours": 0}, "trainer", 422, "session.bad_credit"),
        ({"credit_hours": "1.25"}, "trainer", 422, "hours.bad_value"),
        ({"ends_at": "2027-03-10T08:00:00+08:00"}, "trainer", 422, "session.bad_schedule"),
        ({"ends_at": "2027-05-10T08:00:00+08:00"}, "trainer", 422, "session.bad_schedule"),
        ({"starts_at": "2027-03-10T09:00:00"}, "trainer", 400, "request.invalid_body"),
        (
            {"geofence": {"lat": 38.9, "lng": 76.1, "radius_m": 1}},
            "trainer",
            422,
            "session.bad_geofence",
        ),
        ({"title": "  "}, "trainer", 422, "session.bad_title"),
        ({"category": "sports"}, "trainer", 400, "request.invalid_body"),
        ({"organiser_agency_id": -1}, "trainer", 422, "session.bad_agency"),
        ({}, "hy_admin", 422, "session.bad_agency"),
    ):
        response = await world.client.post(
            "/api/v1/sessions", json=session_body(world, **changes), headers=world.auth(who)
        )
        assert response.status_code == status, (changes, response.text)
        assert response.json()["code"] == code, changes
    market = await world.client.post(
        "/api/v1/sessions",
        json=session_body(world, organiser_agency_id=world.agencies["yjs_market"]),
        headers=world.auth("trainer"),
    )
    assert (market.status_code, market.json()["code"]) == (422, "session.bad_agency")
    assert await TrainingSession.all().count() == 0


async def test_sessions_are_listed_within_jurisdiction(world: World) -> None:
    await create(world)
    await create(world, who="market_admin", organiser_agency_id=world.agencies["yjs_market"])
    for who, total in (("kashgar_admin", 2), ("yjs_admin", 2), ("trainer", 1), ("hy_admin", 0)):
        listed = await world.client.get("/api/v1/sessions", headers=world.auth(who))
        assert listed.json()["total"] == total, who
    by_agency = await world.client.get(
        "/api/v1/sessions",
        params={"agency_id": world.agencies["yjs_market"]},
        headers=world.auth("yjs_admin"),
    )
    assert by_agency.json()["total"] == 1


async def test_terms_change_until_the_start_then_are_fixed(world: World) -> None:
    upcoming = await create(world)
    url = f"/api/v1/sessions/{upcoming['id']}"
    changed = await world.client.patch(
        url, json={"credit_hours": 4, "geofence": None}, headers=world.auth("trainer")
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["credit_hours"], changed.json()["geofence"]) == (4.0, None)
    started = await create(world, **PAST)
    refused = await world.client.patch(
        f"/api/v1/sessions/{started['id']}", json={"credit_hours": 8}, headers=world.auth("trainer")
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "session.started"
    assert (await TrainingSession.get(id=started["id"])).credit_tenths == 35


async def test_cancelled_session_cannot_change_or_be_cancelled_again(world: World) -> None:
    session = await create(world)
    url = f"/api/v1/sessions/{session['id']}"
    cancelled = await world.client.post(f"{url}/cancel", headers=world.auth("trainer"))
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    again = await world.client.post(f"{url}/cancel", headers=world.auth("trainer"))
    assert (again.status_code, again.json()["code"]) == (409, "session.not_scheduled")
    patched = await world.client.patch(url, json={"title": "改"}, headers=world.auth("trainer"))
    assert (patched.status_code, patched.json()["code"]) == (409, "session.not_scheduled")
    outsider = await world.client.post(f"{url}/cancel", headers=world.auth("hy_admin"))
    assert outsider.status_code == 404
