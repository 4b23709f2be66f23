"""Officers API on SQLite and PostgreSQL: create, read, list, update, scope, login."""

from __future__ import annotations

import asyncio
from datetime import date

from service.store.models import Officer
from tests.integration.world import World, id_number


async def test_create_officer_reads_birth_date_and_gender_from_id_number(world: World) -> None:
    officer = await world.create_officer(id_number=id_number(born=date(1990, 5, 20), male=False))
    assert officer["birth_date"] == "1990-05-20"
    assert officer["gender"] == "female"
    assert officer["agency_name"] == "英吉沙县市场监督管理局"
    fetched = await world.client.get(
        f"/api/v1/officers/{officer['id']}", headers=world.auth("root")
    )
    assert fetched.status_code == 200
    assert fetched.json()["id_number"] == officer["id_number"]


async def test_bad_id_checksum_is_422_and_writes_nothing(world: World) -> None:
    good = id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = await world.client.post(
        "/api/v1/officers",
        json={
            "name": "李娜",
            "id_number": bad,
            "agency_id": world.agencies["yjs_market"],
            "employment_type": "civil_servant",
        },
        headers=world.auth("root"),
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "officer.bad_id_number"
    assert await Officer.all().count() == 0


async def test_duplicate_id_number_is_409(world: World) -> None:
    first = await world.create_officer()
    response = await world.client.post(
        "/api/v1/officers",
        json={
            "name": "另一人",
            "id_number": first["id_number"],
            "agency_id": world.agencies["yjs_market"],
            "employment_type": "civil_servant",
        },
        headers=world.auth("root"),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "officer.duplicate_id_number"
    assert await Officer.all().count() == 1


async def test_concurrent_creates_of_one_person_give_one_officer(world: World) -> None:
    body = {
        "name": "王强",
        "id_number": id_number(seq=7),
        "agency_id": world.agencies["yjs_market"],
        "employment_type": "civil_servant",
    }
    responses = await asyncio.gather(
        *(
            world.client.post("/api/v1/officers", json=body, headers=world.auth("root"))
            for _ in range(5)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409]
    assert await Officer.filter(id_number=body["id_number"]).count() == 1


async def test_unknown_agency_is_422(world: World) -> None:
    response = await world.client.post(
        "/api/v1/officers",
        json={
            "name": "李娜",
            "id_number": id_number(),
            "agency_id": 9999,
            "employment_type": "contract",
        },
        headers=world.auth("root"),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "officer.bad_agency"


async def test_gender_contradicting_id_number_is_422(world: World) -> None:
    response = await world.client.post(
        "/api/v1/officers",
        json={
            "name": "李娜",
            "id_number": id_number(male=True),
            "gender": "female",
            "agency_id": world.agencies["yjs_market"],
            "employment_type": "civil_servant",
        },
        headers=world.auth("root"),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "officer.gender_mismatch"


async def test_list_paginates_and_searches_by_name_and_id_prefix(world: World) -> None:
    for seq, name in enumerate(["张伟", "张敏", "李强"], start=1):
        await world.create_officer(name=name, id_number=id_number(seq=seq))
    page = await world.client.get("/api/v1/officers?page=1&page_size=2", headers=world.auth("root"))
    assert page.json()["total"] == 3 and len(page.json()["items"]) == 2
    second = await world.client.get(
        "/api/v1/officers?page=2&page_size=2", headers=world.auth("root")
    )
    assert [o["name"] for o in second.json()["items"]] == ["李强"]
    by_name = await world.client.get("/api/v1/officers?q=张", headers=world.auth("root"))
    assert {o["name"] for o in by_name.json()["items"]} == {"张伟", "张敏"}
    by_id = await world.client.get(
        f"/api/v1/officers?q={id_number(seq=3)[:16]}", headers=world.auth("root")
    )
    assert [o["name"] for o in by_id.json()["items"]] == ["李强"]


async def test_bureau_admin_of_another_county_gets_404(world: World) -> None:
    officer = await world.create_officer()
    other = await world.client.get(
        f"/api/v1/officers/{officer['id']}", headers=world.auth("hy_admin")
    )
    assert other.status_code == 404
    listed = await world.client.get("/api/v1/officers", headers=world.auth("hy_admin"))
    assert listed.json()["total"] == 0
    patched = await world.client.patch(
        f"/api/v1/officers/{officer['id']}", json={"post": "科长"}, headers=world.auth("hy_admin")
    )
    assert patched.status_code == 404


async def test_city_bureau_admin_sees_officers_of_its_counties(world: World) -> None:
    officer = await world.create_officer()
    response = await world.client.get(
        f"/api/v1/officers/{officer['id']}", headers=world.auth("kashgar_admin")
    )
    assert response.status_code == 200


async def test_agency_admin_sees_only_its_agency(world: World) -> None:
    mine = await world.create_officer(id_number=id_number(seq=1))
    await world.create_officer(id_number=id_number(seq=2), agency_id=world.agencies["yjs_justice"])
    listed = await world.client.get("/api/v1/officers", headers=world.auth("market_admin"))
    assert [o["id"] for o in listed.json()["items"]] == [mine["id"]]
    elsewhere = await world.client.post(
        "/api/v1/officers",
        json={
            "name": "李娜",
            "id_number": id_number(seq=3),
            "agency_id": world.agencies["yjs_justice"],
            "employment_type": "civil_servant",
        },
        headers=world.auth("market_admin"),
    )
    assert elsewhere.status_code == 422
    assert await Officer.filter(id_number=id_number(seq=3)).count() == 0


async def test_organiser_may_read_but_not_create_officers(world: World) -> None:
    response = await world.client.post(
        "/api/v1/officers",
        json={
            "name": "李娜",
            "id_number": id_number(),
            "agency_id": world.agencies["yjs_justice"],
            "employment_type": "civil_servant",
        },
        headers=world.auth("trainer"),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "auth.forbidden"
    assert (
        await world.client.get("/api/v1/officers", headers=world.auth("trainer"))
    ).status_code == 200


async def test_patch_changes_only_fields_sent(world: World) -> None:
    officer = await world.create_officer()
    response = await world.client.patch(
        f"/api/v1/officers/{officer['id']}",
        json={"post": "副大队长", "in_post": False},
        headers=world.auth("yjs_admin"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["post"], body["in_post"], body["phone"]) == ("副大队长", False, officer["phone"])


async def test_patch_moves_an_officer_to_another_agency_in_scope(world: World) -> None:
    officer = await world.create_officer()
    moved = await world.client.patch(
        f"/api/v1/officers/{officer['id']}",
        json={"agency_id": world.agencies["yjs_justice"]},
        headers=world.auth("yjs_admin"),
    )
    assert moved.status_code == 200
    assert moved.json()["agency_name"] == "英吉沙县司法局"
    assert (await Officer.get(id=officer["id"])).agency_id == world.agencies["yjs_justice"]
    away = await world.client.patch(
        f"/api/v1/officers/{officer['id']}",
        json={"agency_id": world.agencies["hy_justice"]},
        headers=world.auth("yjs_admin"),
    )
    assert away.status_code == 422
    assert (await Officer.get(id=officer["id"])).agency_id == world.agencies["yjs_justice"]


async def test_patch_refuses_changing_id_number(world: World) -> None:
    officer = await world.create_officer()
    response = await world.client.patch(
        f"/api/v1/officers/{officer['id']}",
        json={"id_number": id_number(seq=9)},
        headers=world.auth("root"),
    )
    assert response.status_code == 400
    assert (await Officer.get(id=officer["id"])).id_number == officer["id_number"]


async def test_officer_account_logs_in_on_mobile_and_is_refused_on_staff_api(world: World) -> None:
    officer = await world.create_officer()
    created = await world.give_login(officer, who="yjs_admin")
    assert created.status_code == 201
    assert created.json()["username"] == officer["id_number"]
    mobile = await world.mobile_login(officer["id_number"])
    assert mobile.status_code == 200
    token = mobile.json()["access_token"]
    staff_endpoint = await world.client.get(
        "/api/v1/officers", headers={"Authorization": f"Bearer {token}"}
    )
    assert staff_endpoint.status_code == 403
    assert staff_endpoint.json()["code"] == "auth.wrong_kind"
    staff_login = await world.client.post(
        "/api/v1/auth/token", json={"username": officer["id_number"], "password": "Zhifa-2026"}
    )
    assert staff_login.status_code == 403


async def test_resetting_officer_password_answers_200_and_old_password_fails(world: World) -> None:
    officer = await world.create_officer()
    await world.give_login(officer)
    reset = await world.give_login(officer, password="Xinmima-2027")
    assert reset.status_code == 200 and reset.json()["created"] is False
    old = await world.mobile_login(officer["id_number"])
    assert old.status_code == 401


async def test_weak_officer_password_is_422(world: World) -> None:
    officer = await world.create_officer()
    response = await world.give_login(officer, password="123")
    assert response.status_code == 422
    assert response.json()["code"] == "account.weak_password"
