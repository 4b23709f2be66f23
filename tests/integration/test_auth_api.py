"""Login, refresh, logout, token checks and rate limiting, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.store.models import Device, RefreshToken
from tests.integration.world import PASSWORD, World


async def test_login_returns_bearer_pair_with_15_minute_expiry(world: World) -> None:
    body = await world.login("yjs_admin")
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    header = jwt.get_unverified_header(str(body["access_token"]))
    assert header["alg"] == "EdDSA" and header["kid"]


async def test_wrong_password_and_unknown_user_are_both_401(world: World) -> None:
    for username, password in (("yjs_admin", "wrong-password"), ("nobody", PASSWORD)):
        response = await world.client.post(
            "/api/v1/auth/token", json={"username": username, "password": password}
        )
        assert response.status_code == 401
        assert response.json()["code"] == "auth.invalid_credentials"
        assert response.headers["www-authenticate"] == "Bearer"


async def test_refresh_rotates_and_the_old_refresh_token_stops_working(world: World) -> None:
    first = await world.login("yjs_admin")
    refreshed = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    listed = await world.client.get(
        "/api/v1/officers", headers={"Authorization": f"Bearer {second['access_token']}"}
    )
    assert listed.status_code == 200
    replay = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    assert replay.json()["code"] == "auth.invalid_refresh_token"


async def test_replaying_a_used_refresh_token_revokes_the_whole_login(world: World) -> None:
    first = await world.login("yjs_admin")
    second = (
        await world.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
    ).json()
    await world.client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    stolen_reuse = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert stolen_reuse.status_code == 401


async def test_logout_revokes_the_refresh_token(world: World) -> None:
    tokens = await world.login("yjs_admin")
    out = await world.client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
    )
    assert out.status_code == 204
    again = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert again.status_code == 401
    assert await RefreshToken.filter(revoked_at=None, account__username="yjs_admin").count() == 1


async def test_refresh_tokens_are_stored_only_as_hashes(world: World) -> None:
    tokens = await world.login("yjs_admin")
    raw = str(tokens["refresh_token"])
    stored = await RefreshToken.get(token_hash=hashlib.sha256(raw.encode()).hexdigest())
    assert stored.revoked_at is None
    assert not await RefreshToken.exists(token_hash=raw)


async def test_alg_none_token_is_refused(world: World) -> None:
    claims = jwt.decode(world.tokens["root"], options={"verify_signature": False})
    forged = jwt.encode(claims, key=None, algorithm="none")
    response = await world.client.get(
        "/api/v1/officers", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_token"


async def test_token_signed_with_another_key_under_the_same_kid_is_refused(world: World) -> None:
    real = world.tokens["yjs_admin"]
    claims = jwt.decode(real, options={"verify_signature": False})
    claims["role"] = "superadmin"
    claims["rp"] = None
    forged = jwt.encode(
        claims,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": jwt.get_unverified_header(real)["kid"]},
    )
    response = await world.client.get(
        "/api/v1/regions", headers={"Authorization": f"Bearer {forged}"}
    )
    assert response.status_code == 401


async def test_missing_and_malformed_authorization_are_401(world: World) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer not.a.jwt"}):
        response = await world.client.get("/api/v1/officers", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_officer_login_records_device_and_staff_account_cannot_use_it(world: World) -> None:
    officer = await world.create_officer()
    await world.give_login(officer)
    for _ in range(2):
        response = await world.mobile_login(officer["id_number"], device_id="huawei-p60-01")
        assert response.status_code == 200
    assert await Device.filter(officer_id=officer["id"]).count() == 1
    staff = await world.client.post(
        "/mobile/v1/auth/token",
        json={"username": "yjs_admin", "password": PASSWORD, "device_id": "huawei-p60-01"},
    )
    assert staff.status_code == 403
    assert staff.json()["code"] == "auth.wrong_kind"


async def test_officer_login_without_usable_device_id_is_refused(world: World) -> None:
    response = await world.client.post(
        "/mobile/v1/auth/token", json={"username": "x", "password": "y", "device_id": "a b"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "auth.bad_device_id"
