"""The public roster in a real headless Chromium on a phone: pick a region, then an
agency; only holders with their public fields, and a search by name."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.servers import running_server
from tests.e2e.test_checkin_browser import PHONE, ROOT_PASSWORD
from tests.e2e.test_verify_browser import staff_client


def test_roster_shows_an_agencys_holders_and_nothing_private(
    browser: Browser, tmp_path: Path
) -> None:
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", "--demo", **env) as base:
        http = staff_client(base)
        market = next(
            a for a in http.get("/api/v1/agencies").json()["items"]
            if a["name"] == "英吉沙县市场监督管理局"
        )  # fmt: skip
        held = http.get(
            "/api/v1/certificates", params={"agency_id": market["id"], "page_size": 200}
        ).json()["items"]
        live = {c["officer_name"] for c in held if c["status"] in ("active", "suspended")}
        ended = {c["officer_name"] for c in held if c["status"] not in ("active", "suspended")}
        officers = http.get("/api/v1/officers", params={"agency_id": market["id"]}).json()
        id_numbers = [o["id_number"] for o in officers["items"]]

        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{base}/roster")
        page.select_option("#region_code", "653123")
        page.get_by_role("button", name="查看单位").click()
        page.get_by_role("link", name="英吉沙县市场监督管理局").click()
        expect(page.locator("#agency")).to_have_text("英吉沙县市场监督管理局")
        names = page.locator("#holders .name").all_inner_texts()
        assert set(names) == live and not set(names) & (ended - live)
        text = page.content()
        assert not any(number in text for number in id_numbers)

        first = sorted(live)[0]
        page.fill("#q", first[:2])
        page.get_by_role("button", name="查找").click()
        expect(page.locator("#holders .name").first).to_contain_text(first[:2])
