"""The API docs on a network with no internet (a bureau's intranet): /schema renders from
what the service itself serves, in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Route, expect

from tests.e2e.servers import running_server


def test_api_docs_render_with_no_internet_and_list_the_operations(
    browser: Browser, tmp_path: Path
) -> None:
    with running_server(tmp_path / "data") as base:
        context = browser.new_context()
        outside: list[str] = []

        def intranet(route: Route) -> None:
            # Everything but the service is out of reach, as on a network with no internet
            # (the context's own `offline` would cut the service off too).
            if route.request.url.startswith(base + "/"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort("internetdisconnected")

        context.route("**/*", intranet)
        page = context.new_page()
        page.goto(f"{base}/schema")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("行政执法证件与培训学时")
        operations = page.locator(".opblock-summary-path")
        expect(operations.first).to_be_visible()
        paths = operations.all_inner_texts()
        assert "/api/v1/public/certificates/{number}" in [p.replace("\u200b", "") for p in paths]
        assert len(paths) > 50
        assert outside == [], f"the docs reached outside the service: {outside}"
        context.close()
