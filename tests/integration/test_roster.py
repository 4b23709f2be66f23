"""The public roster (公示): an agency's certificate holders, public fields only, and a
suspension or an end that shows at once."""

from __future__ import annotations

from tests.integration.world import (
    World,
    apply_for,
    id_number,
    issued_certificate,
    record_passed_exams,
)

PEOPLE = [id_number(seq=31), id_number(seq=32, male=False), id_number(seq=33)]


def assert_no_id_numbers(text: str) -> None:
    for secret in (*PEOPLE, *(number[6:14] for number in PEOPLE)):  # nor a birth date
        assert secret not in text


async def test_roster_lists_holders_only_with_public_fields(world: World) -> None:
    active = await issued_certificate(world, name="张伟", id_number=id_number(seq=31))
    suspended = await issued_certificate(
        world, name="李娜", id_number=id_number(seq=32, male=False)
    )
    revoked = await issued_certificate(world, name="王刚", id_number=id_number(seq=33))
    pending = await world.create_officer(name="赵敏", id_number=id_number(seq=34, male=False))
    await record_passed_exams(world, pending["id"])
    await apply_for(world, pending["id"])
    for cert, action in ((suspended, "suspend"), (revoked, "revoke")):
        done = await world.client.post(
            f"/api/v1/certificates/{cert['id']}/{action}",
            json={"reason": "违规"},
            headers=world.auth("yjs_admin"),
        )
        assert done.status_code == 200
    market = world.agencies["yjs_market"]
    agencies = await world.client.get("/api/v1/public/agencies", params={"region_code": "653100"})
    assert [(a["id"], a["holders"]) for a in agencies.json()["items"]] == [(market, 2)]
    listed = await world.client.get(f"/api/v1/public/agencies/{market}/officers")
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [(i["name"], i["status_label"]) for i in items] == [("张伟", "有效"), ("李娜", "暂扣")]
    assert set(items[0]) == {
        "name", "number", "enforcement_area", "enforcement_categories", "status",
        "status_label", "valid_until",
    }  # fmt: skip
    assert_no_id_numbers(listed.text)
    page = await world.client.get(f"/roster/{market}")
    assert page.status_code == 200 and "张伟" in page.text and "王刚" not in page.text
    assert "赵敏" not in page.text
    assert_no_id_numbers(page.text)
    assert active["number"] in page.text


async def test_a_suspension_shows_at_once_and_names_are_searchable(world: World) -> None:
    cert = await issued_certificate(world, name="古丽娜尔·买买提", id_number=id_number(seq=35))
    await issued_certificate(world, name="马强", id_number=id_number(seq=36))
    market = world.agencies["yjs_market"]
    url = f"/api/v1/public/agencies/{market}/officers"
    assert [i["status_label"] for i in (await world.client.get(url)).json()["items"]] == [
        "有效",
        "有效",
    ]
    await world.client.post(
        f"/api/v1/certificates/{cert['id']}/suspend",
        json={"reason": "违规"},
        headers=world.auth("yjs_admin"),
    )
    # The same page as before the suspension: its cached answer is not served again.
    assert [i["status_label"] for i in (await world.client.get(url)).json()["items"]] == [
        "暂扣",
        "有效",
    ]
    found = (await world.client.get(url, params={"q": "古丽"})).json()
    assert [(i["name"], i["status_label"]) for i in found["items"]] == [("古丽娜尔·买买提", "暂扣")]
    assert (await world.client.get(url, params={"q": "%"})).json()["total"] == 0
    unknown = await world.client.get("/api/v1/public/agencies", params={"region_code": "999999"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "roster.bad_region")
    missing = await world.client.get("/api/v1/public/agencies/99999/officers")
    assert (missing.status_code, missing.json()["code"]) == (404, "roster.agency_not_found")
