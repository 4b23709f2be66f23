"""The data exchange: API keys, the change feed and the snapshot."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.routes import HTTPRoute
from openpyxl import load_workbook
from tortoise.transactions import in_transaction

from service.domain.exchange import FIELDS, RecordKind
from service.domain.organisation import RegionLevel
from service.store.models import Account, ExchangeChange, Officer
from service.usecases import api_keys, auth, reference
from service.usecases.accounts import ensure_superuser
from service.usecases.services import Services
from tests.conftest import make_settings, serving
from tests.integration.world import World, id_number, issued_certificate


async def _key(world: World, name: str = "省平台", region: str = "650000") -> str:
    made = await api_keys.create_key(
        Services.build(world.settings), name, region, ["exchange:read"]
    )
    return made.key


def _lines(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/jsonl")
    return [json.loads(line) for line in response.text.splitlines()]


async def _feed(
    client: httpx.AsyncClient, key: str, since: str = "0", limit: int = 500
) -> tuple[list[dict[str, Any]], str, bool]:
    response = await client.get(
        "/api/v1/exchange/changes",
        params={"since": since, "limit": limit},
        headers={"Authorization": f"Bearer {key}"},
    )
    *lines, tail = _lines(response)
    return lines, tail["next_cursor"], tail["more"]


async def _read_to_the_end(
    client: httpx.AsyncClient, key: str, limit: int = 3
) -> list[dict[str, Any]]:
    seen, cursor, more = [], "0", True
    while more:
        lines, cursor, more = await _feed(client, key, cursor, limit)
        seen.extend(lines)
    return seen


async def test_feed_gives_officers_certificates_and_hours_of_the_region_only(world: World) -> None:
    key = await _key(world)
    cert = await issued_certificate(
        world, name="阿依古丽·吐地", id_number=id_number(seq=41, male=False)
    )
    await world.create_officer(
        name="王芳",
        id_number=id_number("610921", male=False),
        agency_id=world.agencies["hy_justice"],
    )
    content = (
        "身份证号,日期,类别,学时,培训名称,组织单位\n"
        f"{id_number(seq=41, male=False)},2025-05-06,公共法律知识,3.5,宪法宣传周讲座,县司法局\n"
    ).encode()
    imported = await world.client.post(
        "/api/v1/hours/import", files={"file": ("h.csv", content)}, headers=world.auth("yjs_admin")
    )
    assert imported.json()["created"] == 1
    lines = await _read_to_the_end(world.client, key)
    kinds = {(line["kind"], line["id"]) for line in lines}
    assert ("officer", cert["officer_id"]) in kinds and ("certificate", cert["id"]) in kinds
    names = {line["state"].get("name") for line in lines}
    assert "王芳" not in names  # 汉阴县 is not in 新疆
    hours = [line for line in lines if line["kind"] == "hours"]
    assert hours[-1]["year"] == 2025 and hours[-1]["state"]["public_law"] == 3.5
    certificate = next(line["state"] for line in lines if line["kind"] == "certificate")
    assert set(certificate) == set(FIELDS[RecordKind.CERTIFICATE])
    assert (certificate["status"], certificate["status_label"]) == ("active", "有效")
    assert len({line["cursor"] for line in lines}) == len(lines)

    # A suspension is a new change with the new state, after the cursor read last.
    _, cursor, _ = await _feed(world.client, key, limit=1000)
    suspended = await world.client.post(
        f"/api/v1/certificates/{cert['id']}/suspend",
        json={"reason": "未按规定亮证"},
        headers=world.auth("yjs_admin"),
    )
    assert suspended.status_code == 200
    after, _, more = await _feed(world.client, key, cursor)
    assert [(line["kind"], line["state"]["status_label"]) for line in after] == [
        ("certificate", "暂扣")
    ]
    assert more is False


async def test_feed_under_concurrent_writers_gives_every_change_exactly_once(
    world: World,
) -> None:
    """Writers commit out of order (the first to write commits last); a reader paging the
    feed meanwhile, and to the end afterwards, sees each change once."""
    key = await _key(world)
    people = [
        await world.create_officer(
            name="职员" + "甲乙丙丁戊己"[n], id_number=id_number(seq=120 + n)
        )
        for n in range(6)
    ]
    _, start, _ = await _feed(world.client, key, limit=1000)
    seen: list[dict[str, Any]] = []
    cursor = start
    first_wrote = asyncio.Event()

    async def slow_writer() -> None:
        async with in_transaction():
            await Officer.filter(id=people[0]["id"]).update(post="慢事务")
            first_wrote.set()
            await asyncio.sleep(0.6)  # the others commit meanwhile

    async def writer(n: int) -> None:
        await first_wrote.wait()
        for round_ in range(3):
            await Officer.filter(id=people[n]["id"]).update(post=f"岗位{n}-{round_}")
            await asyncio.sleep(0.02)

    async def reader() -> None:
        nonlocal cursor
        for _ in range(15):
            lines, cursor, _ = await _feed(world.client, key, cursor, limit=2)
            seen.extend(lines)
            await asyncio.sleep(0.05)

    await asyncio.gather(slow_writer(), *(writer(n) for n in range(1, 6)), reader())
    while True:
        lines, cursor, more = await _feed(world.client, key, cursor, limit=2)
        seen.extend(lines)
        if not more and not lines:
            break
    ids = [int(line["cursor"].split(".")[1]) for line in seen]
    start_id = int(start.split(".")[1]) if "." in start else 0
    written = await ExchangeChange.filter(kind="officer", id__gt=start_id).values_list(
        "id", flat=True
    )
    assert len(ids) == len(set(ids)), "a change was given twice"
    assert sorted(ids) == sorted(written), "a change was skipped"
    assert len(written) == 1 + 5 * 3


async def test_snapshot_gives_every_record_as_jsonl_and_xlsx(world: World) -> None:
    key = await _key(world)
    cert = await issued_certificate(world, name="艾尔肯·吐尔逊", id_number=id_number(seq=42))
    headers = {"Authorization": f"Bearer {key}"}
    lines = _lines(await world.client.get("/api/v1/exchange/snapshot", headers=headers))
    *records, tail = lines
    assert {(r["kind"], r["id"]) for r in records} >= {
        ("officer", cert["officer_id"]),
        ("certificate", cert["id"]),
    }
    # The feed from the snapshot's cursor gives what changed after it, and only that.
    assert (await _feed(world.client, key, tail["next_cursor"]))[0] == []
    _, end, _ = await _feed(world.client, key, limit=1000)
    assert tail["next_cursor"] == end  # the feed's own last cursor, not one past everything
    book = await world.client.get(
        "/api/v1/exchange/snapshot", params={"format": "xlsx"}, headers=headers
    )
    sheets = load_workbook(io.BytesIO(book.content), read_only=True)
    assert sheets.sheetnames == ["执法人员", "执法证", "年度学时"]
    rows = list(sheets["执法证"].iter_rows(values_only=True))
    assert rows[0][:5] == ("证件ID", "人员ID", "姓名", "身份证号", "执法证号")
    assert rows[1][4] == cert["number"]


async def test_revoked_and_unknown_keys_and_access_tokens_are_refused(world: World) -> None:
    key = await _key(world)
    services = Services.build(world.settings)
    url = "/api/v1/exchange/changes"
    assert (
        await world.client.get(url, headers={"Authorization": f"Bearer {key}"})
    ).status_code == 200
    await api_keys.revoke_key(services, "省平台")
    revoked = await world.client.get(url, headers={"Authorization": f"Bearer {key}"})
    assert (revoked.status_code, revoked.json()["code"]) == (401, "auth.api_key_revoked")
    unknown = await world.client.get(url, headers={"Authorization": f"Bearer {key[:-2]}xx"})
    assert (unknown.status_code, unknown.json()["code"]) == (401, "auth.bad_api_key")
    staff = await world.client.get(url, headers=world.auth("root"))
    assert (staff.status_code, staff.json()["code"]) == (403, "auth.wrong_kind")
    bad = await world.client.get(
        url, params={"since": "12x"}, headers={"Authorization": f"Bearer {await _key(world, 'b')}"}
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "exchange.bad_cursor")


async def test_an_api_key_reaches_no_other_endpoint(world: World) -> None:
    """Every other route answers a key as it answers no credentials at all."""
    key = await _key(world)
    app = world.client._transport.app  # type: ignore[attr-defined]
    checked = 0
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith("/api/v1/exchange"):
            continue
        path = route.path_format.replace("{", "").replace("}", "")
        for name in route.path_parameters:
            path = path.replace(name, "1")
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            anonymous = await world.client.request(method, path)
            keyed = await world.client.request(
                method, path, headers={"Authorization": f"Bearer {key}"}
            )
            assert keyed.status_code == anonymous.status_code, (method, path, keyed.text)
            assert keyed.status_code < 200 or keyed.status_code >= 300 or method == "GET", path
            checked += 1
    assert checked > 80


async def test_api_keys_are_made_unique_and_for_known_regions_and_scopes(world: World) -> None:
    services = Services.build(world.settings)
    made = await api_keys.create_key(services, "国家平台", "650000", ["exchange:read"])
    assert made.key.startswith("ock_") and made.key not in json.dumps(made.record.scopes)
    for name, region, scopes, code in (
        ("国家平台", "650000", ["exchange:read"], "api_key.duplicate_name"),
        ("x", "999999", ["exchange:read"], "api_key.bad_region"),
        ("y", "650000", ["officers:write"], "api_key.bad_scope"),
    ):
        try:
            await api_keys.create_key(services, name, region, scopes)
        except Exception as refused:
            assert getattr(refused, "code", None) == code
        else:
            raise AssertionError(code)


async def test_each_key_has_its_own_rate_limit_and_each_use_is_logged(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path / "data", database_url, EXCHANGE_RATE_PER_MINUTE="2")
    async with serving(settings) as http:
        services = Services.build(settings)
        await ensure_superuser(services)
        await reference_region(services)
        first = (await api_keys.create_key(services, "省平台", "650000", ["exchange:read"])).key
        second = (await api_keys.create_key(services, "国家平台", "650000", ["exchange:read"])).key
        with caplog.at_level(logging.INFO, logger="service.http.exchange"):
            answers = [
                (await http.get("/api/v1/exchange/changes", headers=_bearer(first))).status_code
                for _ in range(3)
            ]
        other = await http.get("/api/v1/exchange/changes", headers=_bearer(second))
    assert answers == [200, 200, 429]
    assert other.status_code == 200
    used = [r.getMessage() for r in caplog.records if r.name == "service.http.exchange"]
    assert used.count("exchange /api/v1/exchange/changes by API key '省平台'") == 2
    assert all(first not in message for message in caplog.messages)


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def reference_region(services: Services) -> None:
    root = await auth.staff_principal((await Account.get(username="admin")).id)
    await reference.create_region(
        root, reference.NewRegion("650000", "新疆维吾尔自治区", RegionLevel.PROVINCE, None)
    )
