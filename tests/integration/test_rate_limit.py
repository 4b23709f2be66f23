"""Login attempts are rate-limited per client address."""

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
