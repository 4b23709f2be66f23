"""The certificate lifecycle through its use cases, without HTTP, on SQLite and
PostgreSQL: every command writes its event, refuses what the state machine refuses, and
tells the public cache only once its change has committed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from service.clock import FixedClock
from service.domain.certificates import CancelReason, CertificateStatus
from service.domain.errors import Conflict
from service.store.models import Certificate, OfficerEvent
from service.usecases.audit import verify_chains
from service.usecases.certificates import lifecycle, queries
from service.usecases.services import PUBLIC_GENERATION, Services
from tests.usecases.conftest import County


async def applied(county: County) -> Certificate:
    officer = await county.officer()
    new = lifecycle.NewCertificate(officer.id, "英吉沙县", ["市场监管", "食品安全"])
    return await lifecycle.apply_for_certificate(county.services, county.root, new)


async def actions(certificate_id: int) -> list[str]:
    found = OfficerEvent.filter(certificate_id=certificate_id).order_by("seq")
    return [str(action) for action in await found.values_list("action", flat=True)]


async def generation(services: Services) -> bytes | None:
    return await services.cache.get(PUBLIC_GENERATION)


async def test_issue_numbers_the_application_and_chains_apply_then_issue(county: County) -> None:
    pending = await applied(county)
    assert (pending.status, pending.number) == (CertificateStatus.PENDING, None)
    issued = await lifecycle.issue_certificate(county.services, county.bureau, pending.id)
    assert issued.status is CertificateStatus.ACTIVE
    assert issued.number is not None and issued.number.startswith("6531230326")
    assert (issued.valid_from, issued.valid_until) == (date(2026, 6, 20), date(2031, 6, 19))
    assert issued.issuing_agency.id == county.justice_id
    assert await actions(issued.id) == ["apply", "issue"]
    assert (await verify_chains()).broken is None


async def test_issue_refuses_a_stale_version_and_writes_nothing(county: County) -> None:
    pending = await applied(county)
    with pytest.raises(Conflict) as refused:
        await lifecycle.issue_certificate(
            county.services, county.bureau, pending.id, expected_version=pending.version + 1
        )
    assert refused.value.code == "certificate.stale_version"
    stored = await Certificate.get(id=pending.id)
    assert (stored.status, stored.number, stored.version) == (
        CertificateStatus.PENDING, None, pending.version
    )  # fmt: skip
    assert await actions(pending.id) == ["apply"]


async def test_suspend_reinstate_revoke_walk_the_state_machine(county: County) -> None:
    services, bureau = county.services, county.bureau
    issued = await lifecycle.issue_certificate(services, bureau, (await applied(county)).id)
    until = date(2026, 8, 1)
    held = await lifecycle.suspend_certificate(
        services, bureau, issued.id, reason="  涉嫌违规  执法 ", until=until
    )
    assert (held.status, held.suspended_until, held.status_reason) == (
        CertificateStatus.SUSPENDED, until, "涉嫌违规 执法"
    )  # fmt: skip
    back = await lifecycle.reinstate_certificate(services, bureau, issued.id, reason="整改完毕")
    assert (back.status, back.suspended_until) == (CertificateStatus.ACTIVE, None)
    gone = await lifecycle.revoke_certificate(services, bureau, issued.id, reason="出借证件")
    assert (gone.status, gone.ended_on) == (CertificateStatus.REVOKED, date(2026, 6, 20))
    with pytest.raises(Conflict) as refused:
        await lifecycle.reinstate_certificate(services, bureau, issued.id, reason="再议")
    assert refused.value.code == "certificate.invalid_transition"
    assert refused.value.extra == {"from_status": "revoked", "action": "reinstate"}
    assert await actions(issued.id) == ["apply", "issue", "suspend", "reinstate", "revoke"]


async def test_reissue_returns_the_replacement_and_voids_the_old_card(county: County) -> None:
    services, bureau = county.services, county.bureau
    old = await lifecycle.issue_certificate(services, bureau, (await applied(county)).id)
    new = await lifecycle.reissue_certificate(
        services, bureau, old.id, reason="证件遗失", enforcement_categories=["市场监管"]
    )
    assert new.id != old.id and new.number != old.number
    assert new.status is CertificateStatus.ACTIVE
    assert (new.valid_until, new.enforcement_categories) == (old.valid_until, ["市场监管"])
    assert new.replaces_id == old.id  # type: ignore[attr-defined]
    voided = await queries.get_certificate(bureau, old.id)
    assert voided.status is CertificateStatus.VOID
    assert await actions(old.id) == ["apply", "issue", "reissue"]
    assert await actions(new.id) == ["reissue"]


async def test_cancel_withdraws_a_pending_application(county: County) -> None:
    pending = await applied(county)
    cancelled = await lifecycle.cancel_certificate(
        county.services, county.bureau, pending.id, reason=CancelReason.TRANSFERRED, note=""
    )
    assert cancelled.status is CertificateStatus.CANCELLED
    assert cancelled.status_reason == "调离执法岗位（transferred）"


async def test_a_lapse_is_written_even_when_the_action_after_it_is_refused(
    county: County, clock: FixedClock
) -> None:
    services, bureau = county.services, county.bureau
    issued = await lifecycle.issue_certificate(services, bureau, (await applied(county)).id)
    assert issued.valid_until is not None
    clock.advance(issued.valid_until - date(2026, 6, 20) + timedelta(days=1))
    with pytest.raises(Conflict) as refused:
        await lifecycle.suspend_certificate(services, bureau, issued.id, reason="x", until=None)
    assert refused.value.code == "certificate.invalid_transition"
    assert (await Certificate.get(id=issued.id)).status is CertificateStatus.EXPIRED
    assert await actions(issued.id) == ["apply", "issue", "expire"]


async def test_the_public_cache_moves_on_only_after_a_committed_change(county: County) -> None:
    services, bureau = county.services, county.bureau
    issued = await lifecycle.issue_certificate(services, bureau, (await applied(county)).id)
    after_issue = await generation(services)
    assert after_issue is not None
    with pytest.raises(Conflict):
        await lifecycle.reinstate_certificate(services, bureau, issued.id, reason="未暂扣")
    assert await generation(services) == after_issue  # refused: rolled back, no hook
    await lifecycle.suspend_certificate(services, bureau, issued.id, reason="调查", until=None)
    assert await generation(services) not in (None, after_issue)


async def test_a_failing_cache_never_fails_a_committed_suspension(
    county: County, caplog: pytest.LogCaptureFixture
) -> None:
    services, bureau = county.services, county.bureau
    issued = await lifecycle.issue_certificate(services, bureau, (await applied(county)).id)
    calls: list[int] = []
    real_set = services.cache.set

    async def flaky_set(key: str, value: str | bytes, expires_in: object = None) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("redis is restarting")
        await real_set(key, value)

    services.after_commit.first_delay = 0.01
    services.cache.set = flaky_set  # type: ignore[method-assign]
    held = await lifecycle.suspend_certificate(
        services, bureau, issued.id, reason="调查", until=None
    )
    assert held.status is CertificateStatus.SUSPENDED
    await services.after_commit.drain()
    assert len(calls) == 2  # failed once, retried once
    assert "after-commit hook 'public views changed' failed" in caplog.text
