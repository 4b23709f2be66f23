"""Alerts for the bureau and reminders on the officer's phone: hours short as the year
ends, an annual review overdue, an expiry coming up; scoped to the jurisdiction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from service.clock import SHANGHAI, FixedClock
from service.domain.hours import HourCategory
from service.settings import Settings
from service.store.models import Certificate
from tests.conftest import serving
from tests.integration.world import (
    OFFICER_PASSWORD,
    World,
    build_world,
    credit,
    id_number,
    issued_certificate,
)


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 15, 10, 0, tzinfo=SHANGHAI))  # 46 days to 12-31


@pytest.fixture
async def bureau(settings: Settings, clock: FixedClock) -> AsyncIterator[World]:
    async with serving(settings, clock) as http:
        yield await build_world(http, settings)


async def prepared(world: World) -> dict[str, Any]:
    """A holder short of hours whose review of 2025 is overdue and whose certificate ends
    in 35 days; a colleague with all hours; a short officer in another county."""
    held = await issued_certificate(world, exams_on="2026-06-18")
    await Certificate.filter(id=held["id"]).update(
        valid_from=date(2024, 3, 1), valid_until=date(2026, 12, 20)
    )
    holder = held["officer_id"]
    await credit(holder, HourCategory.PUBLIC_LAW, 100, 2026)
    done = await world.create_officer(name="李娜", id_number=id_number(seq=51, male=False))
    await credit(done["id"], HourCategory.PUBLIC_LAW, 200, 2026)
    await credit(done["id"], HourCategory.PROFESSIONAL, 400, 2026)
    await world.create_officer(
        name="王芳",
        id_number=id_number("610921", male=False),
        agency_id=world.agencies["hy_justice"],
    )
    return {"certificate": held, "holder": holder, "done": done}


async def test_bureau_alerts_count_and_list_red_first_inside_the_county(bureau: World) -> None:
    made = await prepared(bureau)
    response = await bureau.client.get("/api/v1/reports/alerts", headers=bureau.auth("yjs_admin"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["counts"] == {
        "expiry": {"amber": 1, "red": 0},
        "review_due": {"amber": 0, "red": 1},
        "hours_short": {"amber": 1, "red": 0},
    }
    first = body["alerts"][0]
    assert (first["kind"], first["level"], first["number"]) == (
        "review_due",
        "red",
        made["certificate"]["number"],
    )
    assert first["message"] == "2025年度年审已于 04月30日 截止，证件尚未年审"
    hours = next(a for a in body["alerts"] if a["kind"] == "hours_short")
    assert hours["officer_id"] == made["holder"] and "还差 50.0 学时" in hours["message"]
    assert {a["officer_id"] for a in body["alerts"]} == {made["holder"]}
    province = await bureau.client.get("/api/v1/reports/alerts", headers=bureau.auth("root"))
    assert province.json()["counts"]["hours_short"]["amber"] == 2  # 汉阴县's officer too


async def test_the_officer_sees_reminders_and_hours_turn_red_in_january(
    bureau: World, clock: FixedClock
) -> None:
    made = await prepared(bureau)
    officer = {"id": made["holder"]}
    assert (await bureau.give_login(officer)).status_code == 201
    listed = await bureau.client.get(
        f"/api/v1/officers/{made['holder']}", headers=bureau.auth("root")
    )
    username = listed.json()["id_number"]

    async def mine() -> list[dict[str, Any]]:
        login = await bureau.mobile_login(username, OFFICER_PASSWORD)
        token = login.json()["access_token"]
        response = await bureau.client.get(
            "/mobile/v1/me/reminders", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
        return list(response.json())

    november = await mine()
    assert [(r["kind"], r["level"]) for r in november] == [
        ("review_due", "red"),
        ("expiry", "amber"),  # 12-20, before the hours' 12-31
        ("hours_short", "amber"),
    ]
    clock.advance(timedelta(days=56))  # 2027-01-10
    january = {(r["kind"], r["level"]) for r in await mine()}
    assert ("hours_short", "red") in january and ("expiry", "red") in january


async def test_an_expired_certificate_is_red_until_its_holder_has_a_new_one(bureau: World) -> None:
    held = await issued_certificate(bureau, exams_on="2026-06-18")
    await Certificate.filter(id=held["id"]).update(
        status="expired", valid_from=date(2021, 10, 1), valid_until=date(2026, 9, 30)
    )

    async def expiries() -> list[tuple[str, int | None]]:
        response = await bureau.client.get("/api/v1/reports/alerts", headers=bureau.auth("root"))
        body = response.json()["alerts"]
        return [(a["level"], a["certificate_id"]) for a in body if a["kind"] == "expiry"]

    assert await expiries() == [("red", held["id"])]
    await Certificate.create(
        officer_id=held["officer_id"], enforcement_area="英吉沙县", status="pending"
    )  # the renewal applied for
    assert await expiries() == []
