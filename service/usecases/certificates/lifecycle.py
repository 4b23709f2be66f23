"""The certificate lifecycle's commands: apply, issue, suspend, reinstate, revoke, cancel,
reissue. Each runs in one unit of work through `transitions.change` (apply, which makes
the certificate, chains its own event), and answers the certificate as the caller may
see it now. A refused command writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from service.domain.access import Action, Principal
from service.domain.certificates import (
    CancelReason,
    CertificateStatus,
    require_reason,
    transition,
    validate_area,
    validate_categories,
)
from service.domain.errors import InvalidInput
from service.domain.events import Actor, Change, EventAction
from service.domain.text import collapse
from service.store import events
from service.store.certificates import current_of, snapshot
from service.store.models import Certificate, Officer
from service.store.officers import lock_officer
from service.usecases.certificates import eligibility, numbering, queries
from service.usecases.certificates.transitions import catch_up, change, write_change
from service.usecases.officers import officer_in_scope
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class NewCertificate:
    officer_id: int
    enforcement_area: str
    enforcement_categories: list[str]


async def apply_for_certificate(
    services: Services, principal: Principal, new: NewCertificate
) -> Certificate:
    """File an application (pending), approved by the caller on the agency's behalf.

    Raises Conflict `certificate.ineligible` with every unmet condition in `errors`,
    InvalidInput (`certificate.bad_area`, `certificate.bad_categories`), NotFound
    (`officer.not_found`), Forbidden.
    """
    principal.require(Action.APPLY_CERTIFICATES)
    area = validate_area(new.enforcement_area)
    categories = validate_categories(new.enforcement_categories)
    officer = await officer_in_scope(principal, new.officer_id)
    now = services.now()
    async with services.unit_of_work():
        # Locking the officer first makes two applications queue up, so the second one
        # sees the first as pending.
        await lock_officer(officer.id)
        await eligibility.require_eligible(services, officer)
        certificate = await Certificate.create(
            officer=officer,
            enforcement_area=area,
            enforcement_categories=categories,
            agency_approved_by_id=principal.account_id,
            agency_approved_at=now,
        )
        change = Change(
            EventAction.APPLY, Actor.of(principal), now, certificate.id, after=snapshot(certificate)
        )
        await events.append(officer.id, change)
    return await queries.read(principal, certificate.id)


async def issue_certificate(
    services: Services,
    principal: Principal,
    certificate_id: int,
    *,
    expected_version: int | None = None,
) -> Certificate:
    """The justice bureau's approval: number, validity and status-list index assigned,
    status active. A renewal voids the certificate it renews.

    Raises Conflict (`certificate.invalid_transition`, `certificate.ineligible`,
    `certificate.stale_version`, `certificate.numbers_exhausted`), NotFound, Forbidden.
    """

    async def issued(certificate: Certificate, actor: Actor) -> dict[str, Any]:
        officer = await Officer.get(id=certificate.officer_id).select_related("agency")  # type: ignore[attr-defined]
        await eligibility.require_eligible(services, officer, exclude_id=certificate.id)
        renewed = await current_of(officer.id, exclude_id=certificate.id)
        if renewed is not None and await catch_up(services, renewed):
            renewed = renewed if renewed.status.is_current else None  # it expired by itself
        if renewed is not None:
            values = {"ended_on": services.today()}
            await write_change(services, renewed, EventAction.RENEW, values, actor, "换发新证")
        today = services.today()
        return {
            **await numbering.numbered(services, officer),
            "valid_from": today,
            "valid_until": services.settings.certificate_rules.valid_until(today),
            "replaces_id": renewed.id if renewed else None,
            "bureau_approved_by_id": actor.account_id,
            "bureau_approved_at": services.now(),
        }

    await change(
        services,
        principal,
        certificate_id,
        EventAction.ISSUE,
        expected_version=expected_version,
        prepare=issued,
    )
    return await queries.read(principal, certificate_id)


async def suspend_certificate(
    services: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: str,
    until: date | None,
    expected_version: int | None = None,
) -> Certificate:
    """Suspend (暂扣) with a reason and an optional last day of the suspension.

    Raises InvalidInput (`certificate.reason_required`, `certificate.bad_until`),
    Conflict (`certificate.invalid_transition`, `certificate.stale_version`), NotFound.
    """
    reason = require_reason(reason)
    if until is not None and until < services.today():
        raise InvalidInput(
            "The suspension cannot end in the past.", code="certificate.bad_until", field="until"
        )
    return await _simple(
        services, principal, certificate_id, EventAction.SUSPEND, reason, expected_version,
        suspended_until=until,
    )  # fmt: skip


async def reinstate_certificate(
    services: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> Certificate:
    """Lift a suspension once remedied. Raises as `suspend_certificate`."""
    return await _simple(
        services, principal, certificate_id, EventAction.REINSTATE, require_reason(reason),
        expected_version, suspended_until=None,
    )  # fmt: skip


async def revoke_certificate(
    services: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> Certificate:
    """Revoke (吊销) for misconduct; the officer may not apply again for two years.
    Raises as `suspend_certificate`."""
    return await _simple(
        services, principal, certificate_id, EventAction.REVOKE, require_reason(reason),
        expected_version, ended_on=services.today(), suspended_until=None,
    )  # fmt: skip


async def cancel_certificate(
    services: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: CancelReason,
    note: str,
    expected_version: int | None = None,
) -> Certificate:
    """Cancel (注销): retirement, transfer, resignation, dismissal, death, or other (with
    a note). A pending application can be withdrawn the same way.

    Raises InvalidInput `certificate.reason_required` for `other` without a note, and as
    `suspend_certificate`.
    """
    note = collapse(note)
    if reason is CancelReason.OTHER and not note:
        raise InvalidInput(
            "Cancelling for another reason needs a note.",
            code="certificate.reason_required",
            field="note",
        )
    text = f"{reason.label}（{reason}）" + (f"：{note}" if note else "")
    return await _simple(
        services, principal, certificate_id, EventAction.CANCEL, text, expected_version,
        ended_on=services.today(), suspended_until=None,
    )  # fmt: skip


async def reissue_certificate(
    services: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: str,
    enforcement_area: str | None = None,
    enforcement_categories: list[str] | None = None,
    expected_version: int | None = None,
) -> Certificate:
    """Replace a lost, damaged or changed card: the old one becomes void, a new one with a
    new number and the same validity is issued. Returns the new certificate.

    Raises as `suspend_certificate`, and InvalidInput for a bad area or categories.
    """
    reason = require_reason(reason)
    area = validate_area(enforcement_area) if enforcement_area is not None else None
    categories = (
        validate_categories(enforcement_categories) if enforcement_categories is not None else None
    )

    async def replacement(old: Certificate, actor: Actor) -> Certificate:
        officer = await Officer.get(id=old.officer_id).select_related("agency")  # type: ignore[attr-defined]
        now = services.now()
        new = await Certificate.create(
            officer_id=officer.id,
            status=transition(CertificateStatus.PENDING, EventAction.ISSUE),
            enforcement_area=area if area is not None else old.enforcement_area,
            enforcement_categories=old.enforcement_categories if categories is None else categories,
            valid_from=services.today(),
            valid_until=old.valid_until,
            last_review_year=old.last_review_year,
            replaces_id=old.id,
            agency_approved_by_id=old.agency_approved_by_id,  # type: ignore[attr-defined]
            agency_approved_at=old.agency_approved_at,
            bureau_approved_by_id=actor.account_id,
            bureau_approved_at=now,
            status_reason=f"补发，替换 {old.number}",
            **await numbering.numbered(services, officer),
        )
        why = f"补发，替换 {old.number}：{reason}"
        change = Change(EventAction.REISSUE, actor, now, new.id, why, after=snapshot(new))
        await events.append(officer.id, change)
        return new

    changed = await change(
        services,
        principal,
        certificate_id,
        EventAction.REISSUE,
        reason=reason,
        expected_version=expected_version,
        values={"ended_on": services.today()},
        then=replacement,
    )
    if changed.created is None:  # pragma: no cover - `replacement` always makes one
        raise AssertionError("a reissue made no replacement")
    return await queries.read(principal, changed.created.id)


async def _simple(
    services: Services,
    principal: Principal,
    certificate_id: int,
    action: EventAction,
    reason: str,
    expected_version: int | None,
    **values: Any,
) -> Certificate:
    await change(
        services,
        principal,
        certificate_id,
        action,
        reason=reason,
        expected_version=expected_version,
        values=values,
    )
    return await queries.read(principal, certificate_id)
