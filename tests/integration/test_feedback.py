"""Complaints and praise from the public: a one-time form token, limits per certificate,
a contact that no public answer shows, and the staff's handling on the timeline."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from service.store.models import FeedbackForm
from tests.integration.world import World, id_number, issued_certificate

CONTACT = "13987654321 王先生"


async def _token(world: World, number: object) -> str:
    response = await world.client.get(f"/api/v1/public/certificates/{number}/feedback-form")
    assert response.status_code == 200, response.text
    return str(response.json()["form_token"])


async def _post(world: World, number: object, token: str, **body: object):  # type: ignore[no-untyped-def]
    payload = {
        "kind": "complaint",
        "text": "执法时态度粗暴，未出示证件。",
        "form_token": token,
        **body,
    }
    return await world.client.post(f"/api/v1/public/certificates/{number}/feedback", json=payload)


async def test_a_complaint_needs_a_fresh_token_and_gets_a_reference(world: World) -> None:
    cert = await issued_certificate(world, name="张伟", id_number=id_number(seq=51))
    number = cert["number"]
    token = await _token(world, number)
    first = await _post(world, number, token, contact=CONTACT)
    assert first.status_code == 201, first.text
    assert first.json()["reference"].startswith("FK")
    reused = await _post(world, number, token)
    assert (reused.status_code, reused.json()["code"]) == (422, "feedback.bad_form_token")
    other = await issued_certificate(world, name="李娜", id_number=id_number(seq=52, male=False))
    elsewhere = await _post(world, other["number"], await _token(world, number))
    assert elsewhere.json()["code"] == "feedback.bad_form_token"  # a token is for one certificate
    short = await _post(world, number, await _token(world, number), text="太差了")
    assert (short.status_code, short.json()["code"]) == (422, "feedback.bad_text")
    lapsing = await _token(world, number)
    await FeedbackForm.all().update(expires_at=datetime(2000, 1, 1, tzinfo=UTC))
    expired = await _post(world, number, lapsing)
    assert (expired.status_code, expired.json()["code"]) == (422, "feedback.bad_form_token")
    forged = await _post(world, number, "not-a-token")
    assert forged.json()["code"] == "feedback.bad_form_token"


async def test_one_certificate_takes_five_an_hour_and_the_contact_stays_private(
    world: World,
) -> None:
    cert = await issued_certificate(world, name="王刚", id_number=id_number(seq=53))
    number = cert["number"]
    answers = [
        (await _post(world, number, await _token(world, number), contact=CONTACT)).status_code
        for _ in range(6)
    ]
    assert answers == [201, 201, 201, 201, 201, 429]
    public = [
        await world.client.get(f"/api/v1/public/certificates/{number}"),
        await world.client.get(f"/verify/{number}"),
        await world.client.get(f"/api/v1/public/agencies/{world.agencies['yjs_market']}/officers"),
        await world.client.get(f"/roster/{world.agencies['yjs_market']}"),
        await world.client.get(f"/verify/{quote(str(number))}/feedback"),
    ]
    for response in public:
        assert response.status_code == 200
        assert "13987654321" not in response.text and "态度粗暴" not in response.text
    staff = await world.client.get("/api/v1/feedback", headers=world.auth("yjs_admin"))
    assert staff.json()["total"] == 5 and staff.json()["items"][0]["contact"] == CONTACT


async def test_staff_resolve_within_their_jurisdiction_and_the_timeline_tells_it(
    world: World,
) -> None:
    cert = await issued_certificate(world, name="马强", id_number=id_number(seq=54))
    sent = await _post(world, cert["number"], await _token(world, cert["number"]), contact=CONTACT)
    reference = sent.json()["reference"]
    board = await world.client.get("/api/v1/reports/dashboard", headers=world.auth("yjs_admin"))
    assert board.json()["open_complaints"] == {"英吉沙县市场监督管理局": 1}
    [item] = (
        await world.client.get("/api/v1/feedback?status=open", headers=world.auth("yjs_admin"))
    ).json()["items"]
    assert item["reference"] == reference
    hidden = await world.client.get("/api/v1/feedback", headers=world.auth("hy_admin"))
    assert hidden.json()["total"] == 0
    stranger = await world.client.post(
        f"/api/v1/feedback/{item['id']}/resolve",
        json={"outcome": "x"},
        headers=world.auth("hy_admin"),
    )
    assert stranger.status_code == 404
    url = f"/api/v1/feedback/{item['id']}/resolve"
    done = await world.client.post(
        url,
        json={"outcome": "已约谈并批评教育", "note": "当事人已道歉"},
        headers=world.auth("yjs_admin"),
    )
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    again = await world.client.post(url, json={"outcome": "再次"}, headers=world.auth("yjs_admin"))
    assert (again.status_code, again.json()["code"]) == (409, "feedback.resolved_already")
    timeline = await world.client.get(
        f"/api/v1/officers/{cert['officer_id']}/timeline", headers=world.auth("yjs_admin")
    )
    actions = [
        (e["action"], e["after"].get("reference")) for e in timeline.json()["items"] if e["after"]
    ]
    assert ("feedback", reference) in actions and ("feedback_resolved", reference) in actions
    assert CONTACT not in timeline.text
    board = await world.client.get("/api/v1/reports/dashboard", headers=world.auth("yjs_admin"))
    assert board.json()["open_complaints"] == {}


async def test_the_page_behind_the_verify_link_takes_a_complaint(world: World) -> None:
    cert = await issued_certificate(world, name="赵敏", id_number=id_number(seq=55, male=False))
    verify = await world.client.get(f"/verify/{cert['number']}")
    assert f'href="/verify/{cert["number"]}/feedback"' in verify.text
    page = await world.client.get(f"/verify/{cert['number']}/feedback")
    token = page.text.split('name="form_token" value="')[1].split('"')[0]
    sent = await world.client.post(
        f"/verify/{cert['number']}/feedback",
        data={"kind": "praise", "text": "耐心讲解政策，服务热情周到。", "form_token": token},
    )
    assert sent.status_code == 201 and "受理编号" in sent.text
    again = await world.client.post(
        f"/verify/{cert['number']}/feedback",
        data={"kind": "praise", "text": "耐心讲解政策，服务热情周到。", "form_token": token},
    )
    assert again.status_code == 422 and "表单已过期或已提交过" in again.text


async def test_the_admin_lists_and_resolves_feedback(world: World) -> None:
    from tests.integration.test_admin import admin_as, form

    cert = await issued_certificate(world, name="古丽", id_number=id_number(seq=56, male=False))
    await _post(world, cert["number"], await _token(world, cert["number"]), contact=CONTACT)
    async with admin_as(world, "yjs_admin") as http:
        rows = (await http.get("/admin/api/tables/feedback/")).json()["rows"]
        done = await form(http, "resolve-feedback", feedback_id=rows[0]["id"], outcome="已核实")
    assert rows[0]["kind"] == "complaint"
    assert done.status_code == 200, done.text
    assert "已处理 FK" in done.text
