"""Hour requirements over HTTP: set per region and year, inherited down the region tree."""

from __future__ import annotations

from typing import Any

from service.store.models import Requirement
from tests.integration.world import World


async def read(
    world: World, region: str, who: str = "yjs_admin", year: int = 2026
) -> dict[str, Any]:
    response = await world.client.get(
        f"/api/v1/requirements/{year}", params={"region_code": region}, headers=world.auth(who)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_default_is_twenty_public_law_plus_forty_professional(world: World) -> None:
    body = await read(world, "653123")
    assert (body["inherited"], body["set_by_region"]) == (True, None)
    assert body["min_hours"] == {"public_law": 20.0, "professional": 40.0}
    assert body["required"] == {
        "public_law": 20.0, "professional": 40.0, "political": 0.0, "total": 60.0
    }  # fmt: skip


async def test_city_total_only_requirement_is_inherited_by_its_counties(world: World) -> None:
    response = await world.client.put(
        "/api/v1/requirements/2026",
        json={"region_code": "653100", "min_total": 60},
        headers=world.auth("kashgar_admin"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["inherited"] is False
    county = await read(world, "653123")
    assert (county["inherited"], county["set_by_region"]) == (True, "653100")
    assert county["min_hours"] == {}
    assert county["required"]["total"] == 60.0
    assert county["required"]["public_law"] == 0.0
    other_year = await read(world, "653123", year=2025)
    assert other_year["set_by_region"] is None


async def test_county_sets_its_own_and_a_second_put_replaces_it(world: World) -> None:
    url = "/api/v1/requirements/2026"
    for body in (
        {"region_code": "653123", "min_hours": {"public_law": 20, "professional": 40}},
        {"region_code": "653123", "min_hours": {"public_law": "24.5"}, "min_total": 70},
    ):
        response = await world.client.put(url, json=body, headers=world.auth("yjs_admin"))
        assert response.status_code == 200, response.text
    county = await read(world, "653123")
    assert county["min_hours"] == {"public_law": 24.5}
    assert county["required"]["total"] == 70.0
    assert await Requirement.filter(region_id="653123", year=2026).count() == 1


async def test_bad_requirements_are_refused_and_write_nothing(world: World) -> None:
    url = "/api/v1/requirements"
    for year, body, who, status, code in (
        (
            1999,
            {"region_code": "653123", "min_total": 60},
            "yjs_admin",
            422,
            "requirement.bad_year",
        ),
        (
            2026,
            {"region_code": "653100", "min_total": 60},
            "yjs_admin",
            422,
            "requirement.bad_region",
        ),
        (
            2026,
            {"region_code": "653123", "min_total": -1},
            "yjs_admin",
            422,
            "requirement.bad_hours",
        ),
        (
            2026,
            {"region_code": "653123", "min_total": 600},
            "yjs_admin",
            422,
            "requirement.bad_hours",
        ),
        (2026, {"region_code": "653123", "min_total": "0.05"}, "yjs_admin", 422, "hours.bad_value"),
        (2026, {"region_code": "653123", "min_hours": {}}, "yjs_admin", 422, "requirement.empty"),
        (
            2026,
            {"region_code": "653123", "min_hours": {"law": 20}},
            "yjs_admin",
            400,
            "request.invalid_body",
        ),
        (2026, {"region_code": "653123", "min_total": 60}, "market_admin", 403, "auth.forbidden"),
    ):
        response = await world.client.put(f"{url}/{year}", json=body, headers=world.auth(who))
        assert response.status_code == status, (body, response.text)
        assert response.json()["code"] == code, body
    assert await Requirement.all().count() == 0


async def test_requirement_outside_jurisdiction_is_unknown(world: World) -> None:
    response = await world.client.get(
        "/api/v1/requirements/2026",
        params={"region_code": "610921"},
        headers=world.auth("yjs_admin"),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "requirement.bad_region"
