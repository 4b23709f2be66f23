"""The rate limits count in one atomic step in the shared Redis: concurrent requests of
one client, some through the app and some through another host's store of the same
Redis, get exactly the limit's answers and 429 for the rest, with `Retry-After`."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from service.store.cache import build_stores
from tests.conftest import make_settings, serving


async def test_concurrent_requests_from_two_hosts_pass_the_limit_exactly(
    tmp_path: Path, database_url: str, redis_url: str
) -> None:
    settings = make_settings(
        tmp_path, database_url, REDIS_URL=redis_url, PUBLIC_RATE_PER_MINUTE="7"
    )
    other_host = build_stores(settings).registry.get("public_rate_limit")
    async with serving(settings) as client:
        here = [client.get("/api/v1/public/certificates/0000") for _ in range(12)]
        there = [other_host.hit("public:127.0.0.1", time.time(), 60, 7) for _ in range(12)]  # type: ignore[attr-defined]
        both = await asyncio.gather(*here, *there)
    answers, counted = both[:12], both[12:]
    passed_here = [answer for answer in answers if answer.status_code != 429]  # type: ignore[union-attr]
    passed_there = [count for count, _ in counted if count <= 7]  # type: ignore[misc]
    assert len(passed_here) + len(passed_there) == 7, ([a.status_code for a in answers], counted)
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["RateLimit-Remaining"] == "0"
