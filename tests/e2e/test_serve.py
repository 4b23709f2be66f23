"""`officer-cert serve --demo` (what `make run` runs) on a fresh data directory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "var"),
        "PORT": str(port),
        "PASSWORD_ITERATIONS": "1000",
        "LOG_LEVEL": "warning",
    }
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "service.cli", "serve", "--demo"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"server exited: {process.stdout.read() if process.stdout else ''}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail("server did not answer /health within 60 s")
        yield base, tmp_path / "var", process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_migrates_loads_demo_and_answers(
    server: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, data_dir, _ = server
    assert httpx.get(f"{base}/health").json() == {"status": "ok", "database": "ok"}
    accounts = (data_dir / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()
    assert (data_dir / "demo-accounts.txt").stat().st_mode & 0o777 == 0o600
    password = accounts[0].rsplit(" ", 1)[1]
    login = httpx.post(
        f"{base}/api/v1/auth/token", json={"username": "yjs_admin", "password": password}
    )
    assert login.status_code == 200
    token = login.json()["access_token"]
    officers = httpx.get(f"{base}/api/v1/officers", headers={"Authorization": f"Bearer {token}"})
    assert officers.json()["total"] > 0
    assert all(o["agency_name"].startswith("英吉沙县") for o in officers.json()["items"])
    keys = list((data_dir / "keys" / "access").glob("*.pem"))
    assert keys and all(k.stat().st_mode & 0o777 == 0o600 for k in keys)
    assert httpx.get(f"{base}/schema/openapi.json").status_code == 200
