"""Certificate lifecycle over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from service.domain.checksum import mod11_2
from service.store.models import Certificate, OfficerEvent
from tests.integration.world import (
    World,
    apply_for,
    id_number,
    issued_certificate,
    record_passed_exams,
)


async def test_issue_assigns_number_validity_and_authority(world: World) -> None:
    cert = await issued_certificate(world)
    assert cert["status"] == "active"
    assert cert["status_label"] == "有效"
    number = str(cert["number"])
    assert len(number) == 16
    assert number.startswith("65312303")  # the market bureau of 英吉沙县, sector 03
    assert number[15] == mod11_2(number[:15])
    assert cert["issuing_agency"] == "英吉沙县司法局"
    assert cert["valid_from"] is not None
    assert cert["valid_until"] is not None


async def test_apply_for_ineligible_officer_lists_every_unmet_condition(world: World) -> None:
    officer = await world.create_officer(employment_type="contract")
    response = await world.client.post(
        "/api/v1/certificates",
        json={
            "officer_id": officer["id"],
            "enforcement_area": "英吉沙县",
            "enforcement_categories": ["市场监管"],
        },
        headers=world.auth("root"),
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "certificate.ineligible"
    assert [e["code"] for e in body["errors"]] == [
        "eligibility.employment_type",
        "eligibility.general_law_exam",
        "eligibility.specialised_exam",
    ]
    assert await Certificate.all().count() == 0
    assert await OfficerEvent.filter(action="apply").count() == 0


async def test_suspend_then_reinstate_writes_events_with_before_and_after(world: World) -> None:
    cert = await issued_certificate(world)
    url = f"/api/v1/certificates/{cert['id']}"
    suspended = await world.client.post(
        f"{url}/suspend",
        json={"reason": "涉嫌违规执法，调查期间", "until": "2027-01-31"},
        headers=world.auth("yjs_admin"),
    )
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["suspended_until"] == "2027-01-31"
    reinstated = await world.client.post(
        f"{url}/reinstate", json={"reason": "调查结束"}, headers=world.auth("yjs_admin")
    )
    assert reinstated.json()["status"] == "active"
    timeline = await world.client.get(
        f"/api/v1/officers/{cert['officer_id']}/timeline", headers=world.auth("yjs_admin")
    )
    events = timeline.json()["items"]
    assert [e["action"] for e in events] == [
        "exam", "exam", "apply", "issue", "suspend", "reinstate"
    ]  # fmt: skip
    suspend = events[4]
    assert suspend["actor"] == "yjs_admin"
    assert suspend["reason"] == "涉嫌违规执法，调查期间"
    assert suspend["before"]["status"] == "active"
    assert suspend["after"]["status"] == "suspended"


async def test_refused_transition_is_409_and_changes_nothing(world: World) -> None:
    cert = await issued_certificate(world)
    url = f"/api/v1/certificates/{cert['id']}"
    response = await world.client.post(
        f"{url}/reinstate", json={"reason": "无"}, headers=world.auth("yjs_admin")
    )
    assert response.status_code == 409
    assert response.json()["code"] == "certificate.invalid_transition"
    after = (await world.client.get(url, headers=world.auth("yjs_admin"))).json()
    assert after["status"] == "active"
    assert after["version"] == cert["version"]


async def test_two_concurrent_suspends_give_exactly_one_success(world: World) -> None:
    cert = await issued_certificate(world)
    url = f"/api/v1/certificates/{cert['id']}/suspend"
    responses = await asyncio.gather(
        *(
            world.client.post(url, json={"reason": f"第{i}位管理员"}, headers=world.auth(who))
            for i, who in enumerate(("yjs_admin", "kashgar_admin"))
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["code"] == "certificate.invalid_transition"
    assert await OfficerEvent.filter(action="suspend").count() == 1


async def test_decisions_on_a_stale_version_are_refused(world: World) -> None:
    cert = await issued_certificate(world)
    url = f"/api/v1/certificates/{cert['id']}"
    seen = cert["version"]
    responses = await asyncio.gather(
        world.client.post(
            f"{url}/suspend",
            json={"reason": "暂扣", "expected_version": seen},
            headers=world.auth("yjs_admin"),
        ),
        world.client.post(
            f"{url}/revoke",
            json={"reason": "出借执法证", "expected_version": seen},
            headers=world.auth("kashgar_admin"),
        ),
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["code"] == "certificate.stale_version"


async def test_concurrent_issues_never_share_a_number(world: World) -> None:
    pending = []
    for seq in range(1, 7):
        officer = await world.create_officer(id_number=id_number(seq=seq))
        await record_passed_exams(world, officer["id"])
        pending.append(await apply_for(world, officer["id"]))
    responses = await asyncio.gather(
        *(
            world.client.post(
                f"/api/v1/certificates/{p['id']}/issue", headers=world.auth("yjs_admin")
            )
            for p in pending
        )
    )
    assert [r.status_code for r in responses] == [200] * 6
    numbers = {r.json()["number"] for r in responses}
    assert len(numbers) == 6
    assert {n[10:15] for n in numbers} == {f"{i:05d}" for i in range(1, 7)}


async def test_revoked_officer_cannot_apply_again(world: World) -> None:
    cert = await issued_certificate(world)
    revoked = await world.client.post(
        f"/api/v1/certificates/{cert['id']}/revoke",
        json={"reason": "涂改执法证"},
        headers=world.auth("yjs_admin"),
    )
    assert revoked.json()["status"] == "revoked"
    again = await world.client.post(
        "/api/v1/certificates",
        json={
            "officer_id": cert["officer_id"],
            "enforcement_area": "英吉沙县",
            "enforcement_categories": ["市场监管"],
        },
        headers=world.auth("root"),
    )
    assert again.status_code == 409
    assert [e["code"] for e in again.json()["errors"]] == ["eligibility.recently_revoked"]


async def test_cancel_needs_a_reason_from_the_list(world: World) -> None:
    cert = await issued_certificate(world)
    url = f"/api/v1/certificates/{cert['id']}/cancel"
    bad = await world.client.post(url, json={"reason": "不想干了"}, headers=world.auth("yjs_admin"))
    assert bad.status_code == 400
    other = await world.client.post(url, json={"reason": "other"}, headers=world.auth("yjs_admin"))
    assert other.status_code == 422
    assert other.json()["code"] == "certificate.reason_required"
    done = await world.client.post(url, json={"reason": "retired"}, headers=world.auth("yjs_admin"))
    assert done.status_code == 200
    assert done.json()["status"] == "cancelled"
    assert done.json()["status_reason"].startswith("退休")


async def test_reissue_voids_the_old_and_issues_a_new_number(world: World) -> None:
    cert = await issued_certificate(world)
    response = await world.client.post(
        f"/api/v1/certificates/{cert['id']}/reissue",
        json={"reason": "执法证遗失", "enforcement_categories": ["市场监管", "价格监督"]},
        headers=world.auth("yjs_admin"),
    )
    assert response.status_code == 201, response.text
    new = response.json()
    assert new["status"] == "active"
    assert new["number"] != cert["number"]
    assert new["replaces_id"] == cert["id"]
    assert new["valid_until"] == cert["valid_until"]
    assert new["enforcement_categories"] == ["市场监管", "价格监督"]
    old = await world.client.get(
        f"/api/v1/certificates/{cert['id']}", headers=world.auth("yjs_admin")
    )
    assert old.json()["status"] == "void"
    assert old.json()["number"] == cert["number"]  # a number is never reused or freed


async def test_agency_admin_may_apply_but_not_issue(world: World) -> None:
    officer = await world.create_officer()
    await record_passed_exams(world, officer["id"])
    pending = await apply_for(world, officer["id"], who="market_admin")
    assert pending["status"] == "pending"
    refused = await world.client.post(
        f"/api/v1/certificates/{pending['id']}/issue", headers=world.auth("market_admin")
    )
    assert refused.status_code == 403


async def test_certificates_outside_jurisdiction_are_not_found(world: World) -> None:
    cert = await issued_certificate(world)
    url = f"/api/v1/certificates/{cert['id']}"
    assert (await world.client.get(url, headers=world.auth("hy_admin"))).status_code == 404
    suspend = await world.client.post(
        f"{url}/suspend", json={"reason": "越权"}, headers=world.auth("hy_admin")
    )
    assert suspend.status_code == 404
    listed = await world.client.get("/api/v1/certificates", headers=world.auth("hy_admin"))
    assert listed.json()["total"] == 0
    assert (await world.client.get(url, headers=world.auth("kashgar_admin"))).status_code == 200


async def test_two_concurrent_applications_give_one_pending(world: World) -> None:
    officer = await world.create_officer()
    await record_passed_exams(world, officer["id"])
    body = {
        "officer_id": officer["id"],
        "enforcement_area": "英吉沙县",
        "enforcement_categories": ["市场监管"],
    }
    responses = await asyncio.gather(
        world.client.post("/api/v1/certificates", json=body, headers=world.auth("yjs_admin")),
        world.client.post("/api/v1/certificates", json=body, headers=world.auth("market_admin")),
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert [e["code"] for e in refused.json()["errors"]] == ["eligibility.application_pending"]
    assert await Certificate.filter(officer_id=officer["id"]).count() == 1


async def test_bad_certificate_requests_are_refused(world: World) -> None:
    officer = await world.create_officer()
    for body, status, code in (
        ({"officer_id": officer["id"], "enforcement_area": " ", "enforcement_categories": ["x"]},
         422, "certificate.bad_area"),
        ({"officer_id": officer["id"], "enforcement_area": "县", "enforcement_categories": []},
         422, "certificate.bad_categories"),
        ({"officer_id": 999999, "enforcement_area": "县", "enforcement_categories": ["x"]},
         404, "officer.not_found"),
        ({"officer_id": officer["id"], "enforcement_area": "县"}, 400, "request.invalid_body"),
    ):  # fmt: skip
        response = await world.client.post(
            "/api/v1/certificates", json=body, headers=world.auth("root")
        )
        assert response.status_code == status, (body, response.text)
        assert response.json()["code"] == code
    cert = await issued_certificate(world, id_number=id_number(seq=9))
    url = f"/api/v1/certificates/{cert['id']}"
    for path, body, status, code in (
        ("suspend", {"reason": "  "}, 422, "certificate.reason_required"),
        ("suspend", {"reason": "x", "until": "2020-01-01"}, 422, "certificate.bad_until"),
        ("suspend", {"reason": "x", "until": "明天"}, 400, "request.invalid_body"),
        ("revoke", {}, 400, "request.invalid_body"),
    ):
        response = await world.client.post(
            f"{url}/{path}", json=body, headers=world.auth("yjs_admin")
        )
        assert response.status_code == status, (body, response.text)
        assert response.json()["code"] == code
    number = str(cert["number"])
    mistyped = number[:15] + ("0" if number[15] != "0" else "1")
    bad_number = await world.client.get(
        "/api/v1/certificates", params={"number": mistyped}, headers=world.auth("root")
    )
    assert bad_number.status_code == 422
    assert bad_number.json()["code"] == "certificate.bad_number"
    found = await world.client.get(
        "/api/v1/certificates", params={"number": number}, headers=world.auth("root")
    )
    assert [c["id"] for c in found.json()["items"]] == [cert["id"]]
    unknown = await world.client.get("/api/v1/certificates/999999", headers=world.auth("root"))
    assert unknown.status_code == 404
    assert await OfficerEvent.filter(certificate_id=cert["id"]).count() == 2  # apply, issue


async def test_officer_without_a_certificate_gets_404_on_own_certificate(world: World) -> None:
    officer = await world.create_officer()
    assert (await world.give_login(officer)).status_code == 201
    login = await world.mobile_login(officer["id_number"])
    token = login.json()["access_token"]
    mine = await world.client.get(
        "/mobile/v1/me/certificate", headers={"Authorization": f"Bearer {token}"}
    )
    assert mine.status_code == 404
    assert mine.json()["code"] == "certificate.none"
    staff_only = await world.client.get(
        "/api/v1/certificates", headers={"Authorization": f"Bearer {token}"}
    )
    assert staff_only.status_code == 403
