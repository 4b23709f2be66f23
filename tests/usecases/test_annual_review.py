"""The annual review through its use case, without HTTP, on SQLite and PostgreSQL: a pass
records the year, a failure suspends with every reason, and a suspension that had ended
is written down first, as any other change would."""

from __future__ import annotations

from datetime import date

from service.domain.certificates import CertificateStatus
from service.domain.hours import HourCategory
from service.store.models import Certificate, Officer, OfficerEvent
from service.usecases.annual_review import run_annual_review
from service.usecases.audit import verify_chains
from tests.integration.world import credit
from tests.usecases.conftest import County


async def held_since_2024(
    officer: Officer, status: CertificateStatus, suspended_until: date | None = None
) -> Certificate:
    return await Certificate.create(
        officer_id=officer.id,
        number=None,
        status=status,
        enforcement_area="英吉沙县",
        enforcement_categories=["市场监管"],
        valid_from=date(2024, 3, 1),
        valid_until=date(2029, 2, 28),
        suspended_until=suspended_until,
    )


async def trained(officer: Officer, public_law: int, professional: int) -> None:
    await credit(officer.id, HourCategory.PUBLIC_LAW, public_law, 2025)
    await credit(officer.id, HourCategory.PROFESSIONAL, professional, 2025)


async def actions(certificate: Certificate) -> list[tuple[str, str]]:
    found = OfficerEvent.filter(certificate_id=certificate.id).order_by("seq")
    return [(str(a), n) for a, n in await found.values_list("action", "actor_name")]


async def test_passes_record_the_year_and_failures_suspend_with_every_reason(
    county: County,
) -> None:
    good, short = await county.officer("张伟"), await county.officer("李娜")
    await trained(good, 200, 400)
    await trained(short, 200, 300)
    passes = await held_since_2024(good, CertificateStatus.ACTIVE)
    fails = await held_since_2024(short, CertificateStatus.ACTIVE)

    run = await run_annual_review(county.services, county.bureau, 2025, "653123", dry_run=False)
    assert (run.passed, run.failed) == (1, 1)
    assert (await Certificate.get(id=passes.id)).last_review_year == 2025
    suspended = await Certificate.get(id=fails.id)
    assert suspended.status is CertificateStatus.SUSPENDED
    assert (
        suspended.status_reason
        == "2025年度审验不合格：学时未达标：业务知识和行政执法技能差10.0学时，总学时差10.0学时"
    )
    assert await actions(passes) == [("annual_review", "yjs_admin")]
    assert await actions(fails) == [("suspend", "yjs_admin")]
    assert (await verify_chains()).broken is None


async def test_a_suspension_that_has_ended_is_written_down_then_reviewed(county: County) -> None:
    officer = await county.officer()
    await trained(officer, 200, 400)
    lapsed = await held_since_2024(officer, CertificateStatus.SUSPENDED, date(2026, 5, 31))

    run = await run_annual_review(county.services, county.bureau, 2025, "653123", dry_run=False)
    assert [r.certificate_id for r in run.results if r.passed] == [lapsed.id]
    stored = await Certificate.get(id=lapsed.id)
    assert (stored.status, stored.suspended_until, stored.last_review_year) == (
        CertificateStatus.ACTIVE, None, 2025
    )  # fmt: skip
    assert stored.version == lapsed.version + 2  # two changes, as two writes would make
    assert await actions(lapsed) == [("reinstate", "system"), ("annual_review", "yjs_admin")]
    assert (await verify_chains()).broken is None


async def test_a_dry_run_writes_nothing(county: County) -> None:
    officer = await county.officer()
    certificate = await held_since_2024(officer, CertificateStatus.ACTIVE)
    run = await run_annual_review(county.services, county.bureau, 2025, "653123", dry_run=True)
    assert [r.passed for r in run.results] == [False]
    stored = await Certificate.get(id=certificate.id)
    assert (stored.status, stored.version) == (CertificateStatus.ACTIVE, certificate.version)
    assert await actions(certificate) == []
