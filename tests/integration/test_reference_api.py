"""Regions and agencies, on SQLite and PostgreSQL."""

from __future__ import annotations

from service.store.models import Agency, Region
from tests.integration.world import World


async def test_regions_nest_and_list_by_parent(world: World) -> None:
    response = await world.client.get(
        "/api/v1/regions?parent_code=653100", headers=world.auth("root")
    )
    assert [r["code"] for r in response.json()["items"]] == ["653123"]


async def test_region_code_that_does_not_fit_its_level_is_422(world: World) -> None:
    response = await world.client.post(
        "/api/v1/regions",
        json={"code": "653123", "name": "x", "level": "city", "parent_code": "650000"},
        headers=world.auth("root"),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "region.bad_code"


async def test_region_outside_its_parent_is_422_and_not_written(world: World) -> None:
    response = await world.client.post(
        "/api/v1/regions",
        json={"code": "610922", "name": "石泉县", "level": "county", "parent_code": "653100"},
        headers=world.auth("root"),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "region.bad_parent"
    assert not await Region.exists(code="610922")


async def test_duplicate_region_is_409(world: World) -> None:
    response = await world.client.post(
        "/api/v1/regions",
        json={"code": "653123", "name": "英吉沙县", "level": "county", "parent_code": "653100"},
        headers=world.auth("root"),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "region.exists"


async def test_bureau_admin_adds_township_inside_but_not_outside_its_county(world: World) -> None:
    inside = await world.client.post(
        "/api/v1/regions",
        json={
            "code": "653123100",
            "name": "英吉沙镇",
            "level": "township",
            "parent_code": "653123",
        },
        headers=world.auth("yjs_admin"),
    )
    assert inside.status_code == 201, inside.text
    outside = await world.client.post(
        "/api/v1/regions",
        json={"code": "610921100", "name": "城关镇", "level": "township", "parent_code": "610921"},
        headers=world.auth("yjs_admin"),
    )
    assert outside.status_code == 403
    assert not await Region.exists(code="610921100")


async def test_agency_with_unknown_sector_or_region_is_422(world: World) -> None:
    for body, code in (
        (
            {"name": "某局", "region_code": "653123", "sector": "7x", "kind": "department"},
            "agency.bad_sector",
        ),
        (
            {"name": "某局", "region_code": "999999", "sector": "03", "kind": "department"},
            "agency.bad_region",
        ),
    ):
        response = await world.client.post(
            "/api/v1/agencies", json=body, headers=world.auth("root")
        )
        assert response.status_code == 422
        assert response.json()["code"] == code
    assert not await Agency.exists(name="某局")


async def test_agencies_are_listed_within_jurisdiction(world: World) -> None:
    county = await world.client.get("/api/v1/agencies", headers=world.auth("hy_admin"))
    assert [a["name"] for a in county.json()["items"]] == ["汉阴县司法局"]
    agency = await world.client.get("/api/v1/agencies", headers=world.auth("market_admin"))
    assert [a["name"] for a in agency.json()["items"]] == ["英吉沙县市场监督管理局"]
    assert agency.json()["items"][0]["sector_name"] == "市场监管"
    hidden = await world.client.get(
        f"/api/v1/agencies/{world.agencies['yjs_market']}", headers=world.auth("hy_admin")
    )
    assert hidden.status_code == 404


async def test_agency_admin_cannot_create_agencies(world: World) -> None:
    response = await world.client.post(
        "/api/v1/agencies",
        json={
            "name": "英吉沙县文旅局",
            "region_code": "653123",
            "sector": "07",
            "kind": "department",
        },
        headers=world.auth("market_admin"),
    )
    assert response.status_code == 403


async def test_renaming_an_agency_to_a_taken_name_is_409(world: World) -> None:
    response = await world.client.patch(
        f"/api/v1/agencies/{world.agencies['yjs_market']}",
        json={"name": "英吉沙县司法局"},
        headers=world.auth("yjs_admin"),
    )
    assert response.status_code == 409
    assert (await Agency.get(id=world.agencies["yjs_market"])).name == "英吉沙县市场监督管理局"
