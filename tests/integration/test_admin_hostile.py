"""Hostile requests to Piccolo Admin answer 4xx, never 500 (the hardening issue's finding
8), on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.integration.test_admin import admin_as
from tests.integration.world import World


async def test_an_order_that_is_not_a_column_is_refused(world: World) -> None:
    async with admin_as(world, "yjs_admin") as http:
        for order in ("id_number;select 1", "-name", "nope", "name,id; drop table officers"):
            response = await http.get("/admin/api/tables/officers/", params={"__order": order})
            assert response.status_code < 500, (order, response.text)
        listed = await http.get("/admin/api/tables/officers/", params={"__order": "-id"})
        assert listed.status_code == 200


async def test_a_patch_that_would_change_an_id_is_refused(world: World) -> None:
    agency = world.agencies["yjs_market"]
    async with admin_as(world, "yjs_admin") as http:
        response = await http.patch(f"/admin/api/tables/agencies/{agency}/", json={"id": 999})
        assert 400 <= response.status_code < 500, response.text
        renamed = await http.patch(
            f"/admin/api/tables/agencies/{agency}/", json={"name": "英吉沙县市场监管局"}
        )
        assert renamed.status_code == 200, renamed.text


async def test_a_form_posted_url_encoded_is_refused(world: World) -> None:
    officer = await world.create_officer()
    async with admin_as(world, "yjs_admin") as http:
        response = await http.post(
            "/admin/api/forms/edit-officer/", data={"officer_id": officer["id"], "post": "科长"}
        )
        assert 400 <= response.status_code < 500, response.text
