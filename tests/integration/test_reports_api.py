"""`GET /api/v1/reports/compliance`: JSON, CSV (with a BOM) and XLSX; totals that add up;
exactly 20 + 40 compliant; one agency's staff see that agency only."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import load_workbook

from service.domain.hours import HourCategory
from service.store.models import Certificate
from tests.integration.world import World, credit, id_number, issued_certificate


async def staffed(world: World) -> dict[str, dict[str, Any]]:
    people = {
        "exact": await world.create_officer(name="李娜", id_number=id_number(seq=41)),
        "short": await world.create_officer(name="马强", id_number=id_number(seq=42)),
        "idle": await world.create_officer(
            name="阿依古丽", id_number=id_number(seq=43, male=False)
        ),
        "bureau": await world.create_officer(
            name="吐尔逊", id_number=id_number(seq=44), agency_id=world.agencies["yjs_justice"]
        ),
        "hanyin": await world.create_officer(
            name="王芳",
            id_number=id_number("610921", male=False),
            agency_id=world.agencies["hy_justice"],
        ),
    }
    await credit(people["exact"]["id"], HourCategory.PUBLIC_LAW, 200, 2025)
    await credit(people["exact"]["id"], HourCategory.PROFESSIONAL, 400, 2025)
    await credit(people["short"]["id"], HourCategory.PUBLIC_LAW, 195, 2025)
    await credit(people["short"]["id"], HourCategory.PROFESSIONAL, 405, 2025)
    await credit(people["bureau"]["id"], HourCategory.PUBLIC_LAW, 300, 2025)
    await credit(people["hanyin"]["id"], HourCategory.PROFESSIONAL, 600, 2025)
    return people


async def report(world: World, who: str = "root", **params: object) -> Any:
    response = await world.client.get(
        "/api/v1/reports/compliance", params={"year": 2025, **params}, headers=world.auth(who)
    )
    assert response.status_code == 200, response.text
    return response


async def test_totals_add_up_to_the_rows_and_twenty_plus_forty_is_compliant(world: World) -> None:
    people = await staffed(world)
    body = (await report(world)).json()
    rows = {row["officer_id"]: row for row in body["officers"]}
    assert len(rows) == 5
    exact, short = rows[people["exact"]["id"]], rows[people["short"]["id"]]
    assert exact["compliant"] is True and exact["short"]["total"] == 0
    assert short["compliant"] is False
    assert (short["short"]["public_law"], short["earned"]["total"]) == (0.5, 60.0)
    assert body["untrained"] == [people["idle"]["id"]]
    overall = body["totals"]["overall"]
    assert overall["officers"] == 5 and overall["compliant"] == 1
    assert overall["earned_hours"] == sum(row["earned"]["total"] for row in rows.values())
    for group in body["totals"]["agencies"]:
        mine = [r for r in rows.values() if r["agency_id"] == group["agency_id"]]
        assert group["officers"] == len(mine)
        assert group["compliant"] == sum(r["compliant"] for r in mine)
        assert group["untrained"] == sum(not r["trained"] for r in mine)
    assert sum(g["officers"] for g in body["totals"]["regions"]) == len(rows)


async def test_csv_has_a_bom_for_excel_and_xlsx_opens_with_openpyxl(world: World) -> None:
    await staffed(world)
    csv_response = await report(world, format="csv")
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="compliance-2025-all.csv"' in csv_response.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert table[0][:2] == ["人员 ID", "姓名"] and len(table) == 6
    assert {row[1] for row in table[1:]} == {"李娜", "马强", "阿依古丽", "吐尔逊", "王芳"}
    xlsx = await report(world, format="xlsx", region_code="653123")
    book = load_workbook(io.BytesIO(xlsx.content))
    detail, totals = book.worksheets
    assert detail.freeze_panes == "A2" and int(detail.column_dimensions["C"].width) == 28
    assert detail.max_row == 5  # a header and 英吉沙县's four officers
    assert next(r for r in totals.iter_rows(values_only=True) if r[0] == "全部")[1] == 4


async def test_staff_of_one_agency_see_that_agency_only(world: World) -> None:
    people = await staffed(world)
    body = (await report(world, who="market_admin")).json()
    market = {people[key]["id"] for key in ("exact", "short", "idle")}
    assert {row["officer_id"] for row in body["officers"]} == market
    other = (await report(world, who="market_admin", agency_id=world.agencies["hy_justice"])).json()
    assert other["officers"] == []


async def test_bad_years_and_regions_are_refused(world: World) -> None:
    for params, code in (
        ({"year": 1999}, "report.bad_year"),
        ({"year": 2025, "region_code": "610921"}, "report.bad_region"),
        ({"year": 2025, "format": "pdf"}, None),
    ):
        response = await world.client.get(
            "/api/v1/reports/compliance", params=params, headers=world.auth("yjs_admin")
        )
        assert response.status_code in (400, 422), response.text
        if code:
            assert response.json()["code"] == code


async def test_dashboard_counts_months_and_most_short_with_svg_charts(world: World) -> None:
    people = await staffed(world)
    lapsed = await issued_certificate(world, id_number=id_number(seq=45))
    other = await issued_certificate(world, id_number=id_number(seq=46))
    # Past its last day but not yet swept: stored active, counted as expired.
    await Certificate.filter(id=lapsed["id"]).update(valid_until=date(2025, 1, 1))
    response = await world.client.get(
        "/api/v1/reports/dashboard", params={"year": 2025}, headers=world.auth("yjs_admin")
    )
    assert response.status_code == 200, response.text
    board = response.json()
    assert (board["officers"], board["compliant"], board["untrained"]) == (6, 1, 3)
    assert board["certificates"] == {"active": 1, "expired": 1}
    assert [r["officer_id"] for r in board["most_short"]] == [
        people["idle"]["id"],  # 60 h short, as the two certificate holders,
        *sorted(c["officer_id"] for c in (lapsed, other)),  # listed by id
        people["bureau"]["id"],  # 30 h short
        people["short"]["id"],  # 0.5 h short
    ]
    charts = board["charts"]
    assert set(charts) == {"compliance", "months", "statuses"}
    assert all(svg.startswith("<svg") for svg in charts.values())
    assert "英吉沙县市场监督管理局" in charts["compliance"]
    assert "汉阴县司法局" not in charts["compliance"]  # outside the county
    assert "2025年度每月取得学时" in charts["months"]
