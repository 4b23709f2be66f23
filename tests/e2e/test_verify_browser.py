"""Real headless Chromium on a phone viewport: the public verify page, a card's QR link,
and an officer's presentation QR with its countdown; QR codes read by zbar."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, expect

from tests.e2e.pages import wait_for_image
from tests.e2e.servers import running_server
from tests.e2e.test_checkin_browser import PHONE, ROOT_PASSWORD
from tests.qr import decode_qr

OFFICER_PASSWORD = "Liangzheng-2026"


def staff_client(base: str) -> httpx.Client:
    http = httpx.Client(base_url=base, timeout=20)
    token = http.post(
        "/api/v1/auth/token", json={"username": "root", "password": ROOT_PASSWORD}
    ).json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def first(http: httpx.Client, status: str) -> dict[str, Any]:
    found = http.get("/api/v1/certificates", params={"status": status}).json()["items"]
    assert found, f"the demo data has no {status} certificate"
    item: dict[str, Any] = found[0]
    return item


def test_verify_page_on_a_phone_shows_the_status_in_words(browser: Browser, tmp_path: Path) -> None:
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", "--demo", **env) as base:
        http = staff_client(base)
        active, suspended = first(http, "active"), first(http, "suspended")
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{base}/verify")
        page.fill("#number", str(active["number"]).lower())
        page.get_by_role("button", name="查询").click()
        expect(page).to_have_url(f"{base}/verify/{active['number']}")
        expect(page.locator("#status")).to_have_text("有效")
        expect(page.locator("#name")).to_have_text(str(active["officer_name"]))
        assert "green" in (page.locator("#status").get_attribute("class") or "")

        page.goto(f"{base}/verify/{suspended['number']}")
        expect(page.locator("#status")).to_have_text("暂扣")

        png = http.get(f"/api/v1/certificates/{active['id']}/card.png").content
        page.goto(decode_qr(png, tmp_path))
        expect(page.locator("#verdict")).to_contain_text("签名有效")
        expect(page.locator("#status")).to_have_text("有效")


def test_officer_shows_a_presentation_qr_with_a_countdown(browser: Browser, tmp_path: Path) -> None:
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", "--demo", **env) as base:
        http = staff_client(base)
        active = first(http, "active")
        page = _phone_login(browser, base, http, active["officer_id"])
        expect(page.locator("#countdown")).to_have_text(re.compile(r"^4:5\d$|^5:00$"))
        wait_for_image(page, "#qr", 200)
        url = decode_qr(page.locator("#qr").screenshot(), tmp_path)
        assert url.startswith(f"{base}/v/")
        checker = browser.new_context(**PHONE).new_page()  # the citizen's phone
        checker.goto(url)
        expect(checker.locator("#verdict")).to_contain_text("亮证二维码签名有效")
        expect(checker.locator("#name")).to_have_text(str(active["officer_name"]))


def _phone_login(browser: Browser, base: str, http: httpx.Client, officer_id: object) -> Any:
    account = http.post(
        f"/api/v1/officers/{officer_id}/account", json={"password": OFFICER_PASSWORD}
    )
    assert account.status_code in (200, 201), account.text
    officer = http.get(f"/api/v1/officers/{officer_id}").json()
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/m/certificate")
    page.fill("#username", officer["id_number"])
    page.fill("#password", OFFICER_PASSWORD)
    page.get_by_role("button", name="登录").click()
    return page


def test_the_electronic_certificate_shows_photo_status_and_time_and_no_qr_when_suspended(
    browser: Browser, tmp_path: Path
) -> None:
    from tests.integration.test_photos import jpeg

    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", "--demo", **env) as base:
        http = staff_client(base)
        active, suspended = first(http, "active"), first(http, "suspended")
        put = http.put(
            f"/api/v1/officers/{active['officer_id']}/photo",
            content=jpeg(),
            headers={"Content-Type": "image/jpeg"},
        )
        assert put.status_code == 200, put.text
        page = _phone_login(browser, base, http, active["officer_id"])
        expect(page.locator("#state")).to_have_text("有效")
        expect(page.locator("#name")).to_have_text(str(active["officer_name"]))
        expect(page.locator("#number")).to_have_text(str(active["number"]))
        assert "rgb(21, 128, 61)" in page.locator("#state").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        expect(page.locator("#photo")).to_have_attribute("style", re.compile("blob:"))
        expect(page.locator("#watermark")).to_have_text(re.compile(r"\d{1,2}:\d{2}:\d{2}"))
        first_time = page.locator("#watermark").inner_text()
        page.wait_for_timeout(1500)
        assert page.locator("#watermark").inner_text() != first_time  # the time moves on
        wait_for_image(page, "#qr", 200)
        url = decode_qr(page.locator("#qr").screenshot(), tmp_path)
        checker = browser.new_context(**PHONE).new_page()  # the citizen's phone
        checker.goto(url)
        expect(checker.locator("#photo")).to_be_visible()
        assert checker.locator("#photo").evaluate("img => img.naturalWidth") == 480

        held = _phone_login(browser, base, http, suspended["officer_id"])
        expect(held.locator("#state")).to_contain_text("暂扣")
        assert "rgb(185, 28, 28)" in held.locator("#state").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        expect(held.locator("#noqr")).to_be_visible()
        expect(held.locator("#qrbox")).to_be_hidden()
