"""Redis refusing, hanging and coming back, under real server processes: logins answer
503 with Retry-After (never 500, never slowly), public pages keep answering from the
database, /health says "degraded", a suspension made meanwhile is saved and shows at
once on every process, and everything recovers without a restart."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.e2e.servers import Proxy, running_server
from tests.e2e.test_checkin_browser import ROOT_PASSWORD
from tests.e2e.test_verify_browser import first, staff_client

# Each request must answer well within this: Redis's client gives up after 1 s and the
# breaker skips it afterwards, so a hung Redis costs one request one second at most.
ANSWER_WITHIN = 5.0
ROOT = {"username": "root", "password": ROOT_PASSWORD}


@pytest.fixture
def redis_proxy(redis_url: str) -> Iterator[tuple[Proxy, str]]:
    parts = urlsplit(redis_url)
    proxy = Proxy((parts.hostname or "127.0.0.1", parts.port or 6379))
    try:
        yield proxy, urlunsplit(parts._replace(netloc=proxy.url_netloc))
    finally:
        proxy.close()


def get(base: str, path: str) -> httpx.Response:
    return httpx.get(f"{base}{path}", timeout=ANSWER_WITHIN)


def login(base: str) -> httpx.Response:
    return httpx.post(f"{base}/api/v1/auth/token", json=ROOT, timeout=ANSWER_WITHIN)


def eventually(check: Callable[[], bool], *, within: float = 10.0) -> None:
    """Poll `check()` until it is true (recovery takes the breaker's pause)."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not recovered within {within} s")
        time.sleep(0.2)


@pytest.mark.parametrize("fault", ["refuse", "hang"])
def test_while_redis_is_away_logins_are_refused_with_503_and_public_pages_answer(
    tmp_path: Path, redis_proxy: tuple[Proxy, str], fault: str
) -> None:
    proxy, url = redis_proxy
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD, "REDIS_URL": url}
    with running_server(tmp_path / "data", "--demo", **env) as base:
        http = staff_client(base)
        number = first(http, "active")["number"]
        assert get(base, "/health").json() == {"status": "ok", "database": "ok", "redis": "ok"}

        proxy.set_mode(fault)
        health = get(base, "/health")
        assert health.status_code == 200
        assert health.json() == {"status": "degraded", "database": "ok", "redis": "unreachable"}
        for _ in range(3):  # the first pays Redis's timeout, the others the breaker's pause
            refused = login(base)
            assert refused.status_code == 503, refused.text
            assert refused.json()["code"] == "service.unavailable"
            assert refused.headers["Retry-After"] == "5"
            public = get(base, f"/api/v1/public/certificates/{number}")
            assert (public.status_code, public.json()["status"]) == (200, "active")
            page = get(base, f"/verify/{number}")
            assert page.status_code == 200 and number in page.text
            status_list = get(base, "/api/v1/public/status-list")
            assert status_list.status_code == 200
        signed_in = http.get("/api/v1/officers", timeout=ANSWER_WITHIN)
        assert signed_in.status_code == 200  # a token already issued needs no Redis

        proxy.set_mode("up")
        eventually(lambda: login(base).status_code == 200)
        assert get(base, "/health").json()["status"] == "ok"


def test_a_suspension_while_redis_refuses_is_saved_and_no_process_shows_the_old_view(
    tmp_path: Path, redis_proxy: tuple[Proxy, str]
) -> None:
    proxy, url = redis_proxy
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD, "REDIS_URL": url}
    data = tmp_path / "data"
    with running_server(data, "--demo", **env) as one, running_server(data, **env) as two:
        http = staff_client(one)
        certificate = first(http, "active")
        number = certificate["number"]
        path = f"/api/v1/public/certificates/{number}"
        for base in (one, two):  # both processes have the view cached in Redis
            assert get(base, path).json()["status"] == "active"

        proxy.set_mode("refuse")
        suspended = http.post(
            f"/api/v1/certificates/{certificate['id']}/suspend",
            json={"reason": "停职调查", "until": "2099-12-31"},
            timeout=ANSWER_WITHIN,
        )
        assert suspended.status_code == 200, suspended.text
        assert suspended.json()["status"] == "suspended"
        for base in (one, two):  # neither reaches the cache: both read the database
            seen = get(base, path)
            assert seen.json()["status"] == "suspended", seen.text

        proxy.set_mode("up")
        # From the moment Redis answers again, neither process may show 有效.
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            for base in (two, one):
                assert get(base, path).json()["status"] == "suspended"
            time.sleep(0.1)
        record = http.get(f"/api/v1/certificates/{certificate['id']}", timeout=ANSWER_WITHIN)
        assert record.json()["status"] == "suspended"
