"""The status of a certificate on a past day, read from its events, and whether its holder
could act in an area and category that day (for administrative reviews and lawsuits)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from service.clock import SHANGHAI, FixedClock
from tests.integration.test_annual_review_api import move_to
from tests.integration.world import World, id_number, issued_certificate


async def _on(clocked_town: World, number: str, day: str) -> dict[str, object]:
    response = await clocked_town.client.get(
        f"/api/v1/public/certificates/{quote(number)}", params={"at": day}
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_status_across_a_suspension_and_a_reinstatement(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    cert = await issued_certificate(clocked_town, exams_on="2025-01-20", id_number=id_number(seq=3))
    number = str(cert["number"])
    await move_to(clocked_town, fixed_clock, datetime(2025, 3, 3, 15, 0, tzinfo=SHANGHAI))
    suspended = await clocked_town.client.post(
        f"/api/v1/certificates/{cert['id']}/suspend",
        json={"reason": "执法记录仪未开启"},
        headers=clocked_town.auth("yjs_admin"),
    )
    assert suspended.status_code == 200, suspended.text
    await move_to(clocked_town, fixed_clock, datetime(2025, 4, 10, 11, 0, tzinfo=SHANGHAI))
    reinstated = await clocked_town.client.post(
        f"/api/v1/certificates/{cert['id']}/reinstate",
        json={"reason": "已整改"},
        headers=clocked_town.auth("yjs_admin"),
    )
    assert reinstated.status_code == 200, reinstated.text
    await move_to(clocked_town, fixed_clock, datetime(2025, 6, 1, 9, 0, tzinfo=SHANGHAI))

    before = await _on(clocked_town, number, "2025-02-09")
    assert (before["known"], before["unknown"], before["status_label"]) == (
        False,
        "not_issued",
        "尚未发证",
    )
    assert (await _on(clocked_town, number, "2025-03-02"))["status_label"] == "有效"
    april_first = await _on(clocked_town, number, "2025-04-01")
    assert (april_first["status"], april_first["status_label"]) == ("suspended", "暂扣")
    assert [(e["date"], e["kind"]) for e in april_first["events"]][-2:] == [
        ("2025-02-10", "issue"),
        ("2025-03-03", "suspend"),
    ]
    assert "reason" not in str(april_first["events"]) and "actor" not in str(april_first)
    assert (await _on(clocked_town, number, "2025-04-11"))["status_label"] == "有效"
    future = await clocked_town.client.get(
        f"/api/v1/public/certificates/{number}", params={"at": "2025-06-02"}
    )
    assert (future.status_code, future.json()["code"]) == (422, "certificate.bad_day")
    today = await clocked_town.client.get(f"/api/v1/public/certificates/{number}")
    assert "events" not in today.json() and today.json()["status_label"] == "有效"
    page = await clocked_town.client.get(f"/verify/{number}", params={"at": "2025-04-01"})
    assert page.status_code == 200 and "当日状态 2025-04-01：<strong>暂扣</strong>" in page.text
    assert "2025-03-03 暂扣" in page.text and "执法记录仪未开启" not in page.text
    wrong = await clocked_town.client.get(f"/verify/{number}", params={"at": "2025-13-01"})
    assert wrong.status_code == 422 and "查询日期不正确" in wrong.text


async def test_authority_says_why_the_holder_could_not_act(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    cert = await issued_certificate(clocked_town, exams_on="2025-01-20", id_number=id_number(seq=4))
    await move_to(clocked_town, fixed_clock, datetime(2025, 5, 1, 9, 0, tzinfo=SHANGHAI))
    url = f"/api/v1/public/certificates/{cert['number']}/authority"
    inside = await clocked_town.client.get(
        url, params={"at": "2025-03-01", "area": "英吉沙县芒辛镇", "category": "食品安全"}
    )
    assert inside.json()["authorised"] is True and inside.json()["reasons"] == []
    outside = await clocked_town.client.get(
        url, params={"at": "2025-03-01", "area": "莎车县", "category": "交通运输"}
    )
    assert outside.json()["authorised"] is False
    assert outside.json()["reasons"] == ["area_not_covered", "category_not_covered"]
    assert outside.json()["messages"] == ["执法区域不在证件范围内", "执法类别不在证件范围内"]
    early = await clocked_town.client.get(url, params={"at": "2025-01-01", "area": "英吉沙县"})
    assert early.json()["reasons"] == ["not_in_force"] and early.json()["status"] is None


async def test_an_imported_certificate_has_no_status_before_its_import(
    clocked_town: World, fixed_clock: FixedClock
) -> None:
    officer = await clocked_town.create_officer(
        name="阿依古丽", id_number=id_number(seq=5, male=False)
    )
    content = (
        "证号,身份证号,发证日期,状态,执法区域,执法类别\n"
        f"新KS-2021-0777,{officer['id_number']},2021-06-01,有效,英吉沙县,市场监管\n"
    ).encode()
    imported = await clocked_town.client.post(
        "/api/v1/certificates/import",
        files={"file": ("c.csv", content)},
        headers=clocked_town.auth("yjs_admin"),
    )
    assert imported.json()["created"] == 1
    await move_to(clocked_town, fixed_clock, datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI))
    before = await _on(clocked_town, "新KS-2021-0777", "2024-05-01")
    assert (before["known"], before["unknown"]) == (False, "before_import")
    assert (await _on(clocked_town, "新KS-2021-0777", "2021-05-01"))["unknown"] == "not_issued"
    after = await _on(clocked_town, "新KS-2021-0777", "2025-02-11")
    assert (after["status_label"], after["events"][0]["kind"]) == ("有效", "import")
