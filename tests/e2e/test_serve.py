"""Real server processes: `officer-cert serve --demo` (what `make run` runs) on a fresh
data directory, and two processes sharing their login limit through Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(data_dir: Path, *args: str, **env: str) -> Iterator[str]:
    """`officer-cert serve ARGS` on a free port; yields its base URL once /health answers."""
    port = free_port()
    full_env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "PORT": str(port),
        "PASSWORD_ITERATIONS": "1000",
        "LOG_LEVEL": "warning",
        **env,
    }
    full_env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "service.cli", "serve", *args]
    process = subprocess.Popen(
        command, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited: {process.stdout.read() if process.stdout else ''}")
            if time.monotonic() > deadline:
                pytest.fail("server did not answer /health within 60 s")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_migrates_loads_demo_and_answers(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    with running_server(data_dir, "--demo") as base:
        assert httpx.get(f"{base}/health").json() == {"status": "ok", "database": "ok"}
        accounts_file = data_dir / "demo-accounts.txt"
        assert accounts_file.stat().st_mode & 0o777 == 0o600
        password = accounts_file.read_text(encoding="utf-8").splitlines()[0].rsplit(" ", 1)[1]
        login = httpx.post(
            f"{base}/api/v1/auth/token", json={"username": "yjs_admin", "password": password}
        )
        assert login.status_code == 200
        token = login.json()["access_token"]
        officers = httpx.get(
            f"{base}/api/v1/officers", headers={"Authorization": f"Bearer {token}"}
        )
        assert officers.json()["total"] > 0
        assert all(o["agency_name"].startswith("英吉沙县") for o in officers.json()["items"])
        keys = list((data_dir / "keys" / "access").glob("*.pem"))
        assert keys and all(k.stat().st_mode & 0o777 == 0o600 for k in keys)
        assert httpx.get(f"{base}/schema/openapi.json").status_code == 200


@pytest.fixture
def redis_url() -> str:
    """An empty Redis database; failing instead of skipping when REQUIRE_REDIS=1 (CI)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    except redis.RedisError as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {exc!r} (REQUIRE_REDIS=1)")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {exc!r}")
    return REDIS_URL


def test_two_processes_share_the_login_limit_through_redis(tmp_path: Path, redis_url: str) -> None:
    env = {"REDIS_URL": redis_url, "LOGIN_RATE_PER_MINUTE": "3"}
    attempt = {"username": "nobody", "password": "wrong-password"}
    with running_server(tmp_path, **env) as first, running_server(tmp_path, **env) as second:
        codes = [
            httpx.post(f"{base}/api/v1/auth/token", json=attempt).status_code
            for base in (first, second, first, second)
        ]
    assert codes == [401, 401, 401, 429]


def test_a_logout_on_one_process_refuses_the_token_on_another(tmp_path: Path) -> None:
    env = {"ADMIN_PASSWORD": "Fayuan-2026!", "SESSION_CHECK_SECONDS": "1"}
    with running_server(tmp_path, **env) as first, running_server(tmp_path, **env) as second:
        pair = httpx.post(
            f"{first}/api/v1/auth/token", json={"username": "admin", "password": "Fayuan-2026!"}
        ).json()
        bearer = {"Authorization": f"Bearer {pair['access_token']}"}
        assert httpx.get(f"{second}/api/v1/regions", headers=bearer).status_code == 200
        logout = httpx.post(
            f"{first}/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}
        )
        assert logout.status_code == 204
        assert httpx.get(f"{first}/api/v1/regions", headers=bearer).status_code == 401
        time.sleep(1.2)  # the other process trusts what it checked for SESSION_CHECK_SECONDS
        refused = httpx.get(f"{second}/api/v1/regions", headers=bearer)
        assert (refused.status_code, refused.json()["code"]) == (401, "auth.session_ended")
