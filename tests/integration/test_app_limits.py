"""Limits and failures of the app as a whole: login rate limit, health without a database."""

from __future__ import annotations

from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from service.app import create_app
from tests.conftest import make_settings


async def test_login_attempts_beyond_the_limit_get_429(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, LOGIN_RATE_PER_MINUTE="3")
    app = create_app(settings)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
        ) as client,
    ):
        codes = [
            (
                await client.post("/api/v1/auth/token", json={"username": "a", "password": "b"})
            ).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        last = await client.post("/api/v1/auth/token", json={"username": "a", "password": "b"})
        assert last.json()["code"] == "rate_limited"
        assert int(last.headers["retry-after"]) > 0


async def test_health_is_503_with_a_problem_free_body_when_the_database_is_gone(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "no-such-dir" / "db.sqlite3"  # SQLite cannot create it: no directory
    settings = make_settings(tmp_path, f"sqlite://{missing}")
    app = create_app(settings)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver.local"
        ) as client,
    ):
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
