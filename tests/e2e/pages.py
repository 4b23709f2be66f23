"""Waiting on what a page shows, without evaluating strings in the page: our pages'
Content-Security-Policy has no 'unsafe-eval', so Playwright's `wait_for_function`
polling with a string is refused. Element handles are read through the driver instead."""

from __future__ import annotations

import time

from playwright.sync_api import Page


def wait_for_image(page: Page, selector: str, wider_than: int, timeout: float = 10.0) -> None:
    """Until the image at `selector` has loaded a picture more than `wider_than` pixels wide."""
    image = page.locator(selector)
    deadline = time.monotonic() + timeout
    while True:
        width = image.evaluate("element => element.naturalWidth")
        if width > wider_than:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector} is {width} px wide after {timeout} s")
        time.sleep(0.1)
