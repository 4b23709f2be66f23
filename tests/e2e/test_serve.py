"""Real server processes: `officer-cert serve --demo` (what `make run` runs) on a fresh
data directory, and two processes sharing their login limit through Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.servers import running_server


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
        assert not (data_dir / "keys").exists()  # the signing keys are in the database
        kek = data_dir / "key-encryption.key"  # which they are sealed with, apart from it
        assert kek.stat().st_mode & 0o777 == 0o600
        assert httpx.get(f"{base}/schema/openapi.json").status_code == 200


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


def test_serve_without_its_database_says_so_per_try_and_exits_1(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/officer_cert",  # discard: nobody
        "DATABASE_WAIT_SECONDS": "3",
    }
    ended = subprocess.run(
        [sys.executable, "-m", "service.cli", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ended.returncode == 1
    tries = [line for line in ended.stdout.splitlines() if "trying again" in line]
    assert len(tries) >= 1
    assert all("127.0.0.1:9/officer_cert does not answer" in line for line in tries)
    assert "gave up after 3 s" in ended.stderr
    assert "postgres@" not in ended.stdout + ended.stderr  # no credentials in what it prints
