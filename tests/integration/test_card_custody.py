"""Card custody (收回): a suspended or ended certificate's card is owed until it is taken
back; a return is an event, and the card goes back to its holder with a reinstatement."""

from __future__ import annotations

from tests.integration.world import World, id_number, issued_certificate


async def _owed(world: World) -> list[object]:
    listed = await world.client.get("/api/v1/reports/cards-owed", headers=world.auth("yjs_admin"))
    assert listed.status_code == 200, listed.text
    return [item["id"] for item in listed.json()["items"]]


async def _act(world: World, certificate_id: object, action: str, **body: object):  # type: ignore[no-untyped-def]
    return await world.client.post(
        f"/api/v1/certificates/{certificate_id}/{action}",
        json=body,
        headers=world.auth("yjs_admin"),
    )


async def test_a_card_owed_after_revocation_leaves_the_list_once_returned(world: World) -> None:
    cert = await issued_certificate(world, name="张伟", id_number=id_number(seq=11))
    today = cert["valid_from"]  # issued today
    live = await _act(world, cert["id"], "card-returned", returned_on=today)
    assert (live.status_code, live.json()["code"]) == (409, "certificate.card_not_owed")
    assert (await _act(world, cert["id"], "revoke", reason="出借执法证")).status_code == 200
    assert await _owed(world) == [cert["id"]]
    board = await world.client.get("/api/v1/reports/dashboard", headers=world.auth("yjs_admin"))
    assert board.json()["cards_owed"] == 1
    stranger = await world.client.post(
        f"/api/v1/certificates/{cert['id']}/card-returned",
        json={"returned_on": today},
        headers=world.auth("hy_admin"),
    )
    assert stranger.status_code == 404
    future = await _act(world, cert["id"], "card-returned", returned_on="2099-01-01")
    assert (future.status_code, future.json()["code"]) == (422, "certificate.bad_returned_on")
    returned = await _act(world, cert["id"], "card-returned", returned_on=today, note="本人交回")
    assert returned.status_code == 200, returned.text
    assert returned.json()["card_returned_on"] == today
    assert await _owed(world) == []
    again = await _act(world, cert["id"], "card-returned", returned_on=today)
    assert (again.status_code, again.json()["code"]) == (409, "certificate.card_not_owed")
    timeline = await world.client.get(
        f"/api/v1/officers/{cert['officer_id']}/timeline", headers=world.auth("yjs_admin")
    )
    [event] = [e for e in timeline.json()["items"] if e["action"] == "card_returned"]
    assert (event["reason"], event["after"]) == ("本人交回", {"card_returned_on": today})


async def test_a_reinstatement_gives_the_card_back_and_a_new_suspension_owes_it_again(
    world: World,
) -> None:
    cert = await issued_certificate(world, name="李娜", id_number=id_number(seq=12, male=False))
    today = cert["valid_from"]  # issued today
    assert (await _act(world, cert["id"], "suspend", reason="未亮证执法")).status_code == 200
    assert await _owed(world) == [cert["id"]]
    assert (await _act(world, cert["id"], "card-returned", returned_on=today)).status_code == 200
    assert await _owed(world) == []
    back = await _act(world, cert["id"], "reinstate", reason="整改完成")
    assert back.json()["card_returned_on"] is None
    assert (await _act(world, cert["id"], "suspend", reason="再次违规")).status_code == 200
    assert await _owed(world) == [cert["id"]]


async def test_the_admin_form_records_a_returned_card(world: World) -> None:
    from tests.integration.test_admin import admin_as, form

    cert = await issued_certificate(world, name="王刚", id_number=id_number(seq=13))
    assert (await _act(world, cert["id"], "revoke", reason="出借执法证")).status_code == 200
    async with admin_as(world, "yjs_admin") as http:
        done = await form(
            http,
            "card-returned",
            certificate=cert["number"],
            returned_on=cert["valid_from"],
            note="单位代收",
        )
    assert done.status_code == 200, done.text
    assert f"已登记证件 {cert['number']} 于 {cert['valid_from']} 收回" in done.text
    assert await _owed(world) == []
