"""The yearly cleanup of qualifications (资格清理), with a fixed fixed_clock: each reason listed
once, a dry run that writes nothing, a real run that cancels through the lifecycle."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from service.clock import SHANGHAI, FixedClock
from service.store.models import OfficerEvent
from tests.integration.test_admin import admin_as, form
from tests.integration.test_annual_review_api import move_to
from tests.integration.world import World, id_number, issued_certificate


async def _patch(clocked_town: World, officer_id: object, **changes: object) -> None:
    response = await clocked_town.client.patch(
        f"/api/v1/officers/{officer_id}", json=changes, headers=clocked_town.auth("root")
    )
    assert response.status_code == 200, response.text


async def test_cleanup_lists_each_reason_once_and_cancels_the_chosen(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    certs = [
        await issued_certificate(clocked_town, exams_on="2025-01-20", id_number=id_number(seq=n))
        for n in range(41, 46)
    ]
    away, contract, moved, suspended, fine = certs
    await _patch(clocked_town, away["officer_id"], in_post=False)
    await _patch(clocked_town, contract["officer_id"], employment_type="contract")
    await _patch(clocked_town, moved["officer_id"], agency_id=clocked_town.agencies["hy_justice"])
    done = await clocked_town.client.post(
        f"/api/v1/certificates/{suspended['id']}/suspend",
        json={"reason": "涉嫌违规，待查"},
        headers=clocked_town.auth("yjs_admin"),
    )
    assert done.status_code == 200
    lapsing = await clocked_town.create_officer(name="周杰", id_number=id_number(seq=46))
    imported = await clocked_town.client.post(
        "/api/v1/certificates/import",
        files={
            "file": (
                "c.csv",
                "证号,身份证号,发证日期,有效期至,状态,执法区域,执法类别\n"
                f"新KS-2020-0046,{lapsing['id_number']},2020-05-02,2025-05-01,有效,英吉沙县,市场监管\n".encode(),
            )
        },
        headers=clocked_town.auth("yjs_admin"),
    )
    assert imported.json()["created"] == 1
    await move_to(clocked_town, fixed_clock, datetime(2025, 9, 1, 9, 0, tzinfo=SHANGHAI))

    listed = await clocked_town.client.get(
        "/api/v1/reports/cleanup", params={"year": 2025}, headers=clocked_town.auth("root")
    )
    assert listed.status_code == 200, listed.text
    reasons = {item["certificate_id"]: item["reasons"] for item in listed.json()["items"]}
    lapsed_id = next(
        i["certificate_id"] for i in listed.json()["items"] if i["number"] == "新KS-2020-0046"
    )
    assert reasons == {
        away["id"]: ["not_in_post"],
        contract["id"]: ["not_eligible"],
        moved["id"]: ["outside_area"],
        suspended["id"]: ["long_suspension"],
        lapsed_id: ["lapsed"],
    }
    assert fine["id"] not in reasons
    chosen = [*reasons, fine["id"]]
    before = await OfficerEvent.all().count()
    dry = await clocked_town.client.post(
        "/api/v1/reports/cleanup",
        json={"year": 2025, "certificate_ids": chosen, "dry_run": True},
        headers=clocked_town.auth("root"),
    )
    assert {r["outcome"] for r in dry.json()["results"]} == {"would_cancel", "not_listed"}
    assert await OfficerEvent.all().count() == before
    real = await clocked_town.client.post(
        "/api/v1/reports/cleanup",
        json={"year": 2025, "certificate_ids": chosen, "dry_run": False},
        headers=clocked_town.auth("root"),
    )
    outcomes = {r["certificate_id"]: r["outcome"] for r in real.json()["results"]}
    assert outcomes == {
        away["id"]: "cancelled",
        contract["id"]: "cancelled",
        moved["id"]: "cancelled",
        suspended["id"]: "cancelled",
        lapsed_id: "expired",
        fine["id"]: "not_listed",
    }
    cancels = await OfficerEvent.filter(action="cancel", reason__contains="资格清理").count()
    assert cancels == 4
    again = await clocked_town.client.get(
        "/api/v1/reports/cleanup", params={"year": 2025}, headers=clocked_town.auth("root")
    )
    assert again.json()["items"] == []


async def test_the_admin_form_downloads_the_cleanup_list(clocked_town: World) -> None:
    away = await issued_certificate(
        clocked_town, exams_on="2025-01-20", id_number=id_number(seq=47)
    )
    await _patch(clocked_town, away["officer_id"], in_post=False)
    async with admin_as(clocked_town, "yjs_admin") as http:
        response = await form(http, "cleanup", year=2025, dry_run=True)
    assert response.status_code == 200, response.text
    assert "cleanup-2025-dry-run.xlsx" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("证件 ID", "证号", "姓名", "单位", "状态", "清理原因", "处理结果")
    assert rows[1][1] == away["number"] and rows[1][5] == "已不在执法岗位"
    assert rows[1][6] == "拟注销（试运行）"
