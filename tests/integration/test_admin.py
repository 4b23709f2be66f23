"""Piccolo Admin at /admin, through its own HTTP API: login with the API's staff accounts,
forms that run the use cases (and their events), guarded generic edits, and a bureau
admin kept inside the region."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from openpyxl import load_workbook

from service.domain.hours import HourCategory
from service.store.models import AdminSession, Certificate, OfficerEvent
from service.usecases.checkin_tokens import read_scan
from service.usecases.services import Services
from tests.integration.world import (
    OFFICER_PASSWORD,
    PASSWORD,
    World,
    credit,
    id_number,
    issued_certificate,
)
from tests.qr import decode_qr


@asynccontextmanager
async def admin_as(world: World, username: str, password: str = PASSWORD) -> AsyncIterator[Any]:
    """A browser-like client of the admin, logged in as `username`."""
    async with httpx.AsyncClient(
        transport=world.client._transport, base_url=str(world.client.base_url)
    ) as http:
        await http.get("/admin/public/meta/")
        http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
        response = await http.post(
            "/admin/public/login/", json={"username": username, "password": password}
        )
        http.login = response  # type: ignore[attr-defined]
        yield http


async def form(http: httpx.AsyncClient, slug: str, **data: object) -> httpx.Response:
    return await http.post(f"/admin/api/forms/{slug}/", json=data)


async def test_staff_log_in_with_their_api_account_and_the_session_is_stored(
    world: World,
) -> None:
    async with admin_as(world, "yjs_admin") as http:
        assert http.login.status_code == 200, http.login.text
        user = (await http.get("/admin/api/user/")).json()
        assert user["username"] == "yjs_admin"
        assert await AdminSession.filter(user_id=int(user["user_id"])).count() == 1
        meta = (await http.get("/admin/public/meta/")).json()
        assert meta["site_name"] == "行政执法证件与培训学时管理"
        languages = (await http.get("/admin/public/translations/")).json()
        assert languages["default_language_code"] == "zh-CN"


async def test_the_admin_ignores_api_bearer_tokens(world: World) -> None:
    bearer = world.auth("root")
    assert (
        await world.client.get("/admin/api/tables/officers/", headers=bearer)
    ).status_code == 401
    assert (await world.client.get("/admin/api/user/", headers=bearer)).status_code == 401


async def test_officers_and_agency_staff_cannot_log_in_to_the_admin(world: World) -> None:
    officer = await world.create_officer()
    assert (await world.give_login(officer)).status_code == 201
    async with admin_as(world, str(officer["id_number"]), OFFICER_PASSWORD) as http:
        assert http.login.status_code == 401
        assert (await http.get("/admin/api/tables/officers/")).status_code == 401
    async with admin_as(world, "market_admin") as http:
        assert http.login.status_code == 401
    async with admin_as(world, "yjs_admin", "wrong-password") as http:
        assert http.login.status_code == 401
    assert await AdminSession.all().count() == 0


async def test_suspend_form_suspends_and_attributes_the_event_to_the_staff_account(
    world: World,
) -> None:
    certificate = await issued_certificate(world)
    async with admin_as(world, "yjs_admin") as http:
        response = await form(
            http, "suspend", certificate=certificate["number"], reason="借用他人执法证"
        )
        assert response.status_code == 200, response.text
        assert "已暂扣" in response.json()["custom_form_success"]
    stored = await Certificate.get(id=certificate["id"])
    assert stored.status == "suspended"
    event = await OfficerEvent.filter(certificate_id=certificate["id"]).order_by("-id").first()
    assert event is not None
    assert (event.action, event.actor_name, event.reason) == (
        "suspend",
        "yjs_admin",
        "借用他人执法证",
    )
    api = await world.client.get(
        f"/api/v1/certificates/{certificate['id']}", headers=world.auth("root")
    )
    assert api.json()["status"] == "suspended"


async def test_refused_action_shows_its_reason_in_chinese_and_changes_nothing(
    world: World,
) -> None:
    certificate = await issued_certificate(world)
    async with admin_as(world, "yjs_admin") as http:
        reinstate = await form(http, "reinstate", certificate=str(certificate["id"]), reason="x")
        number = str(certificate["number"])
        typo = number[:-1] + ("1" if number[-1] != "1" else "2")
        mistyped = await form(http, "revoke", certificate=typo, reason="x")
        blank = await form(http, "revoke", certificate=str(certificate["id"]), reason="")
    assert reinstate.status_code == 422
    assert reinstate.json()["custom_form_error"] == (
        "证件当前状态为「有效」，不能恢复。（certificate.invalid_transition）"
    )
    assert mistyped.json()["custom_form_error"].endswith("（certificate.bad_number）")
    assert blank.status_code == 422  # the form's own validation: a reason is required
    stored = await Certificate.get(id=certificate["id"])
    assert (stored.status, stored.version) == ("active", certificate["version"])


async def test_generic_patch_of_certificate_status_is_refused_and_changes_nothing(
    world: World,
) -> None:
    certificate = await issued_certificate(world)
    events = await OfficerEvent.all().count()
    async with admin_as(world, "root") as http:
        patch = await http.patch(
            f"/admin/api/tables/certificates/{certificate['id']}/",
            json={"status": "revoked", "number": "6531230326000010"},
        )
        delete = await http.delete(f"/admin/api/tables/certificates/{certificate['id']}/")
        ledger = await http.post(
            "/admin/api/tables/hour_ledger/",
            json={"officer": 1, "year": 2026, "category": "public_law", "tenths": 200},
        )
        event = await http.delete("/admin/api/tables/officer_events/1/")
    for refused in (patch, delete, ledger, event):
        assert refused.status_code == 403, refused.text
    assert "不能在此直接修改" in patch.json()["detail"]
    stored = await Certificate.get(id=certificate["id"])
    assert (stored.status, stored.number) == ("active", certificate["number"])
    assert await OfficerEvent.all().count() == events


async def test_an_agency_is_renamed_through_the_use_case_but_its_region_is_fixed(
    world: World,
) -> None:
    agency_id = world.agencies["yjs_market"]
    async with admin_as(world, "root") as http:
        renamed = await http.patch(
            f"/admin/api/tables/agencies/{agency_id}/", json={"name": "英吉沙县市场监管局"}
        )
        moved = await http.patch(
            f"/admin/api/tables/agencies/{agency_id}/", json={"region_id": "610921"}
        )
        created = await http.post(
            "/admin/api/tables/agencies/",
            json={"name": "某局", "region_id": "653123", "sector": "03", "kind": "department"},
        )
    assert renamed.status_code == 200, renamed.text
    assert moved.status_code == 403 and "只能改名" in moved.json()["detail"]
    assert created.status_code == 403
    agency = await world.client.get(f"/api/v1/agencies/{agency_id}", headers=world.auth("root"))
    assert agency.json()["name"] == "英吉沙县市场监管局"
    assert agency.json()["region_code"] == "653123"


async def test_a_bureau_admin_sees_only_the_rows_of_the_region(world: World) -> None:
    yjs = await issued_certificate(world)
    hy_officer = await world.create_officer(
        name="王芳",
        id_number=id_number("610921", male=False),
        agency_id=world.agencies["hy_justice"],
    )
    async with admin_as(world, "hy_admin") as http:
        count = (await http.get("/admin/api/tables/officers/count/")).json()["count"]
        rows = (await http.get("/admin/api/tables/officers/")).json()["rows"]
        foreign = await http.get(f"/admin/api/tables/certificates/{yjs['id']}/")
        ids = (await http.get("/admin/api/tables/officers/ids/")).json()
        accounts = await http.get("/admin/api/tables/accounts/")
    assert count == 1 and [row["id"] for row in rows] == [hy_officer["id"]]
    assert list(ids) == [str(hy_officer["id"])]
    assert foreign.status_code == 404
    assert accounts.status_code == 403
    async with admin_as(world, "kashgar_admin") as http:
        rows = (await http.get("/admin/api/tables/certificates/")).json()["rows"]
    assert [row["id"] for row in rows] == [yjs["id"]]


async def test_annual_review_dry_run_returns_an_xlsx_and_writes_nothing(world: World) -> None:
    certificate = await issued_certificate(world)
    async with admin_as(world, "kashgar_admin") as http:
        response = await form(http, "annual-review", year=2025, region_code="653100")
    assert response.status_code == 200, response.text
    assert "annual-review-2025-653100-dry-run.xlsx" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:5] == [
        "证号",
        "姓名",
        "人员 ID",
        "结果",
        "未通过原因",
    ]
    assert sheet.freeze_panes == "A2"
    stored = await Certificate.get(id=certificate["id"])
    assert stored.last_review_year is None and stored.version == certificate["version"]


async def test_session_form_and_its_poster_whose_qr_is_accepted_and_marked_printed(
    world: World, tmp_path: Any
) -> None:
    async with admin_as(world, "yjs_admin") as http:
        created = await form(
            http,
            "create-session",
            title="《行政处罚法》专题讲座",
            category="公共法律知识",
            credit_hours="3",
            starts_at="2030-05-20T09:00",
            ends_at="2030-05-20T12:00",
            location="县司法局三楼会议室",
            organiser_agency_id=world.agencies["yjs_justice"],
        )
        assert created.status_code == 200, created.text
        session_id = int(created.json()["custom_form_success"].split("ID ")[1].split("）")[0])
        poster = await form(http, "session-poster", session_id=session_id, format="PNG")
        pdf = await form(http, "session-poster", session_id=session_id, format="PDF")
        bad = await form(http, "create-session", **{**_session(world), "credit_hours": "0.3"})
    session = await world.client.get(f"/api/v1/sessions/{session_id}", headers=world.auth("root"))
    assert session.json()["starts_at"].startswith("2030-05-20T01:00:00")  # 09:00 in Beijing
    assert poster.headers["content-type"] == "image/png", poster.text
    assert pdf.content.startswith(b"%PDF")
    url = decode_qr(poster.content, tmp_path)
    assert url.startswith(f"{world.settings.public_base_url}/m/c/")
    scan = await read_scan(Services.build(world.settings), url.rsplit("/", 1)[1])
    assert (scan.session_id, scan.printed) == (session_id, True)
    assert bad.json()["custom_form_error"].endswith("（session.bad_credit）")


def _session(world: World) -> dict[str, object]:
    return {
        "title": "培训",
        "category": "公共法律知识",
        "starts_at": "2030-05-20T09:00",
        "ends_at": "2030-05-20T12:00",
        "organiser_agency_id": world.agencies["yjs_justice"],
    }


async def test_compliance_report_xlsx_has_a_row_per_officer_and_totals(world: World) -> None:
    exact = await world.create_officer(name="李娜", id_number=id_number(seq=11))
    short = await world.create_officer(name="马强", id_number=id_number(seq=12))
    await world.create_officer(name="阿依古丽", id_number=id_number(seq=13, male=False))
    await world.create_officer(
        name="王芳",
        id_number=id_number("610921", male=False),
        agency_id=world.agencies["hy_justice"],
    )
    await credit(exact["id"], HourCategory.PUBLIC_LAW, 200, 2025)
    await credit(exact["id"], HourCategory.PROFESSIONAL, 400, 2025)
    await credit(short["id"], HourCategory.PUBLIC_LAW, 195, 2025)
    await credit(short["id"], HourCategory.PROFESSIONAL, 405, 2025)
    async with admin_as(world, "yjs_admin") as http:
        response = await form(http, "compliance-report", year=2025)
        bad = await form(http, "compliance-report", year=2025, region_code="610921")
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    detail, totals = book.worksheets
    header = [cell.value for cell in detail[1]]
    rows = {
        row[1]: dict(zip(header, row, strict=True)) for row in detail.iter_rows(2, values_only=True)
    }
    assert set(rows) == {"李娜", "马强", "阿依古丽"}  # 汉阴县 is outside 英吉沙县
    assert rows["李娜"]["是否达标"] == "达标"
    assert rows["马强"]["是否达标"] == "未达标" and rows["马强"]["公共法律知识欠缺"] == 0.5
    assert rows["阿依古丽"]["全年未参训"] == "是"
    overall = next(row for row in totals.iter_rows(2, values_only=True) if row[0] == "全部")
    assert overall[1:3] == (3, 1) and overall[4] == 1
    assert overall[5] == sum(row["合计已修"] for row in rows.values())
    assert detail.freeze_panes == "A2"
    assert bad.json()["custom_form_error"].endswith("（report.bad_region）")


def _sheet(*rows: str) -> bytes:
    """A CSV as Excel on a Chinese Windows saves it: GBK, with CRLF line ends."""
    header = "姓名,身份证号,单位,人员类别,电话,岗位"
    return "\r\n".join([header, *rows]).encode("gbk")


async def _upload(http: httpx.AsyncClient, content: bytes, *, atomic: bool) -> httpx.Response:
    return await http.post(
        "/admin-tools/import-officers",
        data={"csrftoken": http.cookies["csrftoken"], **({"atomic": "true"} if atomic else {})},
        files={"file": ("人员名单.csv", content, "text/csv")},
    )


async def test_import_page_reports_each_bad_row_and_keeps_the_rest(world: World) -> None:
    known = await world.create_officer(name="张伟", id_number=id_number(seq=21))
    market = "英吉沙县市场监督管理局"
    good = id_number(seq=23)
    typo = good[:-1] + ("1" if good[-1] != "1" else "2")
    content = _sheet(
        f"李娜,{id_number(seq=22, male=False)},{market},公务员,13912345678,执法科员",
        f"张伟强,{known['id_number']},{market},参公管理人员,,科长",
        f"马强,{typo},{market},公务员,,",  # wrong check character
        f"李娜,{id_number(seq=22, male=False)},{market},公务员,,",  # the same person again
        f"王刚,{id_number(seq=24)},某某不存在局,公务员,,",
    )
    async with admin_as(world, "yjs_admin") as http:
        page = await http.get("/admin-tools/import-officers")
        atomic = await _upload(http, content, atomic=True)
        partial = await _upload(http, content, atomic=False)
        unknown = await _upload(http, "姓名,籍贯\n张三,四川".encode(), atomic=False)
        forged = await http.post(
            "/admin-tools/import-officers",
            data={"csrftoken": "forged"},
            files={"file": ("a.csv", content, "text/csv")},
        )
    assert page.status_code == 200 and "导入执法人员" in page.text
    assert "整批未导入" in atomic.text
    assert "共 5 行，新增 1 人，更新 1 人，3 行有错误未导入" in partial.text
    assert "<td>4</td><td>身份证号</td>" in partial.text and "officer.bad_id_number" in partial.text
    duplicate = "<td>5</td><td>身份证号</td><td>与前面的行重复（身份证号或证号相同）。</td>"
    assert duplicate in partial.text
    assert "<td>6</td><td>单位</td>" in partial.text
    assert "表头中有无法识别的列：籍贯。" in unknown.text
    assert forged.status_code == 403
    listed = await world.client.get("/api/v1/officers", headers=world.auth("root"))
    names = sorted(item["name"] for item in listed.json()["items"])
    assert names == ["张伟强", "李娜"]  # 张伟 renamed; nothing from the atomic run
    updated = next(item for item in listed.json()["items"] if item["name"] == "张伟强")
    assert (updated["employment_type"], updated["post"]) == ("civil_servant_managed", "科长")


async def test_import_page_makes_its_csrf_cookie_when_the_admin_has_not(world: World) -> None:
    async with admin_as(world, "yjs_admin") as http:
        http.cookies.delete("csrftoken")
        page = await http.get("/admin-tools/import-officers")
        token = page.cookies["csrftoken"]
        assert f'name="csrftoken" value="{token}"' in page.text
        upload = await http.post(
            "/admin-tools/import-officers",
            data={"csrftoken": token},
            files={"file": ("a.csv", "姓名,身份证号\n".encode(), "text/csv")},
        )
    assert upload.status_code == 200 and "共 0 行" in upload.text


async def test_import_page_needs_an_admin_login(world: World) -> None:
    page = await world.client.get("/admin-tools/import-officers", follow_redirects=False)
    assert page.status_code in (302, 303, 307) and page.headers["location"] == "/admin/#/login/"
    upload = await world.client.post(
        "/admin-tools/import-officers",
        data={"csrftoken": "x"},
        files={"file": ("a.csv", b"name\n", "text/csv")},
    )
    assert upload.status_code == 401


async def test_people_forms_change_an_officer_and_record_assessments_and_sanctions(
    world: World,
) -> None:
    officer = await world.create_officer(name="张伟", id_number=id_number(seq=61))
    async with admin_as(world, "yjs_admin") as http:
        edited = await form(
            http, "edit-officer", officer_id=officer["id"], post="科长", in_post=False
        )
        nothing = await form(http, "edit-officer", officer_id=officer["id"])
        assessed = await form(
            http, "assessment", officer_id=officer["id"], year=2025, result="不称职"
        )
        again = await form(http, "assessment", officer_id=officer["id"], year=2025, result="称职")
        sanctioned = await form(
            http, "sanction", officer_id=officer["id"], kind="记过", effective_on="2026-03-01"
        )
    assert edited.status_code == 200, edited.text
    assert nothing.json()["custom_form_error"] == "没有要修改的内容。"
    assert assessed.json()["custom_form_success"] == "已录入 2025 年度考核：不称职。"
    assert again.json()["custom_form_error"] == "该年度的考核已录入。（assessment.duplicate）"
    assert sanctioned.status_code == 200, sanctioned.text
    stored = await world.client.get(f"/api/v1/officers/{officer['id']}", headers=world.auth("root"))
    assert (stored.json()["post"], stored.json()["in_post"]) == ("科长", False)
    events = await OfficerEvent.filter(officer_id=officer["id"]).order_by("id")
    assert [(e.action, e.actor_name) for e in events] == [
        ("officer_update", "yjs_admin"),
        ("assessment", "yjs_admin"),
        ("sanction", "yjs_admin"),
    ]
    assert (events[0].before, events[0].after) == (
        {"in_post": True, "post": "执法科员"},
        {"in_post": False, "post": "科长"},
    )


async def test_the_admin_checks_a_password_even_for_an_unknown_username(
    world: World, monkeypatch: Any
) -> None:
    # The same work for an unknown name as for a wrong password: the answer's timing
    # does not tell which usernames exist (officers' usernames are ID numbers).
    from service.usecases import auth

    checked: list[str] = []
    real = auth.verify_password

    def counting(password: str, stored: str) -> bool:
        checked.append(stored)
        return real(password, stored)

    monkeypatch.setattr(auth, "verify_password", counting)
    for username in ("yjs_admin", "nobody_here", "653123198803140013"):
        async with admin_as(world, username, password="Wrong-2026!") as http:
            assert http.login.status_code == 401
    assert len(checked) == 3


async def test_certificate_and_hours_pages_import_what_a_bureau_already_has(world: World) -> None:
    holder = await world.create_officer(name="艾力·吐尔逊", id_number=id_number(seq=25))
    cards = (
        "证号,身份证号,姓名,发证日期,状态,执法区域,执法类别\r\n"
        f"新KS-2021-0456,{holder['id_number']},艾力·吐尔逊,2023-05-10,有效,英吉沙县,市场监管\r\n"
        f"新KS-2021-0457,{holder['id_number']},艾力·吐尔逊,2023-05-10,作废,英吉沙县,市场监管\r\n"
    ).encode("gbk")
    hours = (
        "身份证号,日期,类别,学时,培训名称,组织单位\n"
        f"{holder['id_number']},2026-03-02,公共法律知识,4,宪法专题,喀什地区党校\n"
    ).encode()
    async with admin_as(world, "yjs_admin") as http:
        page = await http.get("/admin-tools/import-certificates")
        token = http.cookies["csrftoken"]
        first = await http.post(
            "/admin-tools/import-certificates",
            data={"csrftoken": token},
            files={"file": ("旧证.csv", cards, "text/csv")},
        )
        again = await http.post(
            "/admin-tools/import-certificates",
            data={"csrftoken": token},
            files={"file": ("旧证.csv", cards, "text/csv")},
        )
        studied = await http.post(
            "/admin-tools/import-hours",
            data={"csrftoken": token},
            files={"file": ("学时.csv", hours, "text/csv")},
        )
    assert page.status_code == 200 and "<h1>导入执法证（既有证件）</h1>" in page.text
    assert (
        "证号、身份证号、姓名、发证日期" in page.text
        and 'href="/admin-tools/import-hours"' in page.text
    )
    assert "共 2 行，新增 1 本，更新 0 本，1 行有错误未导入" in first.text
    assert (
        "<td>3</td><td>状态</td><td>证件状态应为 有效、暂扣、已吊销、已注销 或 已过期。</td>"
        in first.text
    )
    assert "1 本已存在未变" in again.text
    assert "共 1 行，新增 1 条" in studied.text
    public = await world.client.get("/api/v1/public/certificates/%E6%96%B0KS-2021-0456")
    assert public.json()["status_label"] == "有效"
