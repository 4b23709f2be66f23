"""Real headless Chromium: a phone opens the session QR's URL logged out, logs in and ends
checked in; the projector page shows the session, a QR that zbar reads off the screen,
and the count going up. QR codes are read by zbar, as a phone camera would."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from service.clock import SHANGHAI
from tests.e2e.pages import wait_for_image
from tests.e2e.servers import running_server
from tests.integration.world import id_number
from tests.qr import decode_qr

ROOT_PASSWORD = "E2e-root-pass-1"
OFFICER_PASSWORD = "Zhifa-2027"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI"
    ),
}


def prepare(base: str, tmp_path: Path) -> tuple[str, str, int]:
    """A county, its justice bureau, an officer with a login and a session under way;
    returns the QR's URL, the officer's username and the session id."""
    http = httpx.Client(base_url=base, timeout=10)
    token = http.post(
        "/api/v1/auth/token", json={"username": "root", "password": ROOT_PASSWORD}
    ).json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    for code, name, level, parent in (
        ("650000", "新疆维吾尔自治区", "province", None),
        ("653100", "喀什地区", "city", "650000"),
        ("653123", "英吉沙县", "county", "653100"),
    ):
        made = http.post(
            "/api/v1/regions",
            json={"code": code, "name": name, "level": level, "parent_code": parent},
        )
        assert made.status_code == 201, made.text
    agency = http.post(
        "/api/v1/agencies",
        json={"name": "英吉沙县司法局", "region_code": "653123", "sector": "01",
              "kind": "justice_bureau"},
    ).json()  # fmt: skip
    officer = http.post(
        "/api/v1/officers",
        json={"name": "古丽娜尔·买买提", "id_number": id_number(male=False),
              "agency_id": agency["id"], "employment_type": "civil_servant"},
    ).json()  # fmt: skip
    assert (
        http.post(
            f"/api/v1/officers/{officer['id']}/account", json={"password": OFFICER_PASSWORD}
        ).status_code
        == 201
    )
    now = datetime.now(SHANGHAI).replace(microsecond=0)
    session = http.post(
        "/api/v1/sessions",
        json={"title": "《行政复议法》解读", "category": "public_law", "credit_hours": 2,
              "starts_at": (now - timedelta(minutes=5)).isoformat(),
              "ends_at": (now + timedelta(hours=2)).isoformat(),
              "location": "司法局三楼会议室", "organiser_agency_id": agency["id"]},
    ).json()  # fmt: skip
    png = http.get(f"/api/v1/sessions/{session['id']}/qr.png").content
    return decode_qr(png, tmp_path), officer["id_number"], session["id"]


def test_phone_opens_qr_logged_out_logs_in_and_is_checked_in(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is missing: apt-get install chromium", pytrace=False)
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", **env) as base:
        url, username, session_id = prepare(base, tmp_path)
        assert url.startswith(f"{base}/m/c/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                page = browser.new_context(**PHONE).new_page()
                page.goto(url)
                expect(page.get_by_text("请先登录（账号为身份证号）")).to_be_visible()
                page.fill("#username", username)
                page.fill("#password", OFFICER_PASSWORD)
                page.get_by_role("button", name="登录").click()
                expect(page.locator("#message")).to_have_text("签到成功 ✓", timeout=15_000)
                page.goto(f"{base}/m/progress")  # the login stays on the phone
                expect(page.get_by_text("《行政复议法》解读")).to_be_visible()
            finally:
                browser.close()
        http = httpx.Client(base_url=base, timeout=10)
        token = http.post(
            "/api/v1/auth/token", json={"username": "root", "password": ROOT_PASSWORD}
        ).json()["access_token"]
        rows = http.get(
            f"/api/v1/sessions/{session_id}/attendance",
            headers={"Authorization": f"Bearer {token}"},
        ).json()["items"]
        assert [(r["method"], r["checked_in_at"] is not None) for r in rows] == [("qr", True)]


def test_projector_page_shows_the_session_its_qr_and_the_live_count(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is missing: apt-get install chromium", pytrace=False)
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", **env) as base:
        url, username, session_id = prepare(base, tmp_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                page = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
                page.goto(f"{base}/sessions/{session_id}/display")
                page.fill("#username", "root")
                page.fill("#password", ROOT_PASSWORD)
                page.get_by_role("button", name="登录").click()
                expect(page.locator("#title")).to_have_text("《行政复议法》解读")
                expect(page.locator("#count")).to_have_text("0")
                wait_for_image(page, "#qr", 500)
                shown = page.locator("#qr").screenshot()
                assert decode_qr(shown, tmp_path).startswith(f"{base}/m/c/")
                officer = httpx.post(
                    f"{base}/mobile/v1/auth/token",
                    json={"username": username, "password": OFFICER_PASSWORD,
                          "device_id": "android-5c2e81aa"},
                ).json()  # fmt: skip
                checked = httpx.post(
                    f"{base}/mobile/v1/checkins",
                    json={"token": url.rsplit("/", 1)[1], "device_id": "android-5c2e81aa"},
                    headers={"Authorization": f"Bearer {officer['access_token']}"},
                )
                assert checked.status_code == 200, checked.text
                expect(page.locator("#count")).to_have_text("1", timeout=10_000)
            finally:
                browser.close()
