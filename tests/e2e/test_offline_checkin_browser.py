"""Check-in in a room with no signal, in real headless Chromium: three officers' phones
show their personal codes (/m/code); the organiser's phone goes offline, reads the three
codes from screenshots of those pages (jsQR in the page), keeps them in IndexedDB (the
page reloads from its service worker), and uploads them when the network is back; the
first upload's answer is lost on the way, the retry records nothing twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Route, expect

from tests.e2e.pages import wait_for_image
from tests.e2e.servers import running_server
from tests.e2e.test_checkin_browser import OFFICER_PASSWORD, PHONE, ROOT_PASSWORD, prepare
from tests.integration.world import id_number


def _officer(http: httpx.Client, agency_id: int, seq: int, name: str) -> str:
    number = id_number(seq=seq)
    made = http.post(
        "/api/v1/officers",
        json={"name": name, "id_number": number, "agency_id": agency_id,
              "employment_type": "civil_servant"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    login = http.post(
        f"/api/v1/officers/{made.json()['id']}/account", json={"password": OFFICER_PASSWORD}
    )
    assert login.status_code == 201, login.text
    return number


def _code_screenshot(browser: Browser, base: str, username: str, path: Path) -> Path:
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/m/code")
    page.fill("#username", username)
    page.fill("#password", OFFICER_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#box")).to_be_visible()
    wait_for_image(page, "#code", 150)
    page.locator("#code").screenshot(path=str(path))
    return path


def test_three_codes_scanned_offline_are_uploaded_once_when_the_network_returns(
    browser: Browser, tmp_path: Path
) -> None:
    env = {"ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}
    with running_server(tmp_path / "data", **env) as base:
        _, first, session_id = prepare(base, tmp_path)
        http = httpx.Client(base_url=base, timeout=10)
        token = http.post(
            "/api/v1/auth/token", json={"username": "root", "password": ROOT_PASSWORD}
        ).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        agency_id = http.get("/api/v1/agencies").json()["items"][0]["id"]
        people = [
            first,
            _officer(http, agency_id, 31, "艾合买提·吐尔逊"),
            _officer(http, agency_id, 32, "李建国"),
        ]
        shots = [
            _code_screenshot(browser, base, who, tmp_path / f"code-{n}.png")
            for n, who in enumerate(people)
        ]

        context = browser.new_context(**PHONE)
        organiser = context.new_page()
        organiser.goto(f"{base}/scan/{session_id}")
        organiser.fill("#username", "root")
        organiser.fill("#password", ROOT_PASSWORD)
        organiser.get_by_role("button", name="登录").click()
        expect(organiser.locator("#screen")).to_be_visible()
        organiser.wait_for_function("navigator.serviceWorker.controller !== null")
        organiser.wait_for_timeout(500)  # the worker keeps the page

        context.set_offline(True)
        organiser.reload()  # with no network: the page comes from its service worker
        expect(organiser.locator("#screen")).to_be_visible()
        for shot, name in zip(shots, ("古丽娜尔·买买提", "艾合买提·吐尔逊", "李建国"), strict=True):
            organiser.set_input_files("#file", str(shot))
            expect(organiser.locator("#last")).to_have_text(f"{name} ✓")
        organiser.set_input_files("#file", str(shots[1]))  # the same officer again
        expect(organiser.locator("#last")).to_have_text("艾合买提·吐尔逊 已扫过")
        expect(organiser.locator("#count")).to_have_text("3")
        expect(organiser.locator("#pending")).to_have_text("3")
        assert http.get(f"/api/v1/sessions/{session_id}/attendance").json()["items"] == []

        uploads: list[int] = []

        def lose_the_first_answer(route: Route) -> Any:
            uploads.append(len(uploads))
            if len(uploads) == 1:
                route.fetch()  # the service records the scans...
                return route.abort("connectionreset")  # ...and the answer never arrives
            return route.continue_()

        organiser.route("**/api/v1/sessions/*/scans", lose_the_first_answer)
        context.set_offline(False)
        expect(organiser.locator("#pending")).to_have_text("0", timeout=20_000)
        assert len(uploads) >= 2
        rows = http.get(f"/api/v1/sessions/{session_id}/attendance").json()["items"]
        assert len(rows) == 3
        assert all(r["flags"] == ["offline_sync"] and r["checked_in_at"] for r in rows)
