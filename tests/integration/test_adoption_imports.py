"""Taking in what a bureau already has: certificates with the numbers printed on them,
hours recorded on other platforms, exam results; and the preview of this year's review."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from service.clock import SHANGHAI
from service.domain.hours import HourCategory
from tests.integration.test_import_api import _xlsx
from tests.integration.world import World, credit, id_number, issued_certificate
from tests.qr import decode_qr

CERTIFICATE_HEADER = (
    "证号,身份证号,姓名,发证日期,有效期至,状态,执法区域,执法类别,发证机关,最近年审年度,暂扣至"
)


async def _import(world: World, what: str, content: bytes, name: str, **params: str):  # type: ignore[no-untyped-def]
    response = await world.client.post(
        f"/api/v1/{what}/import",
        params=params,
        files={"file": (name, content)},
        headers=world.auth("yjs_admin"),
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _officers(world: World, *names: str) -> list[dict[str, object]]:
    return [
        await world.create_officer(name=name, id_number=id_number(seq=60 + n, male=n % 2 == 0))
        for n, name in enumerate(names)
    ]


async def test_certificate_file_keeps_good_rows_and_reports_four_bad_ones(
    world: World, tmp_path: Path
) -> None:
    holder = id_number(seq=59)
    await issued_certificate(world, name="周杰", id_number=holder)
    aili, gulnar, tursun = await _officers(world, "艾力·吐尔逊", "古丽娜尔·买买提", "吐尔逊·艾山")
    bad_id = str(aili["id_number"])[:-1] + ("0" if str(aili["id_number"])[-1] != "0" else "1")
    unknown = id_number(seq=77)
    rows = [
        f"新A2019-00123,{aili['id_number']},艾力·吐尔逊,2019-04-01,2025-03-31,已过期,英吉沙县,市场监管、食品安全,,,",
        f"XJ-KS-2021-0456,{aili['id_number']},艾力·吐尔逊,2021-05-10,2027-05-09,有效,英吉沙县,市场监管;价格监督,,2024,",
        f"65312321000789,{gulnar['id_number']},古丽娜尔·买买提,2021-06-01,2027-05-31,暂扣,英吉沙县,市场监管,英吉沙县司法局,2023,",
        f"新B2020-0001,{bad_id},艾力·吐尔逊,2020-01-01,2026-01-01,有效,英吉沙县,市场监管,,,",
        f"新B2020-0002,{unknown},无此人,2020-01-01,2026-01-01,有效,英吉沙县,市场监管,,,",
        f"XJ-KS-2021-0456,{tursun['id_number']},吐尔逊·艾山,2021-05-10,2027-05-09,有效,英吉沙县,市场监管,,,",
        f"新C2022-0099,{holder},周杰,2022-01-01,2028-01-01,有效,英吉沙县,市场监管,,,",
    ]
    content = "\r\n".join([CERTIFICATE_HEADER, *rows]).encode("gbk")

    nothing = await _import(world, "certificates", content, "旧证.csv", atomic="true")
    assert (nothing["written"], nothing["created"]) == (False, 0)
    body = await _import(world, "certificates", content, "旧证.csv")
    assert (body["rows"], body["created"], body["written"]) == (7, 3, True)
    assert [(e["row"], e["field"], e["code"]) for e in body["errors"]] == [
        (5, "id_number", "officer.bad_id_number"),
        (6, "id_number", "import.unknown_officer"),
        (7, "number", "import.duplicate_row"),
        (8, "status", "certificate.already_held"),
    ]

    public = await world.client.get(f"/api/v1/public/certificates/{quote('XJ-KS-2021-0456')}")
    assert public.status_code == 200, public.text
    assert (public.json()["status_label"], public.json()["last_review_year"]) == ("有效", 2024)
    assert public.json()["enforcement_categories"] == ["市场监管", "价格监督"]
    page = await world.client.get(f"/verify/{quote('新A2019-00123')}")
    assert page.status_code == 200 and "已过期" in page.text and "艾力·吐尔逊" in page.text
    suspended = await world.client.get("/api/v1/public/certificates/65312321000789")
    assert suspended.json()["status_label"] == "暂扣"

    listed = await world.client.get(
        "/api/v1/certificates",
        params={"officer_id": aili["id"], "number": "xj-ks-2021-0456"},
        headers=world.auth("yjs_admin"),
    )
    [live] = listed.json()["items"]
    assert live["legacy"] is True and live["status_index"] is not None
    png = await world.client.get(
        f"/api/v1/certificates/{live['id']}/qr.png", headers=world.auth("yjs_admin")
    )
    url = decode_qr(png.content, tmp_path)
    card = await world.client.get(url.removeprefix(world.settings.public_base_url))
    assert card.status_code == 200 and "XJ-KS-2021-0456" in card.text and "签名有效" in card.text

    timeline = await world.client.get(
        f"/api/v1/officers/{aili['id']}/timeline", headers=world.auth("yjs_admin")
    )
    imports = [e for e in timeline.json()["items"] if e["action"] == "import"]
    assert [e["after"]["row"] for e in imports] == [2, 3]
    assert {e["after"]["file_sha256"] for e in imports} == {hashlib.sha256(content).hexdigest()}

    again = await _import(world, "certificates", content, "旧证.csv")
    assert (again["created"], again["unchanged"]) == (0, 3)


async def test_imported_certificate_is_suspended_and_reviewed_like_any_other(world: World) -> None:
    [officer] = await _officers(world, "买买提江·阿不拉")
    row = f"新A2022-7,{officer['id_number']},买买提江·阿不拉,2022-03-01,,有效,英吉沙县,市场监管,,,"
    await _import(world, "certificates", f"{CERTIFICATE_HEADER}\n{row}\n".encode(), "a.csv")
    [imported] = (
        await world.client.get(
            "/api/v1/certificates", params={"officer_id": officer["id"]}, headers=world.auth("root")
        )
    ).json()["items"]
    assert imported["valid_until"] == "2027-02-28"  # the validity period's default
    card = await world.client.get(
        f"/api/v1/certificates/{imported['id']}/card.png", headers=world.auth("yjs_admin")
    )
    assert card.status_code == 200 and card.content.startswith(b"\x89PNG")
    assert "filename*=UTF-8''card-%E6%96%B0A2022-7.png" in card.headers["content-disposition"]
    suspended = await world.client.post(
        f"/api/v1/certificates/{imported['id']}/suspend",
        json={"reason": "未按规定出示证件"},
        headers=world.auth("yjs_admin"),
    )
    assert suspended.status_code == 200, suspended.text
    public = await world.client.get(f"/api/v1/public/certificates/{quote('新A2022-7')}")
    assert public.json()["status_label"] == "暂扣"


async def test_number_of_another_officer_and_our_shape_with_a_bad_check_are_refused(
    world: World,
) -> None:
    held = await issued_certificate(world, name="刘洋", id_number=id_number(seq=58))
    [officer] = await _officers(world, "王敏")
    ours = str(held["number"])
    mistyped = ours[:15] + ("0" if ours[15] != "0" else "1")
    content = "\n".join(
        [
            CERTIFICATE_HEADER,
            f"{ours},{officer['id_number']},王敏,2022-01-01,,已注销,英吉沙县,市场监管,,,",
            f"{mistyped},{officer['id_number']},王敏,2022-01-01,,已注销,英吉沙县,市场监管,,,",
            f"新D2022-01,{officer['id_number']},王芳,2022-01-01,,有效,英吉沙县,市场监管,,,",
            f"新D2022-02,{officer['id_number']},王敏,2022-13-01,,有效,英吉沙县,市场监管,,,",
            f"新D2022-03,{officer['id_number']},王敏,2022-01-01,,作废,英吉沙县,市场监管,,,",
            f"新D2022-04,{officer['id_number']},王敏,2022-01-01,,有效,英吉沙县,市场监管,喀什地区公安局,,",
        ]
    ).encode()
    body = await _import(world, "certificates", content, "b.csv")
    assert [(e["row"], e["code"]) for e in body["errors"]] == [
        (2, "certificate.duplicate_number"),
        (3, "certificate.bad_number"),
        (4, "import.name_mismatch"),
        (5, "certificate.bad_dates"),
        (6, "certificate.bad_status"),
        (7, "certificate.unknown_issuer"),
    ]
    assert body["created"] == 0


async def test_hours_imported_twice_count_once(world: World) -> None:
    [officer] = await _officers(world, "热依拉·艾合买提")
    year = datetime.now(SHANGHAI).year
    who = officer["id_number"]
    content = _xlsx(
        ["身份证号", "日期", "类别", "学时", "培训名称", "组织单位"],
        [who, f"{year}-03-15", "公共法律知识", 6, "宪法专题网络课程", "新疆干部网络学院"],
        [who, f"{year}/4/2", "业务知识和行政执法技能", "12.5", "执法文书制作", "喀什地区党校"],
        [who, f"{year}-04-03", "业务知识", "0", "空课", "喀什地区党校"],
        [who, f"{year + 1}-01-01", "公共法律知识", "2", "未来课程", "喀什地区党校"],
    )
    first = await _import(world, "hours", content, "学时.xlsx")
    assert first["created"] == 2
    assert [(e["row"], e["code"]) for e in first["errors"]] == [
        (4, "hours.bad_value"),
        (5, "hours.bad_date"),
    ]
    second = await _import(world, "hours", content, "学时.xlsx")
    assert (second["created"], second["unchanged"]) == (0, 2)
    hours = await world.client.get(
        f"/api/v1/officers/{officer['id']}/hours", params={"year": year}, headers=world.auth("root")
    )
    earned = hours.json()["earned"]
    assert (float(earned["public_law"]), float(earned["professional"])) == (6.0, 12.5)
    assert {r["source"] for r in hours.json()["records"]} == {"import"}


async def test_exams_import_records_once_and_refuses_another_score(world: World) -> None:
    [officer] = await _officers(world, "努尔艾力·库尔班")
    content = (
        "身份证号,考试类别,分数,考试日期\n"
        f"{officer['id_number']},综合法律知识,78.5,2025-09-20\n"
        f"{officer['id_number']},specialised,66,2025-09-21\n"
    ).encode()
    assert (await _import(world, "exams", content, "成绩.csv"))["created"] == 2
    assert (await _import(world, "exams", content, "成绩.csv"))["unchanged"] == 2
    other = f"身份证号,考试类别,分数,考试日期\n{officer['id_number']},综合法律知识,90,2025-09-20\n"
    body = await _import(world, "exams", other.encode(), "改分.csv")
    assert [(e["row"], e["code"]) for e in body["errors"]] == [(2, "exam.conflicting_score")]
    exams = await world.client.get(
        f"/api/v1/officers/{officer['id']}/exams", headers=world.auth("root")
    )
    assert sorted(float(e["score"]) for e in exams.json()) == [66.0, 78.5]


async def test_imports_need_the_role_and_stay_in_the_jurisdiction(world: World) -> None:
    hy = await world.create_officer(
        name="王芳",
        id_number=id_number("610921", male=False),
        agency_id=world.agencies["hy_justice"],
    )
    row = f"陕执0012345,{hy['id_number']},王芳,2022-01-01,,有效,汉阴县,司法行政,,,"
    body = await _import(world, "certificates", f"{CERTIFICATE_HEADER}\n{row}\n".encode(), "c.csv")
    assert [e["code"] for e in body["errors"]] == ["import.unknown_officer"]
    refused = await world.client.post(
        "/api/v1/certificates/import",
        files={"file": ("c.csv", f"{CERTIFICATE_HEADER}\n{row}\n".encode())},
        headers=world.auth("trainer"),
    )
    assert refused.status_code == 403


async def test_review_preview_of_the_running_year_lists_who_is_short(world: World) -> None:
    year = datetime.now(SHANGHAI).year
    done = await issued_certificate(world, name="张伟", id_number=id_number(seq=81))
    short = await issued_certificate(world, name="李娜", id_number=id_number(seq=82, male=False))
    await credit(done["officer_id"], HourCategory.PUBLIC_LAW, 200, year)
    await credit(done["officer_id"], HourCategory.PROFESSIONAL, 400, year)
    await credit(short["officer_id"], HourCategory.PUBLIC_LAW, 50, year)
    preview = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": year, "region_code": "653123", "dry_run": True},
        headers=world.auth("yjs_admin"),
    )
    assert preview.status_code == 200, preview.text
    verdicts = {r["officer_name"]: r for r in preview.json()["results"]}
    assert verdicts["张伟"]["passed"] is True
    assert verdicts["李娜"]["passed"] is False and "hours_short" in verdicts["李娜"]["reasons"]
    real = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": year, "region_code": "653123"},
        headers=world.auth("yjs_admin"),
    )
    assert (real.status_code, real.json()["code"]) == (422, "annual_review.bad_year")
