"""/metrics: Prometheus's text, only to the bearer of METRICS_TOKEN, with the counters
operators watch moving as the answers they count are given."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import REGISTRY

from tests.conftest import make_settings, serving

TOKEN = "metrics-token-for-the-test"
ATTEMPT = {"username": "nobody", "password": "wrong-password"}


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_metrics_answer_only_the_token_and_count_what_operators_watch(
    tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path, database_url, METRICS_TOKEN=TOKEN, LOGIN_RATE_PER_MINUTE="2")
    refused_before = value("officer_cert_logins_refused_total", login="api")
    limited_before = value("officer_cert_rate_limited_total", limiter="login")
    route = "/api/v1/public/certificates/{number}"
    lookups_before = value("officer_cert_public_lookups_total", route=route, status="422")
    async with serving(settings) as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            refused = await client.get("/metrics", headers=headers)
            assert (refused.status_code, refused.json()["code"]) == (401, "auth.metrics_token")
        for _ in range(3):
            await client.post("/api/v1/auth/token", json=ATTEMPT)
        await client.get("/api/v1/public/certificates/6531230326000011")  # a mistyped number
        scraped = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    for name in (
        "officer_cert_requests_total",
        "officer_cert_request_duration_seconds_bucket",
        "officer_cert_checkins_total",
        "officer_cert_public_lookups_total",
        "officer_cert_logins_refused_total",
        "officer_cert_rate_limited_total",
    ):
        assert name in text, name
    assert f'path="{route}"' in text  # templates, not paths
    assert "6531230326000011" not in text
    assert value("officer_cert_logins_refused_total", login="api") == refused_before + 2
    assert value("officer_cert_rate_limited_total", limiter="login") == limited_before + 1
    assert value("officer_cert_public_lookups_total", route=route, status="422") == (
        lookups_before + 1
    )


async def test_without_a_metrics_token_there_is_no_metrics_route(
    tmp_path: Path, database_url: str
) -> None:
    async with serving(make_settings(tmp_path, database_url)) as client:
        assert (await client.get("/metrics")).status_code == 404
