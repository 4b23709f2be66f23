"""The app as a whole: its clock, its login rate limit, health without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from service.clock import FixedClock
from service.domain.access import Role
from service.usecases.accounts import create_staff_account
from service.usecases.services import Services
from tests.conftest import make_settings, serving

ATTEMPT = {"username": "a", "password": "b"}


async def test_access_token_expires_after_15_minutes_of_the_injected_clock(
    tmp_path: Path, database_url: str
) -> None:
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    settings = make_settings(tmp_path, database_url)
    async with serving(settings, clock=clock) as client:
        await create_staff_account(
            Services.build(settings), username="root", password="Fayuan-2026!", role=Role.SUPERADMIN
        )
        login = await client.post(
            "/api/v1/auth/token", json={"username": "root", "password": "Fayuan-2026!"}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        clock.advance(timedelta(minutes=14, seconds=59))
        assert (await client.get("/api/v1/regions", headers=headers)).status_code == 200
        clock.advance(timedelta(seconds=1))
        expired = await client.get("/api/v1/regions", headers=headers)
        assert expired.status_code == 401
        assert expired.json()["code"] == "auth.token_expired"


async def test_login_attempts_beyond_the_limit_get_429(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url, LOGIN_RATE_PER_MINUTE="3")
    async with serving(settings) as client:
        codes = [
            (await client.post("/api/v1/auth/token", json=ATTEMPT)).status_code for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        last = await client.post("/api/v1/auth/token", json=ATTEMPT)
        assert last.json()["code"] == "rate_limited"
        assert int(last.headers["retry-after"]) > 0


async def test_admin_login_attempts_beyond_the_limit_get_429_and_other_admin_requests_do_not_count(
    tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path, database_url, LOGIN_RATE_PER_MINUTE="3")
    async with serving(settings) as client:
        for _ in range(5):
            assert (await client.get("/admin/public/meta/")).status_code == 200
        codes = [
            (await client.post(path, json=ATTEMPT)).status_code
            for path in ("/admin/public/login/", "/admin/public//login", "/admin/public/%6cogin/")
        ]
        last = await client.post("/admin/public/login/", json=ATTEMPT)
        # (refused by the CSRF check without its token, which still counts as an attempt)
        assert 429 not in codes and last.status_code == 429, (codes, last.text)
        assert last.json()["code"] == "rate_limited"


async def test_health_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "db.sqlite3"  # SQLite cannot create it: no directory
    async with serving(make_settings(tmp_path, f"sqlite://{missing}")) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
