"""How a certificate's status changes: the one place that writes it.

`change` runs one action on one certificate in a unit of work: the row is locked
(PostgreSQL; SQLite serialises transactions) and checked against the version the caller
read, any lapse the stored status lags behind (an expiry, the end of a suspension) is
written first, the state machine (`domain.certificates.transition`) decides the new
status, and the row is written only if its version is still the one read, with an event
on the officer's chain. `review_writes` does the same for the annual review's verdicts,
set-based. A refused change writes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.domain.access import Action, Principal
from service.domain.certificates import CertificateStatus, effective_status, transition
from service.domain.errors import Conflict, DomainError
from service.domain.events import SYSTEM, Actor, Change, Event, EventAction, chain
from service.store import certificate_writes, events
from service.store.certificate_writes import RowWrite
from service.store.certificates import categories, snapshot
from service.store.lookups import one
from service.store.models import Certificate
from service.store.scoping import certificates_visible
from service.usecases.services import Services

LAPSE_REASONS = {EventAction.EXPIRE: "有效期届满", EventAction.REINSTATE: "暂扣期满"}

Prepare = Callable[[Certificate, Actor], Awaitable[dict[str, Any]]]
Then = Callable[[Certificate, Actor], Awaitable[Certificate | None]]


@dataclass(frozen=True, slots=True)
class Changed:
    certificate: Certificate  # as written
    created: Certificate | None = None  # what the action made: a reissue's replacement


async def write_change(
    services: Services,
    certificate: Certificate,
    action: EventAction,
    values: Mapping[str, Any],
    actor: Actor,
    reason: str,
) -> Certificate:
    """Move the certificate by `action` (the state machine decides the status), save it
    with `values` if its version is still the one read, and chain the event. Call inside
    a unit of work; returns the certificate as written.

    Raises Conflict `certificate.invalid_transition`, `certificate.concurrent_change`
    (another writer got there first).
    """
    status = transition(certificate.status, action)
    now = services.now()
    before = snapshot(certificate)
    written = {**values, "status": status, "status_reason": reason}
    if status is CertificateStatus.ACTIVE:
        written["card_returned_on"] = None  # in force again: the card is back with its holder
    if not await certificate_writes.write_if_version(
        certificate.id, certificate.version, written, now
    ):
        raise Conflict(
            "Someone else changed the certificate at the same moment; reload it.",
            code="certificate.concurrent_change",
        )
    for name, value in written.items():
        setattr(certificate, name, value)
    certificate.version += 1
    certificate.updated_at = now
    officer_id: int = certificate.officer_id  # type: ignore[attr-defined]
    change = Change(action, actor, now, certificate.id, reason, before, snapshot(certificate))
    await events.append(officer_id, change)
    return certificate


def lapse_of(certificate: Certificate, services: Services) -> EventAction | None:
    """The lapse the stored status has not caught up with: EXPIRE, REINSTATE (the end of
    a suspension), or None."""
    today = services.today()
    now = effective_status(
        certificate.status, certificate.valid_until, certificate.suspended_until, today
    )
    if now is certificate.status:
        return None
    return EventAction.EXPIRE if now is CertificateStatus.EXPIRED else EventAction.REINSTATE


async def catch_up(services: Services, certificate: Certificate) -> bool:
    """Write, as the service, the lapse the stored status lags behind. True if one was
    written. Call inside a unit of work, with the row locked."""
    lapse = lapse_of(certificate, services)
    if lapse is None:
        return False
    values: dict[str, Any] = {"suspended_until": None}
    if lapse is EventAction.EXPIRE:
        values["ended_on"] = certificate.valid_until
    await write_change(services, certificate, lapse, values, SYSTEM, LAPSE_REASONS[lapse])
    return True


async def change(
    services: Services,
    principal: Principal,
    certificate_id: int,
    action: EventAction,
    *,
    reason: str = "",
    expected_version: int | None = None,
    values: Mapping[str, Any] | None = None,
    prepare: Prepare | None = None,
    then: Then | None = None,
) -> Changed:
    """Run `action` on a certificate of the caller's jurisdiction, in its own unit of
    work: lock, check the version, catch up with lapses, check the transition, write
    `values` (or what `prepare` works out under the lock), chain the event, then `then`
    (which may create a certificate, returned as `created`).

    A lapse written on the way is kept even when the action is then refused. Raises
    NotFound `certificate.not_found`, Conflict (`certificate.stale_version`,
    `certificate.invalid_transition`, `certificate.concurrent_change`), Forbidden, and
    whatever `prepare` and `then` raise.
    """
    principal.require(Action.MANAGE_CERTIFICATES)
    actor = Actor.of(principal)
    refusal: DomainError | None = None
    created: Certificate | None = None
    async with services.unit_of_work() as uow:
        certificate = await locked(principal, certificate_id)
        if expected_version is not None and certificate.version != expected_version:
            raise Conflict(
                f"The certificate changed since it was read (version {certificate.version}, "
                f"not {expected_version}); reload it and decide again.",
                code="certificate.stale_version",
            )
        uow.public_views_changed()
        caught_up = await catch_up(services, certificate)
        try:
            transition(certificate.status, action)
        except Conflict as exc:
            if not caught_up:
                raise
            refusal = exc  # keep the lapse just written, refuse the action after commit
        else:
            written = await prepare(certificate, actor) if prepare else dict(values or {})
            await write_change(services, certificate, action, written, actor, reason)
            if then is not None:
                created = await then(certificate, actor)
    if refusal is not None:
        raise refusal
    return Changed(certificate, created)


async def locked(principal: Principal, certificate_id: int) -> Certificate:
    """The certificate of the caller's jurisdiction, its row locked until the unit of work
    ends (PostgreSQL; SQLite serialises writers). Raises NotFound `certificate.not_found`."""
    return await one(
        certificates_visible(principal)
        .filter(id=certificate_id)
        .select_for_update(no_key=True, of=("certificates",)),
        code="certificate.not_found",
        what=f"certificate {certificate_id}",
    )


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One certificate's verdict in an annual review; `row` is its `due_for_review` row."""

    row: Mapping[str, Any]
    passed: bool
    reason: str  # the event's reason: passed, or every failure in Chinese


@dataclass(frozen=True, slots=True)
class ReviewWrites:
    rows: list[RowWrite]
    events: list[Event]


def review_writes(
    now: datetime, actor: Actor, year: int, reviewed: Sequence[Reviewed]
) -> ReviewWrites:
    """The annual review's verdicts as writes, set-based: a pass records the year
    (REVIEW), a failure suspends (SUSPEND) with its reason, each with an event; a
    suspension that had ended is written first as the service's REINSTATE, as
    `catch_up` would. Pure (no database), so it can be built while the previous verdicts
    are being written; `store_reviews` writes them."""
    heads: dict[int, tuple[int, str]] = {}
    chained: list[Event] = []
    rows: list[RowWrite] = []
    for verdict in reviewed:
        row = verdict.row
        officer_id = int(row["officer_id"])
        seq, head = heads.get(officer_id, (int(row["chain_seq"]), str(row["chain_head"])))
        state = {  # the categories decoded once, not by each snapshot
            **row,
            "status": CertificateStatus(row["status"]),
            "enforcement_categories": categories(row["enforcement_categories"]),
        }
        steps: list[tuple[EventAction, Actor, str, dict[str, Any]]] = []
        status_reason: str | None = None
        if state["status"] is CertificateStatus.SUSPENDED:  # ended: due_for_review says so
            status_reason = LAPSE_REASONS[EventAction.REINSTATE]
            steps.append((EventAction.REINSTATE, SYSTEM, status_reason, {}))
        if verdict.passed:
            steps.append((EventAction.REVIEW, actor, verdict.reason, {"last_review_year": year}))
        else:
            status_reason = verdict.reason
            steps.append((EventAction.SUSPEND, actor, verdict.reason, {}))
        for action, by, reason, values in steps:
            before = snapshot(state)
            state = {
                **state,
                **values,
                "status": transition(state["status"], action),
                "suspended_until": None,
            }
            change = Change(action, by, now, int(row["id"]), reason, before, snapshot(state))
            event = chain(officer_id, seq, head, change)
            seq, head = event.seq, event.hash
            chained.append(event)
        heads[officer_id] = (seq, head)
        rows.append(
            RowWrite(
                certificate_id=int(row["id"]),
                status=state["status"],
                status_reason=status_reason,
                last_review_year=state["last_review_year"],
                changes=len(steps),
            )
        )
    return ReviewWrites(rows, chained)


async def store_reviews(now: datetime, writes: ReviewWrites) -> None:
    """`review_writes`, in the caller's unit of work; the rows must be locked with their
    officers."""
    await certificate_writes.write_rows(writes.rows, now)
    await events.append_many(writes.events)
