"""The event chain's audit, and lapses: expiry and the end of a suspension."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from service.clock import SHANGHAI, FixedClock
from service.settings import Settings
from service.store.models import Certificate, Officer, OfficerEvent
from service.usecases import audit
from service.usecases.certificates.lapses import sweep
from service.usecases.services import Services
from tests.conftest import serving
from tests.integration.world import (
    World,
    apply_for,
    build_world,
    id_number,
    issued_certificate,
    record_passed_exams,
)

START = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
async def timed(settings: Settings, clock: FixedClock) -> AsyncIterator[World]:
    async with serving(settings, clock) as http:
        yield await build_world(http, settings)


async def test_intact_chains_verify(world: World) -> None:
    await issued_certificate(world)
    report = await audit.verify_chains()
    assert report.broken is None
    assert (report.officers, report.events) == (1, 4)  # two exams, apply, issue


async def test_tampered_event_row_is_found_by_audit(world: World) -> None:
    cert = await issued_certificate(world)
    await world.client.post(
        f"/api/v1/certificates/{cert['id']}/suspend",
        json={"reason": "出借执法证"},
        headers=world.auth("yjs_admin"),
    )
    suspend = await OfficerEvent.get(action="suspend")
    await OfficerEvent.filter(id=suspend.id).update(reason="到期换证")
    report = await audit.verify_chains()
    assert report.broken is not None
    assert (report.broken.event_id, report.broken.seq) == (suspend.id, suspend.seq)


async def test_removed_last_event_is_found_by_audit(world: World) -> None:
    await issued_certificate(world)
    last = await OfficerEvent.all().order_by("-seq").first()
    assert last is not None
    await OfficerEvent.filter(id=last.id).delete()
    report = await audit.verify_chains()
    assert report.broken is not None
    assert report.broken.event_id is None  # the head names more events than are left


async def test_expired_certificate_reads_expired_and_refuses_actions(
    timed: World, clock: FixedClock, settings: Settings
) -> None:
    world = timed
    cert = await issued_certificate(world, exams_on="2026-11-01")
    assert cert["valid_until"] == "2031-11-22"
    clock.advance(timedelta(days=5 * 365 + 2))  # 2031-11-23: the day after the last
    await world.relogin()
    url = f"/api/v1/certificates/{cert['id']}"
    read = await world.client.get(url, headers=world.auth("yjs_admin"))
    assert (read.json()["status"], read.json()["status_label"]) == ("expired", "已过期")
    listed = await world.client.get(
        "/api/v1/certificates", params={"status": "active"}, headers=world.auth("yjs_admin")
    )
    assert listed.json()["total"] == 0
    expired = await world.client.get(
        "/api/v1/certificates", params={"status": "expired"}, headers=world.auth("yjs_admin")
    )
    assert expired.json()["total"] == 1
    refused = await world.client.post(
        f"{url}/suspend", json={"reason": "暂扣"}, headers=world.auth("yjs_admin")
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "certificate.invalid_transition"
    stored = await Certificate.get(id=cert["id"])
    assert stored.status == "expired"  # the lapse was written by the service first
    event = await OfficerEvent.filter(action="expire").first()
    assert event is not None
    assert event.actor_name == "system"
    assert (await audit.verify_chains()).broken is None


async def test_sweep_writes_expiries_and_ended_suspensions(
    timed: World, clock: FixedClock, settings: Settings
) -> None:
    world = timed
    lapsing = await issued_certificate(world, exams_on="2026-11-01", id_number=id_number(seq=1))
    held = await issued_certificate(world, exams_on="2026-11-01", id_number=id_number(seq=2))
    await world.client.post(
        f"/api/v1/certificates/{held['id']}/suspend",
        json={"reason": "限期整改", "until": "2026-12-31"},
        headers=world.auth("yjs_admin"),
    )
    clock.advance(timedelta(days=40))  # 2027-01-02
    services = Services.build(settings, clock)
    assert (await sweep(services)).reinstated == 1
    assert (await Certificate.get(id=held["id"])).status == "active"
    clock.advance(timedelta(days=5 * 365))
    result = await sweep(services)
    assert (result.expired, result.reinstated) == (2, 0)
    assert {c.status for c in await Certificate.all()} == {"expired"}
    assert (await sweep(services)).expired == 0
    assert lapsing["id"] != held["id"]
    assert await Officer.all().count() == 2
    expired = await Certificate.get(id=lapsing["id"])
    assert expired.ended_on == expired.valid_until  # the last valid day, not the sweep's day
    written = await OfficerEvent.filter(action="expire").values_list("actor_name", flat=True)
    assert sorted(written) == ["system", "system"]
    lifted = await OfficerEvent.get(action="reinstate", certificate_id=held["id"])
    assert (lifted.actor_name, lifted.reason) == ("system", "暂扣期满")
    assert (await audit.verify_chains()).broken is None


async def test_renewal_in_the_last_six_months_voids_the_old_certificate(
    timed: World, clock: FixedClock
) -> None:
    world = timed
    old = await issued_certificate(world, exams_on="2026-11-01")
    body = {
        "officer_id": old["officer_id"],
        "enforcement_area": "英吉沙县",
        "enforcement_categories": ["市场监管"],
    }
    early = await world.client.post("/api/v1/certificates", json=body, headers=world.auth("root"))
    assert early.status_code == 409
    assert [e["code"] for e in early.json()["errors"]] == [
        "eligibility.holds_certificate",
        "eligibility.general_law_exam",
        "eligibility.specialised_exam",
    ]
    clock.advance(datetime(2031, 7, 1, 9, 0, tzinfo=SHANGHAI) - clock.now())
    await world.relogin()
    await record_passed_exams(world, old["officer_id"], taken_on="2031-06-20")
    pending = await apply_for(world, old["officer_id"])
    issued = await world.client.post(
        f"/api/v1/certificates/{pending['id']}/issue", headers=world.auth("yjs_admin")
    )
    assert issued.status_code == 200, issued.text
    new = issued.json()
    assert (new["status"], new["replaces_id"]) == ("active", old["id"])
    assert new["number"] != old["number"]
    assert new["number"][8:10] == "31"  # the year of issue
    assert (new["valid_from"], new["valid_until"]) == ("2031-07-01", "2036-06-30")
    voided = await world.client.get(
        f"/api/v1/certificates/{old['id']}", headers=world.auth("yjs_admin")
    )
    assert voided.json()["status"] == "void"
    renew = await OfficerEvent.get(action="renew")
    assert renew.certificate_id == old["id"]  # type: ignore[attr-defined]
    assert (await audit.verify_chains()).broken is None
