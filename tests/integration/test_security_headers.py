"""Security headers (the hardening issue's finding 6): a script policy without
`unsafe-inline` on every page, no framing, no sniffing, no referrer, nothing private
stored by a cache, HSTS behind https."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from service.settings import Settings
from tests.conftest import make_settings, serving
from tests.integration.world import World


def policy_of(response: httpx.Response) -> dict[str, str]:
    header = response.headers["content-security-policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def assert_page_is_guarded(response: httpx.Response) -> dict[str, str]:
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    policy = policy_of(response)
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"]
    return policy


async def test_our_pages_run_only_the_inline_scripts_they_mark(world: World) -> None:
    for path in ("/verify", "/m/progress", "/dashboard", "/sessions/1/display"):
        page = await world.client.get(path)
        policy = assert_page_is_guarded(page)
        nonces = set(re.findall(r'<script nonce="([^"]+)"', page.text))
        scripts = re.findall(r"<script[ >]", page.text)
        assert len(nonces) <= 1 and len(scripts) == len(re.findall(r"<script nonce=", page.text))
        if nonces:
            assert f"'nonce-{nonces.pop()}'" in policy["script-src"].split()
    first, second = await world.client.get("/m/progress"), await world.client.get("/m/progress")
    assert policy_of(first)["script-src"] != policy_of(second)["script-src"]  # per request


async def test_the_admin_and_the_api_docs_cannot_be_framed(world: World) -> None:
    admin = await world.client.get("/admin/")
    assert policy_of(admin)["script-src"] == "'self'"
    assert_page_is_guarded(admin)
    docs = await world.client.get("/schema/swagger")
    policy = assert_page_is_guarded(docs)
    assert "'sha256-" in policy["script-src"]


async def test_answers_with_credentials_and_private_ones_are_never_stored(world: World) -> None:
    listed = await world.client.get("/api/v1/officers", headers=world.auth("root"))
    assert listed.headers["cache-control"] == "no-store"
    refused = await world.client.get("/api/v1/officers")
    assert (refused.status_code, refused.headers["cache-control"]) == (401, "no-store")
    assert (await world.client.get("/m/certificate")).headers["cache-control"] == "no-store"
    public = await world.client.get("/api/v1/public/status-list")
    assert public.headers["cache-control"] == "no-cache"
    assert public.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in public.headers


async def test_hsts_when_the_service_is_reached_over_https(
    tmp_path: Path, settings: Settings
) -> None:
    https = make_settings(
        tmp_path / "https", settings.database_url, PUBLIC_BASE_URL="https://sfj.example.cn"
    )
    async with serving(https) as client:
        health = await client.get("/health")
    assert health.headers["strict-transport-security"].startswith("max-age=")


async def test_answers_of_the_outermost_error_handler_carry_the_headers_too(
    tmp_path: Path, database_url: str
) -> None:
    """A 429 of a rate limiter and a 404 of no route are sent by Litestar's outermost error
    handler, past every middleware; they are guarded like the rest."""
    settings = make_settings(tmp_path, database_url, LOGIN_RATE_PER_MINUTE="1")
    async with serving(settings) as client:
        attempt = {"username": "a", "password": "b"}
        await client.post("/api/v1/auth/token", json=attempt)
        limited = await client.post("/api/v1/auth/token", json=attempt)
        missing = await client.get("/api/v1/no-such-route", headers={"Authorization": "Bearer x"})
    assert (limited.status_code, missing.status_code) == (429, 404)
    for answer in (limited, missing):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["cache-control"] == "no-store"
        assert len(answer.headers.get_list("x-content-type-options")) == 1
