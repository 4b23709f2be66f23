"""Limits and failures of the app as a whole: login rate limit, health without a database."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_settings, serving


async def test_login_attempts_beyond_the_limit_get_429(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, LOGIN_RATE_PER_MINUTE="3")
    async with serving(settings) as client:
        attempt = {"username": "a", "password": "b"}
        codes = [
            (await client.post("/api/v1/auth/token", json=attempt)).status_code for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        last = await client.post("/api/v1/auth/token", json=attempt)
        assert last.json()["code"] == "rate_limited"
        assert int(last.headers["retry-after"]) > 0


async def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "db.sqlite3"  # SQLite cannot create it: no directory
    async with serving(make_settings(tmp_path, f"sqlite://{missing}")) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
