"""Appending to an officer's hash-chained event log (see `service.domain.audit`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.domain.access import Principal
from service.domain.audit import link_hash, timestamp
from service.domain.errors import NotFound
from service.store.models import CertificateEvent, Officer


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: a staff account, or the service itself (expiry, lapses)."""

    account_id: int | None
    name: str

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.account_id, principal.username)


SYSTEM = Actor(None, "system")


def event_content(
    *,
    officer_id: int,
    certificate_id: int | None,
    seq: int,
    action: str,
    actor_id: int | None,
    actor_name: str,
    at: datetime,
    reason: str,
    before: Any,
    after: Any,
) -> dict[str, Any]:
    """What an event's hash covers: every column but the hashes and the row id."""
    return {
        "officer_id": officer_id,
        "certificate_id": certificate_id,
        "seq": seq,
        "action": action,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "at": timestamp(at),
        "reason": reason,
        "before": before,
        "after": after,
    }


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event ready to store: the columns of `certificate_events` but the id."""

    officer_id: int
    certificate_id: int | None
    seq: int
    action: str
    actor_id: int | None
    actor_name: str
    at: datetime
    reason: str
    before: Any
    after: Any
    prev_hash: str
    hash: str


def chain_event(
    officer_id: int,
    head_seq: int,
    head_hash: str,
    *,
    action: str,
    actor: Actor,
    at: datetime,
    certificate_id: int | None = None,
    reason: str = "",
    before: Any = None,
    after: Any = None,
) -> NewEvent:
    """The next event after the head (not saved). The caller moves the head to it."""
    seq = head_seq + 1
    content = event_content(
        officer_id=officer_id,
        certificate_id=certificate_id,
        seq=seq,
        action=action,
        actor_id=actor.account_id,
        actor_name=actor.name,
        at=at,
        reason=reason,
        before=before,
        after=after,
    )
    return NewEvent(
        officer_id=officer_id,
        certificate_id=certificate_id,
        seq=seq,
        action=action,
        actor_id=actor.account_id,
        actor_name=actor.name,
        at=at,
        reason=reason,
        before=before,
        after=after,
        prev_hash=head_hash,
        hash=link_hash(head_hash, content),
    )


async def lock_chain(officer_id: int) -> Officer:
    """Lock the officer's chain head until the transaction ends; NotFound if no officer."""
    head = (
        await Officer.filter(id=officer_id)
        .select_for_update(no_key=True)
        .only("id", "chain_seq", "chain_head")
        .first()
    )
    if head is None:
        raise NotFound(f"No officer {officer_id}.", code="officer.not_found")
    return head


async def append_event(
    officer_id: int,
    *,
    action: str,
    actor: Actor,
    at: datetime,
    certificate_id: int | None = None,
    reason: str = "",
    before: Any = None,
    after: Any = None,
) -> CertificateEvent:
    """Append one event to the officer's chain. Call inside a transaction.

    The officer's row is locked first (on PostgreSQL; SQLite serialises transactions), so
    concurrent appends queue up instead of forking the chain; (officer, seq) is unique as
    a last guard. Raises NotFound when the officer does not exist.
    """
    head = await lock_chain(officer_id)
    new = chain_event(
        officer_id,
        head.chain_seq,
        head.chain_head,
        action=action,
        actor=actor,
        at=at,
        certificate_id=certificate_id,
        reason=reason,
        before=before,
        after=after,
    )
    event = await CertificateEvent.create(**{f: getattr(new, f) for f in NewEvent.__slots__})
    await Officer.filter(id=officer_id).update(chain_seq=event.seq, chain_head=event.hash)
    return event
