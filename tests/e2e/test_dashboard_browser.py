"""Real headless Chromium: a staff member logs in on /dashboard and sees the figures, the
three pygal charts drawn as images and the officers most short of hours."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.pages import wait_for_image
from tests.e2e.servers import running_server
from tests.e2e.test_checkin_browser import ROOT_PASSWORD


def test_dashboard_draws_the_charts_after_login(browser: Browser, tmp_path: Path) -> None:
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", "--demo", **env) as base:
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 1200})
        page.goto(f"{base}/dashboard")
        page.locator("#username").fill("root")
        page.locator("#password").fill(ROOT_PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.locator("#officers")).to_have_text("52")  # every demo officer is in post
        expect(page.locator("#rate")).to_contain_text("%")
        for chart in ("compliance", "months", "statuses"):
            image = page.locator(f"#chart-{chart}")
            expect(image).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
            wait_for_image(page, f"#chart-{chart}", 0)
        expect(page.locator("#short tr")).to_have_count(10)
