"""An empty Redis database, and the system's Chromium, headless, for the browser tests
(no browser is downloaded).

Every page a browser test opens is watched for Content-Security-Policy refusals: a page
whose script or image the policy blocks fails the test that opened it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    expect,
    sync_playwright,
)

REDIS_SERVER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")

# A page's waits are for its behaviour, not its speed: with every core running tests at
# once, a login (a slow password hash by design) and a fetch can take longer than
# Playwright's 5 s default.
expect.set_options(timeout=20_000)


def worker_database() -> str:
    """A Redis database of this xdist worker's own (15, 14, ... 8): tests of two workers
    running at once neither share rate-limit counters nor flush each other's keys."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    server = urlsplit(REDIS_SERVER)._replace(path="").geturl()  # the server, not a database
    return f"{server}/{15 - worker % 8}"


@pytest.fixture
def redis_url() -> str:
    """An empty Redis database; failing instead of skipping when REQUIRE_REDIS=1 (CI)."""
    url = worker_database()
    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except redis.RedisError as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis at {url} is not reachable: {exc!r} (REQUIRE_REDIS=1)")
        pytest.skip(f"Redis at {url} is not reachable: {exc!r}")
    return url


@pytest.fixture
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is missing: apt-get install chromium", pytrace=False)
    refused: list[str] = []

    def watched(context: BrowserContext) -> BrowserContext:
        def seen(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                refused.append(message.text)

        context.on("console", seen)
        return context

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        new_context = launched.new_context

        def new_watched_context(*args: Any, **kwargs: Any) -> BrowserContext:
            return watched(new_context(*args, **kwargs))

        def new_watched_page(*args: Any, **kwargs: Any) -> Any:
            return new_watched_context(*args, **kwargs).new_page()

        launched.new_context = new_watched_context  # type: ignore[method-assign]
        launched.new_page = new_watched_page  # type: ignore[method-assign]
        try:
            yield launched
        finally:
            launched.close()
    assert refused == [], f"the Content-Security-Policy refused: {refused}"
