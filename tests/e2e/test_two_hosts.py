"""Two hosts that share nothing but PostgreSQL and Redis: two server processes, each with
its own empty DATA_DIR, the same key-encryption key, one database, one Redis. What one
host does, the other knows: cards, keys, evidence, suspensions, login limits, logouts."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import jwt

from tests.e2e.servers import server_process
from tests.e2e.test_backup import cli, file_claim, kek
from tests.e2e.test_checkin_browser import ROOT_PASSWORD
from tests.integration.test_claims_api import PDF
from tests.qr import decode_qr


def card_token(http: httpx.Client, certificate_id: int, tmp_path: Path) -> str:
    png = http.get(f"/api/v1/certificates/{certificate_id}/qr.png")
    assert png.status_code == 200, png.text
    return decode_qr(png.content, tmp_path).rsplit("/", 1)[1]


def kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


def staff(base: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=20, headers={"Authorization": f"Bearer {token}"})


def test_two_hosts_on_one_database_and_redis_act_as_one_service(
    tmp_path: Path, empty_postgres: tuple[str, str], redis_url: str
) -> None:
    _, database_url = empty_postgres
    shared = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "KEY_ENCRYPTION_KEY": kek(),
        "ADMIN_USERNAME": "root",
        "ADMIN_PASSWORD": ROOT_PASSWORD,
        "LOGIN_RATE_PER_MINUTE": "4",
    }
    with (
        server_process(tmp_path / "host-a", "--demo", **shared) as a,
        server_process(tmp_path / "host-b", **shared) as b,
    ):
        root = httpx.post(
            f"{a.base}/api/v1/auth/token", json={"username": "root", "password": ROOT_PASSWORD}
        ).json()
        on_a, on_b = staff(a.base, root["access_token"]), staff(b.base, root["access_token"])

        # A card printed by A verifies on B; both publish the same keys.
        active = on_a.get("/api/v1/certificates", params={"status": "active"}).json()["items"]
        certificate = active[0]
        printed_on_a = card_token(on_a, certificate["id"], tmp_path)
        verdict = httpx.get(f"{b.base}/api/v1/public/credentials/{printed_on_a}").json()
        assert (
            verdict["genuine"] is True and verdict["certificate"]["number"] == certificate["number"]
        )
        jwks = httpx.get(f"{a.base}/.well-known/jwks.json").json()
        assert httpx.get(f"{b.base}/.well-known/jwks.json").json() == jwks

        # `keys rotate` against A's database: B signs with the new key within a minute.
        rotated = cli(tmp_path / "host-a", shared, "keys", "rotate", "--ring", "cards")
        assert rotated.returncode == 0, rotated.stdout + rotated.stderr
        new_kid = rotated.stdout.split("New cards key ", 1)[1].split(":", 1)[0].strip()
        deadline = time.monotonic() + 60
        while kid(printed_on_b := card_token(on_b, certificate["id"], tmp_path)) != new_kid:
            assert time.monotonic() < deadline, "B did not sign with the rotated key in a minute"
            time.sleep(2)
        for host in (a, b):  # the new card verifies on both, and so does the old one
            for token in (printed_on_a, printed_on_b):
                got = httpx.get(f"{host.base}/api/v1/public/credentials/{token}").json()
                assert got["genuine"] is True

        # Evidence filed on A downloads on B.
        claim = file_claim(a.base, tmp_path / "host-a")
        download = on_b.get(f"/api/v1/external-training/{claim['id']}/evidence")
        assert (download.status_code, download.content) == (200, PDF)

        # A suspension through A shows on B's public page at once (the cache is shared,
        # and so is its invalidation).
        page = f"{b.base}/verify/{certificate['number']}"
        before = httpx.get(page).text
        assert "有效" in before and "暂扣" not in before
        suspended = on_a.post(
            f"/api/v1/certificates/{certificate['id']}/suspend",
            json={"reason": "涉嫌违规执法，调查期间"},
        )
        assert suspended.status_code == 200, suspended.text
        assert "暂扣" in httpx.get(page).text

        # The login limits count attempts on both hosts (as one client behind the proxy).
        for path, body in (
            ("/api/v1/auth/token", {"username": "nobody", "password": "wrong-password"}),
            ("/admin/public/login/", {"username": "nobody", "password": "wrong-password"}),
        ):
            client = {"X-Forwarded-For": f"203.0.113.{len(path)}"}
            codes = [
                httpx.post(f"{host.base}{path}", json=body, headers=client).status_code
                for host in (a, b, a, b, a)
            ]
            assert 429 not in codes[:4] and codes[4] == 429, (path, codes)

        # A logout on A refuses the old access token on B (within SESSION_CHECK_SECONDS).
        assert on_b.get("/api/v1/regions").status_code == 200
        logout = httpx.post(
            f"{a.base}/api/v1/auth/logout", json={"refresh_token": root["refresh_token"]}
        )
        assert logout.status_code == 204
        deadline = time.monotonic() + 10
        while (refused := on_b.get("/api/v1/regions")).status_code == 200:
            assert time.monotonic() < deadline, "B still honours a token logged out on A"
            time.sleep(0.5)
        assert (refused.status_code, refused.json()["code"]) == (401, "auth.session_ended")

    for host in ("host-a", "host-b"):  # nothing of the service's state on either disk
        left = {p.name for p in (tmp_path / host).iterdir()}
        assert left <= {"demo-accounts.txt"}, left
