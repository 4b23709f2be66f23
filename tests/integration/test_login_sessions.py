"""A login that ends, ends everywhere at once: its access tokens are refused from the next
request, not after their 15 minutes (the hardening issue's finding 3), on SQLite and
PostgreSQL."""

from __future__ import annotations

import httpx

from service.usecases import accounts
from service.usecases.services import Services
from tests.integration.test_admin import admin_as
from tests.integration.world import PASSWORD, World

NEW_PASSWORD = "Sifaju-2027!"


async def me(world: World, token: str) -> httpx.Response:
    return await world.client.get("/api/v1/officers", headers={"Authorization": f"Bearer {token}"})


async def refreshed(world: World, refresh_token: object) -> httpx.Response:
    return await world.client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})


def ended(response: httpx.Response) -> bool:
    return response.status_code == 401 and response.json()["code"] == "auth.session_ended"


async def test_logout_refuses_the_access_token_at_once(world: World) -> None:
    pair = await world.login("yjs_admin")
    assert (await me(world, str(pair["access_token"]))).status_code == 200
    out = await world.client.post(
        "/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}
    )
    assert out.status_code == 204
    assert ended(await me(world, str(pair["access_token"])))
    other = await world.login("yjs_admin")  # another login of the same account holds
    assert (await me(world, str(other["access_token"]))).status_code == 200


async def test_a_replayed_refresh_token_ends_the_access_tokens_of_its_login(
    world: World,
) -> None:
    first = await world.login("yjs_admin")
    second = (await refreshed(world, first["refresh_token"])).json()
    assert (await me(world, second["access_token"])).status_code == 200
    replay = await refreshed(world, first["refresh_token"])  # stolen and used again
    assert replay.status_code == 401
    assert ended(await me(world, second["access_token"]))
    assert (await refreshed(world, second["refresh_token"])).status_code == 401


async def test_a_password_reset_by_the_bureau_ends_the_officers_logins(world: World) -> None:
    officer = await world.create_officer()
    assert (await world.give_login(officer)).status_code == 201
    login = (await world.mobile_login(officer["id_number"])).json()
    progress = "/mobile/v1/me/progress"
    bearer = {"Authorization": f"Bearer {login['access_token']}"}
    assert (await world.client.get(progress, headers=bearer)).status_code == 200
    assert (await world.give_login(officer, password="Xinmima-2026")).status_code == 200
    assert ended(await world.client.get(progress, headers=bearer))
    assert (await refreshed(world, login["refresh_token"])).status_code == 401


async def test_a_password_changed_in_the_admin_ends_the_api_logins(world: World) -> None:
    api = await world.login("yjs_admin")
    async with admin_as(world, "yjs_admin") as http:
        changed = await http.post(
            "/admin/api/change-password/",
            json={
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
                "confirm_new_password": NEW_PASSWORD,
            },
        )
        assert changed.status_code in (200, 303), changed.text
    assert ended(await me(world, str(api["access_token"])))
    assert (await refreshed(world, api["refresh_token"])).status_code == 401
    assert (await world.login("yjs_admin", NEW_PASSWORD))["access_token"]


async def test_a_password_set_from_the_command_line_ends_every_session(world: World) -> None:
    api = await world.login("hy_admin")
    services = Services.build(world.settings)
    await accounts.change_password(services, "hy_admin", NEW_PASSWORD)  # as the CLI does
    assert ended(await me(world, str(api["access_token"])))
    assert (await refreshed(world, api["refresh_token"])).status_code == 401


async def test_a_role_or_jurisdiction_changed_any_way_ends_the_accounts_logins(
    world: World,
) -> None:
    from service.store.models import Account

    moved = await world.login("yjs_admin")
    demoted = await world.login("hy_admin")
    kept = await world.login("kashgar_admin")
    # Changed in the database by hand: no use case ended anything.
    await Account.filter(username="yjs_admin").update(region_id="610921")
    await Account.filter(username="hy_admin").update(role="organiser", agency_id=3)
    assert ended(await me(world, str(moved["access_token"])))
    assert ended(await me(world, str(demoted["access_token"])))
    assert (await me(world, str(kept["access_token"]))).status_code == 200
    again = await world.login("yjs_admin")  # a new login carries the new jurisdiction
    assert (await me(world, str(again["access_token"]))).status_code == 200
