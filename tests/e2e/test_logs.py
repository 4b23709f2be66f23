"""What a real server logs, as JSON lines, through a run that touches every kind of
secret: logins (good and bad passwords), tokens (access, refresh, session QR, card QR),
ID numbers (as usernames, in a search, in a refused body, in a path). No log line holds
any of them, and every line carries its request's id."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from service.clock import SHANGHAI
from tests.e2e.servers import server_process
from tests.e2e.test_checkin_browser import ROOT_PASSWORD
from tests.qr import decode_qr

WRONG_PASSWORD = "Not-The-Password-77"


def demo_password(data_dir: Path) -> str:
    first = (data_dir / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()[0]
    return first.rsplit(": ", 1)[1]


def test_a_json_log_of_a_busy_run_holds_no_password_token_or_id_number(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {
        "ADMIN_USERNAME": "root",
        "ADMIN_PASSWORD": ROOT_PASSWORD,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "debug",
        "LOGIN_RATE_PER_MINUTE": "8",
    }
    secrets: list[str] = [ROOT_PASSWORD, WRONG_PASSWORD]
    with server_process(data_dir, "--demo", apart=True, **env) as server:
        assert not server.process.poll()
        http = httpx.Client(base_url=server.base, timeout=20)
        secrets.append(demo_password(data_dir))
        staff = http.post(
            "/api/v1/auth/token", json={"username": "root", "password": ROOT_PASSWORD}
        )
        pair = staff.json()
        secrets += [pair["access_token"], pair["refresh_token"]]
        bearer = {"Authorization": f"Bearer {pair['access_token']}"}
        http.post("/api/v1/auth/token", json={"username": "root", "password": WRONG_PASSWORD})

        officers = http.get("/api/v1/officers", headers=bearer, params={"page_size": 5}).json()
        id_numbers = [o["id_number"] for o in officers["items"]]
        secrets += id_numbers
        http.get("/api/v1/officers", headers=bearer, params={"q": id_numbers[0]})
        http.post(
            "/api/v1/officers", headers=bearer, json={"name": "某", "id_number": id_numbers[1]}
        )
        http.get(f"/api/v1/nothing-here/{id_numbers[2]}", headers=bearer)
        officer = http.post(
            "/mobile/v1/auth/token",
            json={"username": "653123197508270112", "password": demo_password(data_dir),
                  "device_id": "iphone-logtest"},
        ).json()  # fmt: skip
        secrets += ["653123197508270112", officer["access_token"], officer["refresh_token"]]

        active = http.get("/api/v1/certificates", headers=bearer, params={"status": "active"})
        certificate: dict[str, Any] = active.json()["items"][0]
        card = http.get(f"/api/v1/certificates/{certificate['id']}/qr.png", headers=bearer)
        card_token = decode_qr(card.content, tmp_path).rsplit("/", 1)[1]
        secrets.append(card_token)
        assert http.get(f"/v/{card_token}").status_code == 200
        http.get(f"/verify/{certificate['number']}")

        now = datetime.now(SHANGHAI).replace(microsecond=0)
        session = http.post(
            "/api/v1/sessions",
            headers=bearer,
            json={"title": "日志测试培训", "category": "public_law", "credit_hours": 2,
                  "starts_at": (now - timedelta(minutes=5)).isoformat(),
                  "ends_at": (now + timedelta(hours=2)).isoformat(),
                  "organiser_agency_id": certificate["agency_id"]},
        ).json()  # fmt: skip
        qr = http.get(f"/api/v1/sessions/{session['id']}/qr.png", headers=bearer)
        qr_token = decode_qr(qr.content, tmp_path).rsplit("/", 1)[1]
        secrets.append(qr_token)
        http.post(
            "/mobile/v1/checkins",
            headers={"Authorization": f"Bearer {officer['access_token']}"},
            json={"token": qr_token, "device_id": "iphone-logtest"},
        )
        for _ in range(8):  # past the login limit: the 429s are logged too
            http.post("/api/v1/auth/token", json={"username": id_numbers[3], "password": "x"})
        traced = http.get("/health", headers={"X-Request-ID": "lb-trace-4711"})
        assert traced.headers["x-request-id"] == "lb-trace-4711"
        http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        http.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert server.stderr_path is not None
    logged = server.stderr_path.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in logged.splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "officer_cert.access"]
    assert len(requests) >= 25
    assert all(line["request_id"] not in ("", "-") for line in requests)
    assert {"route": "/verify/{number}", "status": 200} in [
        {"route": line["route"], "status": line["status"]} for line in requests
    ]
    assert 429 in {line["status"] for line in requests}
    assert "lb-trace-4711" in {line["request_id"] for line in requests}
    for secret in secrets:
        assert secret not in logged, f"a log line holds {secret[:12]}..."
    # The console (stdout) has the banner; `serve --demo` lists the demo accounts there
    # (their usernames and shared password), and nothing else that is secret.
    printed = server.log_path.read_text(encoding="utf-8")
    demo = {secrets[2], *id_numbers, "653123197508270112"}
    for secret in set(secrets) - demo:
        assert secret not in printed, f"the console printed {secret[:12]}..."
