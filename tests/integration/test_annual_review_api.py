"""Annual review over HTTP, with a fixed clock: 2025's certificates reviewed in 2026."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime

import pytest

from service.clock import SHANGHAI, FixedClock
from service.domain.hours import HourCategory, LedgerSource
from service.settings import Settings
from service.store import reviews
from service.store.models import AnnualReviewResult, Certificate, HourEntry
from service.usecases import annual_review, audit
from tests.conftest import serving
from tests.integration.world import World, build_world, id_number, issued_certificate

ISSUED_AT = datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)
IN_WINDOW = datetime(2026, 4, 8, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(ISSUED_AT)


@pytest.fixture
async def review_world(settings: Settings, clock: FixedClock) -> AsyncIterator[World]:
    async with serving(settings, clock) as http:
        yield await build_world(http, settings)


async def credit(officer_id: object, public_law: str, professional: str) -> None:
    """Ledger rows as the check-in issue will write them (its API comes later)."""
    for category, hours in (
        (HourCategory.PUBLIC_LAW, public_law),
        (HourCategory.PROFESSIONAL, professional),
    ):
        tenths = int(float(hours) * 10)
        # Two entries per category, so the review must sum them.
        for part in (tenths // 2, tenths - tenths // 2):
            await HourEntry.create(
                officer_id=officer_id,
                year=2025,
                category=category,
                tenths=part,
                source=LedgerSource.ATTENDANCE,
                title="2025年度培训",
                occurred_on=date(2025, 6, 1),
            )


async def move_to(world: World, clock: FixedClock, at: datetime) -> None:
    clock.advance(at - clock.now())
    await world.relogin()


async def three_officers(world: World) -> tuple[dict[str, object], ...]:
    met = await issued_certificate(world, exams_on="2025-02-10", id_number=id_number(seq=1))
    short = await issued_certificate(world, exams_on="2025-02-10", id_number=id_number(seq=2))
    failing = await issued_certificate(world, exams_on="2025-02-10", id_number=id_number(seq=3))
    await credit(met["officer_id"], "20", "40")
    await credit(short["officer_id"], "19.5", "40.5")
    await credit(failing["officer_id"], "0", "3")
    return met, short, failing


async def test_review_passes_met_hours_and_suspends_the_rest_with_every_reason(
    review_world: World, clock: FixedClock
) -> None:
    world = review_world
    met, short, failing = await three_officers(world)
    await move_to(world, clock, IN_WINDOW)
    sanction = await world.client.post(
        f"/api/v1/officers/{failing['officer_id']}/sanctions",
        json={"kind": "demerit", "effective_on": "2025-09-01", "reason": "违规执法"},
        headers=world.auth("root"),
    )
    assert sanction.status_code == 201, sanction.text
    await world.client.post(
        f"/api/v1/officers/{failing['officer_id']}/assessments",
        json={"year": 2025, "result": "incompetent"},
        headers=world.auth("root"),
    )
    await world.client.patch(
        f"/api/v1/officers/{failing['officer_id']}",
        json={"in_post": False},
        headers=world.auth("root"),
    )
    response = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653123"},
        headers=world.auth("yjs_admin"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["reviewed"], body["passed"], body["failed"]) == (3, 1, 2)
    by_id = {r["certificate_id"]: r for r in body["results"]}
    assert by_id[met["id"]]["passed"] is True
    assert by_id[short["id"]]["reasons"] == ["hours_short"]
    assert by_id[failing["id"]]["reasons"] == [
        "not_in_post", "hours_short", "incompetent", "sanctioned"
    ]  # fmt: skip

    passed = await world.client.get(
        f"/api/v1/certificates/{met['id']}", headers=world.auth("yjs_admin")
    )
    assert passed.json()["status"] == "active"
    assert passed.json()["last_review_year"] == 2025
    suspended = await world.client.get(
        f"/api/v1/certificates/{short['id']}", headers=world.auth("yjs_admin")
    )
    assert suspended.json()["status"] == "suspended"
    assert "公共法律知识差0.5学时" in suspended.json()["status_reason"]
    timeline = await world.client.get(
        f"/api/v1/officers/{failing['officer_id']}/timeline", headers=world.auth("yjs_admin")
    )
    last = timeline.json()["items"][-1]
    assert last["action"] == "suspend"
    assert last["actor"] == "yjs_admin"
    assert "年度考核不称职" in last["reason"]

    stored = await world.client.get(
        "/api/v1/annual-reviews",
        params={"year": 2025, "passed": "false"},
        headers=world.auth("yjs_admin"),
    )
    assert stored.json()["total"] == 2
    for who, visible in (("hy_admin", 0), ("market_admin", 3), ("kashgar_admin", 3)):
        seen = await world.client.get(
            "/api/v1/annual-reviews", params={"year": 2025}, headers=world.auth(who)
        )
        assert seen.json()["total"] == visible, who

    again = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653100"},
        headers=world.auth("kashgar_admin"),
    )
    assert (again.json()["reviewed"], again.json()["already_reviewed"]) == (0, 3)
    assert (await audit.verify_chains()).broken is None  # the batched events chain too


async def test_dry_run_reports_the_same_and_writes_nothing(
    review_world: World, clock: FixedClock
) -> None:
    world = review_world
    await three_officers(world)
    await move_to(world, clock, datetime(2026, 1, 15, 9, 0, tzinfo=SHANGHAI))
    before = [(c.id, c.status, c.version) for c in await Certificate.all().order_by("id")]
    early = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653123"},
        headers=world.auth("yjs_admin"),
    )
    assert early.status_code == 409
    assert early.json()["code"] == "annual_review.window_not_open"
    dry = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653123", "dry_run": True},
        headers=world.auth("yjs_admin"),
    )
    assert dry.status_code == 200
    assert (dry.json()["passed"], dry.json()["failed"]) == (1, 2)
    assert [(c.id, c.status, c.version) for c in await Certificate.all().order_by("id")] == before
    assert await AnnualReviewResult.all().count() == 0


async def test_certificate_issued_after_the_year_is_not_reviewed(
    review_world: World, clock: FixedClock
) -> None:
    world = review_world
    await move_to(world, clock, datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI))
    await issued_certificate(world, exams_on="2025-12-10")
    await move_to(world, clock, IN_WINDOW)
    response = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653123"},
        headers=world.auth("yjs_admin"),
    )
    assert response.json()["reviewed"] == 0


async def test_region_requirement_is_inherited_by_the_counties_inside(
    review_world: World, clock: FixedClock
) -> None:
    world = review_world
    cert = await issued_certificate(world, exams_on="2025-02-10")
    await credit(cert["officer_id"], "10", "50")  # short of 20 public-law hours by default
    await move_to(world, clock, IN_WINDOW)
    city = await world.client.put(
        "/api/v1/requirements/2025",
        json={"region_code": "653100", "min_total": 60},  # 喀什地区: 60 h in any category
        headers=world.auth("kashgar_admin"),
    )
    assert city.status_code == 200, city.text
    response = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653123", "dry_run": True},
        headers=world.auth("yjs_admin"),
    )
    assert response.json()["passed"] == 1


async def test_bad_review_requests_are_refused(review_world: World, clock: FixedClock) -> None:
    world = review_world
    await move_to(world, clock, IN_WINDOW)
    for body, status, code in (
        ({"year": 2026, "region_code": "653123"}, 422, "annual_review.bad_year"),
        ({"year": 2025, "region_code": "610921"}, 422, "annual_review.bad_region"),
        ({"year": 2025, "region_code": "999999"}, 422, "annual_review.bad_region"),
        ({"year": "二〇二五", "region_code": "653123"}, 400, "request.invalid_body"),
        ({"region_code": "653123"}, 400, "request.invalid_body"),
    ):
        response = await world.client.post(
            "/api/v1/annual-reviews", json=body, headers=world.auth("yjs_admin")
        )
        assert response.status_code == status, (body, response.text)
        assert response.json()["code"] == code, body
    forbidden = await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653123"},
        headers=world.auth("market_admin"),
    )
    assert forbidden.status_code == 403


async def test_officer_sees_own_certificate_and_review(
    review_world: World, clock: FixedClock
) -> None:
    world = review_world
    cert = await issued_certificate(world, exams_on="2025-02-10")
    await move_to(world, clock, IN_WINDOW)
    await world.give_login({"id": cert["officer_id"]})
    await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653123"},
        headers=world.auth("yjs_admin"),
    )
    officer = await world.mobile_login(id_number())
    token = officer.json()["access_token"]
    mine = await world.client.get(
        "/mobile/v1/me/certificate", headers={"Authorization": f"Bearer {token}"}
    )
    assert mine.status_code == 200, mine.text
    assert mine.json()["number"] == cert["number"]
    assert mine.json()["status"] == "suspended"
    assert mine.json()["reviews"][0]["reasons"] == ["hours_short"]
    staff_view = await world.client.get(
        "/mobile/v1/me/certificate", headers=world.auth("yjs_admin")
    )
    assert staff_view.status_code == 403


async def test_certificate_owing_its_review_shows_the_warning_until_reviewed(
    review_world: World, clock: FixedClock
) -> None:
    world = review_world
    cert = await issued_certificate(world, exams_on="2025-02-10")
    await credit(cert["officer_id"], "20", "40")
    url = f"/api/v1/certificates/{cert['id']}"
    await move_to(world, clock, datetime(2026, 2, 1, 9, 0, tzinfo=SHANGHAI))
    early = (await world.client.get(url, headers=world.auth("yjs_admin"))).json()
    assert early["review_due"] == {"year": 2025, "deadline": "2026-04-30", "warning": None}
    await move_to(world, clock, IN_WINDOW)
    near = (await world.client.get(url, headers=world.auth("yjs_admin"))).json()
    assert near["review_due"]["warning"] == "amber"
    await move_to(world, clock, datetime(2026, 5, 2, 9, 0, tzinfo=SHANGHAI))
    late = (await world.client.get(url, headers=world.auth("yjs_admin"))).json()
    assert late["review_due"]["warning"] == "red"
    await world.client.post(
        "/api/v1/annual-reviews",
        json={"year": 2025, "region_code": "653123"},
        headers=world.auth("yjs_admin"),
    )
    reviewed = (await world.client.get(url, headers=world.auth("yjs_admin"))).json()
    assert reviewed["review_due"] is None


async def test_review_and_a_suspension_at_the_same_moment_keep_the_chain_whole(
    review_world: World, clock: FixedClock
) -> None:
    world = review_world
    met, _short, _failing = await three_officers(world)
    await move_to(world, clock, IN_WINDOW)
    review, suspend = await asyncio.gather(
        world.client.post(
            "/api/v1/annual-reviews",
            json={"year": 2025, "region_code": "653123"},
            headers=world.auth("yjs_admin"),
        ),
        world.client.post(
            f"/api/v1/certificates/{met['id']}/suspend",
            json={"reason": "群众投诉，调查期间"},
            headers=world.auth("kashgar_admin"),
        ),
    )
    # Either order is valid: suspended first, the review skips it; reviewed first (it
    # passes), the suspension follows. Neither may be lost, and the chain stays whole.
    assert (review.status_code, suspend.status_code) == (200, 200), suspend.text
    final = await Certificate.get(id=met["id"])
    assert final.status == "suspended"
    reviewed_ids = {r["certificate_id"] for r in review.json()["results"]}
    assert (met["id"] in reviewed_ids) == (final.last_review_year == 2025)
    assert (await audit.verify_chains()).broken is None


async def test_a_review_written_in_slices_chains_every_slice_and_a_failure_writes_none(
    review_world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each slice is built while the one before is written: with slices of one
    certificate, the three verdicts still chain and store in order, and a slice that
    fails to store leaves none of them written."""
    world = review_world
    met, short, failing = await three_officers(world)
    await move_to(world, clock, IN_WINDOW)
    monkeypatch.setattr(annual_review, "SLICE", 1)
    stored = reviews.insert_results
    calls = 0

    async def fails_on_the_second_slice(*arguments: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("the database went away during the second slice")
        await stored(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(reviews, "insert_results", fails_on_the_second_slice)
    request = {"year": 2025, "region_code": "653123"}
    failed = await world.client.post(
        "/api/v1/annual-reviews", json=request, headers=world.auth("yjs_admin")
    )
    assert failed.status_code >= 500
    assert await AnnualReviewResult.all().count() == 0
    statuses = await Certificate.all().values_list("status", "last_review_year")
    assert sorted(statuses) == [("active", None)] * 3

    monkeypatch.setattr(reviews, "insert_results", stored)
    done = await world.client.post(
        "/api/v1/annual-reviews", json=request, headers=world.auth("yjs_admin")
    )
    assert done.status_code == 200, done.text
    assert (done.json()["passed"], done.json()["failed"]) == (1, 2)
    assert await AnnualReviewResult.all().count() == 3
    written = {
        c.id: (c.status.value, c.last_review_year)
        for c in await Certificate.filter(id__in=[met["id"], short["id"], failing["id"]])
    }
    assert written == {
        met["id"]: ("active", 2025),
        short["id"]: ("suspended", None),
        failing["id"]: ("suspended", None),
    }
    assert (await audit.verify_chains()).broken is None
