"""The annual report (行政执法工作年度报告): a year of lifecycle, training, review and
feedback in two counties, reported per agency and in total; the totals are the sums of
the rows in JSON and in every XLSX sheet, and the PDF reads back with pdftotext."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from service.clock import SHANGHAI, FixedClock
from service.domain.hours import HourCategory
from service.domain.training import AttendanceMethod, SessionStatus
from service.store.models import Attendance, TrainingSession
from service.usecases.annual_report import COUNTS
from tests.integration.test_admin import admin_as, form
from tests.integration.test_annual_review_api import move_to
from tests.integration.world import World, credit, id_number, issued_certificate

REVIEW_TIME = datetime(2026, 4, 8, 9, 30, tzinfo=SHANGHAI)
URL = "/api/v1/reports/annual"


async def _post(world: World, url: str, body: dict[str, Any], who: str = "yjs_admin") -> Any:
    response = await world.client.post(url, json=body, headers=world.auth(who))
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _feedback(world: World, number: object, kind: str) -> str:
    token = await world.client.get(f"/api/v1/public/certificates/{number}/feedback-form")
    body = {"kind": kind, "text": "执法过程规范，耐心解释政策。"}
    sent = await world.client.post(
        f"/api/v1/public/certificates/{number}/feedback",
        json={**body, "form_token": token.json()["form_token"]},
    )
    assert sent.status_code == 201, sent.text
    return str(sent.json()["reference"])


async def _session(
    world: World, starts: datetime, status: SessionStatus, *attendees: object
) -> None:
    session = await TrainingSession.create(
        title="《行政处罚法》专题培训",
        category=HourCategory.PUBLIC_LAW,
        credit_tenths=35,
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        organiser_agency_id=world.agencies["yjs_justice"],
        status=status,
    )
    for officer_id in attendees:
        await Attendance.create(
            session=session,
            officer_id=officer_id,
            method=AttendanceMethod.MANUAL,
            checked_in_at=starts,
            checked_out_at=starts + timedelta(hours=4),
            credited_tenths=35,
        )


async def _a_year(world: World, clock: FixedClock) -> dict[str, Any]:
    """2025 in 英吉沙县 and 汉阴县, then the 2025 annual review run in April 2026."""
    market = [
        await issued_certificate(world, exams_on="2025-01-20", id_number=id_number(seq=n))
        for n in (61, 62, 63)
    ]
    kept, suspended, revoked = market
    await world.create_officer(name="赵敏", id_number=id_number(seq=64, male=False))
    justice = await issued_certificate(
        world, exams_on="2025-01-20", id_number=id_number(seq=65),
        agency_id=world.agencies["yjs_justice"],
    )  # fmt: skip
    await world.create_officer(
        name="钱进", id_number=id_number(seq=66), agency_id=world.agencies["hy_justice"]
    )
    await credit(kept["officer_id"], HourCategory.PUBLIC_LAW, 200, 2025)
    await credit(kept["officer_id"], HourCategory.PROFESSIONAL, 400, 2025)
    await credit(suspended["officer_id"], HourCategory.PUBLIC_LAW, 50, 2025)
    await credit(kept["officer_id"], HourCategory.PUBLIC_LAW, 70, 2024)  # another year
    cert = "/api/v1/certificates"
    await _post(world, f"{cert}/{suspended['id']}/suspend", {"reason": "涉嫌违规执法，待查"})
    await _post(world, f"{cert}/{revoked['id']}/revoke", {"reason": "以暴力手段执法"})
    new = await _post(world, f"{cert}/{kept['id']}/reissue", {"reason": "证件遗失"})
    reference = await _feedback(world, new["number"], "complaint")
    await _feedback(world, new["number"], "praise")
    listed = await world.client.get("/api/v1/feedback", headers=world.auth("yjs_admin"))
    [item] = [i for i in listed.json()["items"] if i["reference"] == reference]
    await _post(world, f"/api/v1/feedback/{item['id']}/resolve", {"outcome": "已核实并约谈"})
    plan = {"items": [{"category": "public_law", "sessions": 4, "hours": 12}]}
    made = await world.client.put(
        f"/api/v1/agencies/{world.agencies['yjs_justice']}/training-plan/2025",
        json=plan,
        headers=world.auth("yjs_admin"),
    )
    assert made.status_code == 200, made.text
    march = datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI)
    await _session(world, march, SessionStatus.CLOSED, kept["officer_id"], justice["officer_id"])
    await _session(world, march, SessionStatus.CANCELLED, kept["officer_id"])
    await move_to(world, clock, REVIEW_TIME)
    review = await _post(world, "/api/v1/annual-reviews", {"year": 2025, "region_code": "653123"})
    return {"review": review, "justice": justice, "kept": kept}


def _by_name(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["agency_name"]: row for row in body["agencies"]}


def _sums_hold(body: dict[str, Any]) -> None:
    total = body["total"]
    for name in COUNTS:
        assert total[name] == sum(row[name] for row in body["agencies"]), name
    for key, hours in total["hours"].items():
        assert hours == pytest.approx(sum(row["hours"][key] for row in body["agencies"])), key


async def test_a_year_is_reported_per_agency_with_totals_that_are_the_sums(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    world = clocked_town
    year = await _a_year(world, fixed_clock)
    response = await world.client.get(URL, params={"year": 2025}, headers=world.auth("root"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["scope_name"], body["as_of"]) == ("全部辖区", "2025-12-31")
    _sums_hold(body)
    rows = _by_name(body)
    assert set(rows) == {"英吉沙县司法局", "英吉沙县市场监督管理局", "汉阴县司法局"}
    market = rows["英吉沙县市场监督管理局"]
    expected = {
        "officers_in_post": 4, "holders": 2, "trained": 2, "compliant": 1, "issued": 3,
        "suspended": 1, "revoked": 1, "reissued": 1, "cancelled": 0,
        "complaints_received": 1, "complaints_resolved": 1, "praise_received": 1,
        "sessions_held": 0, "attendances": 0,
    }  # fmt: skip
    assert {k: market[k] for k in expected} == expected
    assert market["coverage_rate"] == pytest.approx(0.5)
    assert market["hours"] == {"public_law": 25.0, "professional": 40.0, "political": 0.0,
                               "total": 65.0}  # fmt: skip
    justice = rows["英吉沙县司法局"]
    assert (justice["officers_in_post"], justice["holders"], justice["issued"]) == (1, 1, 1)
    # The session cancelled is not held; attendances count whoever came, by organiser.
    assert (justice["sessions_held"], justice["attendances"]) == (1, 2)
    assert justice["plan"][0] == {
        "category": "public_law", "category_label": "公共法律知识", "planned_sessions": 4,
        "planned_hours": 12.0, "held_sessions": 1, "held_hours": 3.5,
    }  # fmt: skip
    # The review of 2025 ran in 2026: its results count for 2025, the suspensions it made
    # for 2026.
    review = year["review"]
    total = body["total"]
    assert (total["review_passed"], total["review_failed"]) == (review["passed"], review["failed"])
    assert justice["review_failed"] == 1 and justice["suspended"] == 0
    assert rows["汉阴县司法局"]["officers_in_post"] == 1
    running = await world.client.get(URL, params={"year": 2026}, headers=world.auth("root"))
    now = _by_name(running.json())
    assert running.json()["as_of"] == "2026-04-08"
    assert now["英吉沙县司法局"]["suspended"] == 1 and now["英吉沙县司法局"]["issued"] == 0
    _sums_hold(running.json())


async def test_the_report_keeps_to_the_jurisdiction_and_refuses_bad_requests(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    world = clocked_town
    await _a_year(world, fixed_clock)
    county = await world.client.get(
        URL, params={"year": 2025, "region_code": "653123"}, headers=world.auth("root")
    )
    assert county.json()["scope_name"] == "英吉沙县"
    assert set(_by_name(county.json())) == {"英吉沙县司法局", "英吉沙县市场监督管理局"}
    own = await world.client.get(URL, params={"year": 2025}, headers=world.auth("hy_admin"))
    assert (own.json()["scope_name"], list(_by_name(own.json()))) == ("汉阴县", ["汉阴县司法局"])
    agency = await world.client.get(URL, params={"year": 2025}, headers=world.auth("market_admin"))
    assert list(_by_name(agency.json())) == ["英吉沙县市场监督管理局"]
    assert agency.json()["total"]["officers_in_post"] == 4
    for who, params, status, code in (
        ("hy_admin", {"year": 2025, "region_code": "653123"}, 422, "report.bad_region"),
        ("root", {"year": 2027}, 422, "report.bad_year"),  # the clock is in 2026
        ("root", {"year": 2025, "format": "docx"}, 400, None),
    ):
        refused = await world.client.get(URL, params=params, headers=world.auth(who))
        assert refused.status_code == status, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        if code:
            assert refused.json()["code"] == code
    anonymous = await world.client.get(URL, params={"year": 2025})
    assert anonymous.status_code == 401


async def test_every_sheet_of_the_xlsx_ends_with_the_sums_of_its_rows(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    world = clocked_town
    await _a_year(world, fixed_clock)
    params = {"year": 2025, "region_code": "653123"}
    body = (await world.client.get(URL, params=params, headers=world.auth("root"))).json()
    response = await world.client.get(
        URL, params={**params, "format": "xlsx"}, headers=world.auth("root")
    )
    assert response.status_code == 200, response.text
    assert "annual-report-2025-653123.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == [
        "人员与培训",
        "学时",
        "证件与年审",
        "投诉与表扬",
        "培训计划执行",
        "说明",
    ]
    for title in book.sheetnames[:-1]:
        header, *rows, total = list(book[title].iter_rows(values_only=True))
        assert total[0] == "合计"
        summed = 0
        for column, name in enumerate(header):
            if not isinstance(total[column], int | float) or "率" in str(name):
                continue
            assert total[column] == pytest.approx(sum(row[column] or 0 for row in rows)), name
            summed += 1
        assert summed >= 3, title
    people = list(book["人员与培训"].iter_rows(values_only=True))
    assert people[-1][1:3] == (body["total"]["officers_in_post"], body["total"]["holders"])
    plan = list(book["培训计划执行"].iter_rows(values_only=True))
    assert plan[1] == ("英吉沙县司法局", "公共法律知识", 4, 1, 12.0, 3.5)


async def test_the_pdf_is_a4_chinese_with_the_region_and_the_totals(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    world = clocked_town
    await _a_year(world, fixed_clock)
    marked = "英吉沙县<b>综合</b>执法局&队"  # markup to reportlab's paragraphs: shown as text
    made = await world.client.post(
        "/api/v1/agencies",
        json={"name": marked, "region_code": "653123", "sector": "09", "kind": "department"},
        headers=world.auth("root"),
    )
    assert made.status_code == 201, made.text
    params = {"year": 2025, "region_code": "653123", "format": "pdf"}
    response = await world.client.get(URL, params=params, headers=world.auth("yjs_admin"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert "英吉沙县2025年度行政执法工作年度报告" in text
    assert marked in text.replace("\n", "")
    assert "在岗执法人员 5 人，持证 3 人" in text  # the totals, in words
    assert "图1" in text and "图2" in text
    total_row = next(line for line in text.splitlines() if line.strip().startswith("合计"))
    assert total_row.split()[1:3] == ["5", "3"]  # 在岗人数, 持证人数 in the first table
    assert "595.276 x 841.89 pts (A4)" in _poppler("pdfinfo", response.content, "-")


def _pdf_text(content: bytes) -> str:
    return _poppler("pdftotext", content, "-layout", "-", "-")


def _poppler(tool: str, content: bytes, *args: str) -> str:
    """What one of poppler's tools (`make tools` installs poppler-utils) prints."""
    path = shutil.which(tool)
    assert path, f"{tool} is missing: make tools installs poppler-utils"
    done = subprocess.run([path, *args], input=content, capture_output=True, check=True, timeout=60)
    return done.stdout.decode()


async def test_the_admin_form_downloads_the_report(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    world = clocked_town
    await _a_year(world, fixed_clock)
    async with admin_as(world, "yjs_admin") as admin:
        response = await form(admin, "annual-report", year=2025, region_code="653123", format="pdf")
    assert response.status_code == 200, response.text
    assert "英吉沙县2025年度行政执法工作年度报告" in _pdf_text(response.content)
