"""Every change to an officer is on the officer's hash chain with its values before and
after (the hardening issue's finding 5): edits through the API and updates by an import,
on SQLite and PostgreSQL."""

from __future__ import annotations

from service.store.models import OfficerEvent
from service.usecases.audit import verify_chains
from tests.integration.world import World, id_number


async def updates_of(officer_id: object) -> list[OfficerEvent]:
    return list(
        await OfficerEvent.filter(officer_id=officer_id, action="officer_update").order_by("seq")
    )


async def test_an_edit_is_an_event_with_what_it_changed(world: World) -> None:
    officer = await world.create_officer()
    patched = await world.client.patch(
        f"/api/v1/officers/{officer['id']}",
        json={"name": "张 伟", "in_post": False, "agency_id": world.agencies["yjs_justice"]},
        headers=world.auth("yjs_admin"),
    )
    assert patched.status_code == 200, patched.text
    [event] = await updates_of(officer["id"])
    assert event.before == {
        "agency_id": world.agencies["yjs_market"], "in_post": True, "name": "张伟"
    }  # fmt: skip
    assert event.after == {
        "agency_id": world.agencies["yjs_justice"], "in_post": False, "name": "张 伟"
    }  # fmt: skip
    assert event.actor_name == "yjs_admin"
    timeline = await world.client.get(
        f"/api/v1/officers/{officer['id']}/timeline", headers=world.auth("yjs_admin")
    )
    assert [item["action"] for item in timeline.json()["items"]] == ["officer_update"]
    assert (await verify_chains()).broken is None


async def test_an_edit_that_changes_nothing_writes_nothing(world: World) -> None:
    officer = await world.create_officer()
    same = await world.client.patch(
        f"/api/v1/officers/{officer['id']}", json={"post": "执法科员"}, headers=world.auth("root")
    )
    assert same.status_code == 200
    assert await updates_of(officer["id"]) == []


async def test_an_import_that_updates_an_officer_is_an_event(world: World) -> None:
    number = id_number(seq=71)
    officer = await world.create_officer(id_number=number)
    agency = world.agencies["yjs_market"]
    content = f"姓名,身份证号,单位ID,人员类别,在岗\n张伟,{number},{agency},公务员,否\n"
    response = await world.client.post(
        "/api/v1/officers/import",
        files={"file": ("officers.csv", content.encode())},
        headers=world.auth("yjs_admin"),
    )
    assert response.json()["updated"] == 1, response.text
    [event] = await updates_of(officer["id"])
    assert (event.before, event.after) == ({"in_post": True}, {"in_post": False})
