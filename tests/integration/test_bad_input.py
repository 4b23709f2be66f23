"""Bad input gets a 4xx problem with a stable code, never a 500, and writes nothing."""

from __future__ import annotations

import pytest

from service.store.models import Officer
from tests.integration.world import World, id_number


def officer_body(world: World, **fields: object) -> dict[str, object]:
    return {
        "name": "李娜",
        "id_number": id_number(),
        "agency_id": world.agencies["yjs_market"],
        "employment_type": "civil_servant",
        **fields,
    }


async def test_malformed_json_is_400(world: World) -> None:
    response = await world.client.post(
        "/api/v1/officers",
        content=b'{"name": ',
        headers={**world.auth("root"), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"].startswith("request.")


@pytest.mark.parametrize(
    "change",
    [
        {"agency_id": "one"},
        {"employment_type": "volunteer"},
        {"name": ""},
        {"name": "名" * 51},
        {"unexpected": True},
        {"phone": 13912345678},
    ],
    ids=["wrong-type", "unknown-enum", "empty-name", "long-name", "unknown-field", "number-phone"],
)
async def test_invalid_officer_body_is_400_and_writes_nothing(
    world: World, change: dict[str, object]
) -> None:
    response = await world.client.post(
        "/api/v1/officers", json=officer_body(world, **change), headers=world.auth("root")
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "request.invalid_body"
    assert await Officer.all().count() == 0


async def test_bad_phone_number_is_422(world: World) -> None:
    response = await world.client.post(
        "/api/v1/officers", json=officer_body(world, phone="12345"), headers=world.auth("root")
    )
    assert response.status_code == 422
    assert response.json()["code"] == "officer.bad_phone"


async def test_oversized_body_is_413(world: World) -> None:
    response = await world.client.post(
        "/api/v1/officers",
        json=officer_body(world, post="x" * 3_000_000),
        headers=world.auth("root"),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"
    assert await Officer.all().count() == 0


async def test_bad_page_parameters_are_400(world: World) -> None:
    for query in ("page=0", "page_size=0", "page_size=201", "page=x"):
        response = await world.client.get(f"/api/v1/officers?{query}", headers=world.auth("root"))
        assert response.status_code == 400, query
        assert response.json()["code"].startswith("request.")


async def test_unknown_route_and_method_are_problems(world: World) -> None:
    missing = await world.client.get("/api/v1/nothing-here", headers=world.auth("root"))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong = await world.client.delete("/api/v1/officers", headers=world.auth("root"))
    assert wrong.status_code == 405 and wrong.json()["code"] == "request.method_not_allowed"


async def test_unknown_officer_is_404(world: World) -> None:
    response = await world.client.get("/api/v1/officers/424242", headers=world.auth("root"))
    assert response.status_code == 404
    assert response.json()["code"] == "officer.not_found"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/auth/token", '{"username": "a\\u0000b", "password": "x"}'),
        ("POST", "/api/v1/sessions", '{"title": "\\u0000"}'),
        ("GET", "/api/v1/officers?q=%00", None),
        ("GET", "/api/v1/public/certificates/6531%0023", None),
    ],
)
async def test_a_nul_character_anywhere_is_422_before_anything_reads_it(
    world: World, method: str, path: str, body: str | None
) -> None:
    # PostgreSQL cannot store U+0000 (it answered 500); SQLite would have kept it.
    response = await world.client.request(
        method,
        path,
        content=body,
        headers={**world.auth("root"), "content-type": "application/json"},
    )
    assert (response.status_code, response.json()["code"]) == (422, "request.bad_text")


async def test_an_escaped_backslash_before_u0000_is_text_not_nul(world: World) -> None:
    response = await world.client.post(
        "/api/v1/auth/token",
        content='{"username": "a\\\\u0000b", "password": "x"}',
        headers={"content-type": "application/json"},
    )
    assert (response.status_code, response.json()["code"]) == (401, "auth.invalid_credentials")


async def test_a_nul_in_a_multipart_field_is_422_and_stores_nothing(world: World) -> None:
    from service.store.models import ExternalClaim
    from tests.integration.test_claims_api import PDF, file_claim, officer_login

    me = await officer_login(world)
    response = await file_claim(world, me, PDF, title="培训\x00班")
    assert (response.status_code, response.json()["code"]) == (422, "request.bad_text")
    assert await ExternalClaim.all().count() == 0
