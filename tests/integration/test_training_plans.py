"""Agencies' yearly training plans (年度学习培训计划): set, replaced, read back, checked."""

from __future__ import annotations

from tests.integration.world import World

ITEMS = [
    {"category": "public_law", "sessions": 4, "hours": 12},
    {"category": "professional", "sessions": 6, "hours": "24.5"},
]


async def test_a_plan_is_set_replaced_and_read_back(world: World) -> None:
    market = world.agencies["yjs_market"]
    url = f"/api/v1/agencies/{market}/training-plan/2026"
    assert (await world.client.get(url, headers=world.auth("yjs_admin"))).json()["items"] == []
    made = await world.client.put(url, json={"items": ITEMS}, headers=world.auth("market_admin"))
    assert made.status_code == 200, made.text
    read = await world.client.get(url, headers=world.auth("yjs_admin"))
    assert read.json()["items"] == [
        {"category": "public_law", "sessions": 4, "hours": 12.0},
        {"category": "professional", "sessions": 6, "hours": 24.5},
    ]
    replaced = await world.client.put(
        url, json={"items": ITEMS[:1]}, headers=world.auth("yjs_admin")
    )
    assert [i["category"] for i in replaced.json()["items"]] == ["public_law"]
    again = await world.client.get(url, headers=world.auth("yjs_admin"))
    assert [i["category"] for i in again.json()["items"]] == ["public_law"]


async def test_bad_plans_and_strangers_are_refused(world: World) -> None:
    market = world.agencies["yjs_market"]
    url = f"/api/v1/agencies/{market}/training-plan/2026"
    twice = await world.client.put(
        url, json={"items": [ITEMS[0], ITEMS[0]]}, headers=world.auth("root")
    )
    assert (twice.status_code, twice.json()["code"]) == (422, "plan.duplicate_category")
    fine = await world.client.put(
        url, json={"items": [{"category": "political", "sessions": 1, "hours": "1.25"}]},
        headers=world.auth("root"),
    )  # fmt: skip
    assert (fine.status_code, fine.json()["code"]) == (422, "hours.bad_value")
    late = await world.client.put(
        f"/api/v1/agencies/{market}/training-plan/2090",
        json={"items": []},
        headers=world.auth("root"),
    )
    assert (late.status_code, late.json()["code"]) == (422, "plan.bad_year")
    stranger = await world.client.put(url, json={"items": ITEMS}, headers=world.auth("hy_admin"))
    assert stranger.status_code == 404
