"""Certificate lifecycle: apply, issue, suspend, reinstate, revoke, cancel, reissue.

Each change runs in one transaction: the certificate's row is locked (PostgreSQL; SQLite
serialises transactions), the state machine decides, the row is written only if its
version is still the one read, and an event joins the officer's hash chain. A refused
change writes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.transactions import in_transaction

from service.domain.access import Action, Principal
from service.domain.certificates import (
    CancelReason,
    CertificateAction,
    require_reason,
    transition,
    validate_categories,
)
from service.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from service.store.certificate_queries import loaded, snapshot
from service.store.models import Certificate
from service.store.scoping import certificates_visible
from service.usecases import issuing
from service.usecases.certificate_changes import catch_up, write_change
from service.usecases.events import Actor, append_event, lock_chain
from service.usecases.officers import officer_in_scope
from service.usecases.services import Services

A = CertificateAction


@dataclass(frozen=True, slots=True)
class NewCertificate:
    officer_id: int
    enforcement_area: str
    enforcement_categories: list[str]


async def apply_for_certificate(
    svc: Services, principal: Principal, new: NewCertificate
) -> Certificate:
    """File an application (pending), approved by the caller on the agency's behalf.

    Raises Conflict `certificate.ineligible` with every unmet condition in `errors`,
    InvalidInput (`certificate.bad_area`, `certificate.bad_categories`), NotFound
    (`officer.not_found`), Forbidden.
    """
    principal.require(Action.APPLY_CERTIFICATES)
    area = _area(new.enforcement_area)
    categories = validate_categories(new.enforcement_categories)
    officer = await officer_in_scope(principal, new.officer_id)
    now = svc.now()
    async with in_transaction():
        # Locking the officer's chain first makes two applications queue up, so the
        # second one sees the first as pending.
        await lock_chain(officer.id)
        await issuing.require_eligible(svc, officer)
        certificate = await Certificate.create(
            officer=officer,
            enforcement_area=area,
            enforcement_categories=categories,
            agency_approved_by_id=principal.account_id,
            agency_approved_at=now,
        )
        await append_event(
            officer.id,
            certificate_id=certificate.id,
            action=A.APPLY,
            actor=Actor.of(principal),
            at=now,
            after=snapshot(certificate),
        )
    return await _read(principal, certificate.id)


async def issue_certificate(
    svc: Services, principal: Principal, certificate_id: int, *, expected_version: int | None
) -> Certificate:
    """The justice bureau's approval: number, validity and status-list index assigned,
    status active. A renewal voids the certificate it renews.

    Raises Conflict (`certificate.invalid_transition`, `certificate.ineligible`,
    `certificate.stale_version`, `certificate.numbers_exhausted`), NotFound, Forbidden.
    """

    async def issue(certificate: Certificate, actor: Actor) -> dict[str, Any]:
        return await issuing.issue(svc, certificate, actor)

    return await _change(svc, principal, certificate_id, A.ISSUE, "", expected_version, issue)


async def suspend_certificate(
    svc: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: str,
    until: date | None,
    expected_version: int | None,
) -> Certificate:
    """Suspend (暂扣) with a reason and an optional last day of the suspension.

    Raises InvalidInput (`certificate.reason_required`, `certificate.bad_until`),
    Conflict (`certificate.invalid_transition`, `certificate.stale_version`), NotFound.
    """
    reason = require_reason(reason)
    if until is not None and until < svc.today():
        raise InvalidInput(
            "The suspension cannot end in the past.", code="certificate.bad_until", field="until"
        )
    return await _change(
        svc,
        principal,
        certificate_id,
        A.SUSPEND,
        reason,
        expected_version,
        _values(suspended_until=until),
    )


async def reinstate_certificate(
    svc: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: str,
    expected_version: int | None,
) -> Certificate:
    """Lift a suspension once remedied. Raises as `suspend_certificate`."""
    return await _change(
        svc,
        principal,
        certificate_id,
        A.REINSTATE,
        require_reason(reason),
        expected_version,
        _values(suspended_until=None),
    )


async def revoke_certificate(
    svc: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: str,
    expected_version: int | None,
) -> Certificate:
    """Revoke (吊销) for misconduct; the officer may not apply again for two years.
    Raises as `suspend_certificate`."""
    return await _change(
        svc,
        principal,
        certificate_id,
        A.REVOKE,
        require_reason(reason),
        expected_version,
        _values(ended_on=svc.today(), suspended_until=None),
    )


async def cancel_certificate(
    svc: Services,
    principal: Principal,
    certificate_id: int,
    *,
    reason: CancelReason,
    note: str,
    expected_version: int | None,
) -> Certificate:
    """Cancel (注销): retirement, transfer, resignation, dismissal, death, or other (with
    a note). A pending application can be withdrawn the same way.

    Raises InvalidInput `certificate.reason_required` for `other` without a note, and as
    `suspend_certificate`.
    """
    note = " ".join(note.split())
    if reason is CancelReason.OTHER and not note:
        raise InvalidInput(
            "Cancelling for another reason needs a note.",
            code="certificate.reason_required",
            field="note",
        )
    text = f"{reason.label}（{reason}）" + (f"：{note}" if note else "")
    return await _change(
        svc,
        principal,
        certificate_id,
        A.CANCEL,
        text,
        expected_version,
        _values(ended_on=svc.today(), suspended_until=None),
    )


async def reissue_certificate(
    svc: Services,
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
    area = _area(enforcement_area) if enforcement_area is not None else None
    categories = (
        validate_categories(enforcement_categories) if enforcement_categories is not None else None
    )
    replacement: list[Certificate] = []

    async def then(old: Certificate, actor: Actor) -> None:
        new = await issuing.replacement(svc, old, actor, reason, area=area, categories=categories)
        replacement.append(new)

    await _change(
        svc,
        principal,
        certificate_id,
        A.REISSUE,
        reason,
        expected_version,
        _values(ended_on=svc.today()),
        then=then,
    )
    return await _read(principal, replacement[0].id)


async def get_certificate(svc: Services, principal: Principal, certificate_id: int) -> Certificate:
    """The certificate, if in the caller's jurisdiction; NotFound otherwise."""
    principal.require(Action.READ_OFFICERS)
    return await _read(principal, certificate_id)


async def _read(principal: Principal, certificate_id: int) -> Certificate:
    found = await loaded(certificates_visible(principal).filter(id=certificate_id)).first()
    if found is None:
        raise NotFound(f"No certificate {certificate_id}.", code="certificate.not_found")
    return found


Prepare = Callable[[Certificate, Actor], Awaitable[dict[str, Any]]]


def _values(**values: Any) -> Prepare:
    async def prepare(_certificate: Certificate, _actor: Actor) -> dict[str, Any]:
        return values

    return prepare


async def _change(
    svc: Services,
    principal: Principal,
    certificate_id: int,
    action: CertificateAction,
    reason: str,
    expected_version: int | None,
    prepare: Prepare,
    *,
    then: Callable[[Certificate, Actor], Awaitable[None]] | None = None,
) -> Certificate:
    """Lock, catch up with lapses, check the transition and the version, write, chain."""
    principal.require(Action.MANAGE_CERTIFICATES)
    actor = Actor.of(principal)
    refusal: DomainError | None = None
    async with in_transaction():
        certificate = (
            await certificates_visible(principal)
            .filter(id=certificate_id)
            .select_for_update(no_key=True, of=("certificates",))
            .first()
        )
        if certificate is None:
            raise NotFound(f"No certificate {certificate_id}.", code="certificate.not_found")
        if expected_version is not None and certificate.version != expected_version:
            raise Conflict(
                f"The certificate changed since it was read (version {certificate.version}, "
                f"not {expected_version}); reload it and decide again.",
                code="certificate.stale_version",
            )
        caught_up = await catch_up(svc, certificate)
        try:
            after = transition(certificate.status, action)
        except Conflict as exc:
            if not caught_up:
                raise
            refusal = exc  # keep the lapse just written, refuse the action after commit
        else:
            values = await prepare(certificate, actor)
            await write_change(svc, certificate, action, after, values, actor, reason)
            if then is not None:
                await then(certificate, actor)
    await svc.public_views_changed()
    if refusal is not None:
        raise refusal
    return await _read(principal, certificate_id)


def _area(raw: str) -> str:
    area = " ".join(raw.split())
    if not 1 <= len(area) <= 200:
        raise InvalidInput(
            "The enforcement area has 1 to 200 characters.",
            code="certificate.bad_area",
            field="enforcement_area",
        )
    return area
