"""Real headless Chromium in Piccolo Admin: log in with a staff account, read Chinese
labels, suspend a certificate with the form, and see its new status in the list; a
refused action shows its reason in Chinese."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.servers import running_server
from tests.e2e.test_checkin_browser import ROOT_PASSWORD
from tests.e2e.test_verify_browser import first, staff_client


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/admin")
    # The admin draws its frame before it learns nobody is logged in, then shows the form.
    expect(page.get_by_text("用户名")).to_be_visible()
    expect(page.get_by_text("行政执法证件与培训学时管理").first).to_be_visible()
    page.locator("input[name=username]").fill("root")
    page.locator("input[name=password]").fill(ROOT_PASSWORD)
    page.get_by_role("button", name="登录").click()


def submit_suspend(page: Page, base: str, number: str, reason: str) -> None:
    page.goto(f"{base}/admin/#/forms/suspend/")
    expect(page.get_by_role("heading", name="暂扣证件")).to_be_visible()
    page.locator("input[name=certificate]").fill(number)
    page.locator("input[name=reason]").fill(reason)
    page.get_by_role("button", name="提交").click()


def test_admin_logs_in_in_chinese_and_suspends_a_certificate(
    browser: Browser, tmp_path: Path
) -> None:
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", "--demo", **env) as base:
        number = str(first(staff_client(base), "active")["number"])
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        log_in(page, base)
        for group in ("人员", "证件", "培训", "系统"):
            expect(page.get_by_role("link", name=group).first).to_be_visible()
        expect(page.get_by_role("link", name="暂扣证件")).to_be_visible()
        expect(page.get_by_role("link", name="导入执法人员（CSV/XLSX）")).to_be_visible()

        submit_suspend(page, base, number, "出借执法证件")
        expect(page.get_by_text(f"证件 {number} 已暂扣。")).to_be_visible()

        page.goto(f"{base}/admin/#/certificates/?number={number}")
        row = page.get_by_role("row").filter(has_text=number)
        expect(row).to_contain_text("暂扣")
        expect(page.get_by_role("columnheader", name="持证人")).to_be_visible()

        submit_suspend(page, base, number, "再次暂扣")
        expect(page.get_by_text("证件当前状态为「暂扣」，不能暂扣。")).to_be_visible()
