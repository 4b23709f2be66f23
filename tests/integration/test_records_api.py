"""Exams, assessments, sanctions and eligibility over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from service.store.models import Exam, OfficerEvent
from tests.integration.world import World, record_passed_exams


async def test_exam_is_recorded_with_pass_mark_and_event(world: World) -> None:
    officer = await world.create_officer()
    response = await world.client.post(
        f"/api/v1/officers/{officer['id']}/exams",
        json={"kind": "general_law", "score": "59.5", "taken_on": "2026-05-20"},
        headers=world.auth("yjs_admin"),
    )
    assert response.status_code == 201, response.text
    assert (response.json()["score"], response.json()["passed"]) == ("59.5", False)
    listed = await world.client.get(
        f"/api/v1/officers/{officer['id']}/exams", headers=world.auth("yjs_admin")
    )
    assert [e["kind"] for e in listed.json()] == ["general_law"]
    event = await OfficerEvent.get(action="exam")
    assert event.after["score"] == "59.5"


async def test_bad_records_are_refused_and_write_nothing(world: World) -> None:
    officer = await world.create_officer()
    url = f"/api/v1/officers/{officer['id']}"
    for path, body, status, code in (
        (
            "exams",
            {"kind": "general_law", "score": 101, "taken_on": "2026-05-20"},
            422,
            "exam.bad_score",
        ),
        (
            "exams",
            {"kind": "general_law", "score": 80.25, "taken_on": "2026-05-20"},
            422,
            "exam.bad_score",
        ),
        (
            "exams",
            {"kind": "general_law", "score": 80, "taken_on": "2099-01-01"},
            422,
            "exam.bad_date",
        ),
        (
            "exams",
            {"kind": "oral", "score": 80, "taken_on": "2026-05-20"},
            400,
            "request.invalid_body",
        ),
        ("assessments", {"year": 1999, "result": "competent"}, 422, "assessment.bad_year"),
        ("assessments", {"year": 2025, "result": "great"}, 400, "request.invalid_body"),
        (
            "sanctions",
            {"kind": "demerit", "effective_on": "2026-05-01", "ends_on": "2026-04-01"},
            422,
            "sanction.bad_dates",
        ),
    ):
        response = await world.client.post(f"{url}/{path}", json=body, headers=world.auth("root"))
        assert response.status_code == status, (body, response.text)
        assert response.json()["code"] == code, body
    assert await Exam.all().count() == 0
    assert await OfficerEvent.all().count() == 0


async def test_second_assessment_for_a_year_is_409(world: World) -> None:
    officer = await world.create_officer()
    url = f"/api/v1/officers/{officer['id']}/assessments"
    first = await world.client.post(
        url, json={"year": 2025, "result": "excellent"}, headers=world.auth("market_admin")
    )
    assert first.status_code == 201
    second = await world.client.post(
        url, json={"year": 2025, "result": "incompetent"}, headers=world.auth("market_admin")
    )
    assert second.status_code == 409
    assert second.json()["code"] == "assessment.duplicate"
    listed = await world.client.get(url, headers=world.auth("market_admin"))
    assert [a["result"] for a in listed.json()] == ["excellent"]
    assert await OfficerEvent.filter(action="assessment").count() == 1


async def test_sanction_of_demerit_makes_officer_ineligible(world: World) -> None:
    officer = await world.create_officer()
    await record_passed_exams(world, officer["id"])
    url = f"/api/v1/officers/{officer['id']}"
    eligible = await world.client.get(f"{url}/eligibility", headers=world.auth("yjs_admin"))
    assert eligible.json() == {"eligible": True, "unmet": []}
    sanction = await world.client.post(
        f"{url}/sanctions",
        json={"kind": "demerit", "effective_on": "2026-10-01", "reason": "违规收费"},
        headers=world.auth("market_admin"),
    )
    assert sanction.status_code == 201
    assert sanction.json()["bars_certificate"] is True
    after = await world.client.get(f"{url}/eligibility", headers=world.auth("yjs_admin"))
    assert after.json()["eligible"] is False
    assert [u["code"] for u in after.json()["unmet"]] == ["eligibility.sanction_in_force"]
    assert after.json()["unmet"][0]["label"] == "记过以上处分期间"


async def test_records_outside_jurisdiction_are_not_found(world: World) -> None:
    officer = await world.create_officer()
    url = f"/api/v1/officers/{officer['id']}"
    for method, path, body in (
        ("POST", "exams", {"kind": "general_law", "score": 80, "taken_on": "2026-05-20"}),
        ("GET", "exams", None),
        ("GET", "timeline", None),
        ("GET", "eligibility", None),
    ):
        response = await world.client.request(
            method, f"{url}/{path}", json=body, headers=world.auth("hy_admin")
        )
        assert response.status_code == 404, path


async def test_organiser_may_not_record_exams(world: World) -> None:
    officer = await world.create_officer(agency_id=world.agencies["yjs_justice"])
    response = await world.client.post(
        f"/api/v1/officers/{officer['id']}/exams",
        json={"kind": "general_law", "score": 80, "taken_on": "2026-05-20"},
        headers=world.auth("trainer"),
    )
    assert response.status_code == 403
