"""The notification outbox as stored: messages written with the events they report (in
the same transaction, by `events.append`/`append_many`), and the worker's claims.

A worker claims a channel, not a message: `claim_channels` takes channels with messages
due, `FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite serialises writers), under a lease.
Only the channel's holder delivers to it, so a channel's limits are counted by one worker
at a time, on every host.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from service.clock import SHANGHAI
from service.domain.events import Event
from service.domain.notifications import (
    TO_AGENCY,
    Facts,
    MessageStatus,
    Topic,
    text_of,
    topic_of,
)
from service.store import sql
from service.store.models import (
    Certificate,
    ExternalClaim,
    NotificationChannel,
    Officer,
    OutboxMessage,
)


def message_key(topic: Topic, origin: str, channel_id: int) -> str:
    """The idempotency key: one message per origin (an event's hash) and channel."""
    return f"{topic}:{origin[:48]}:{channel_id}"


async def enqueue_for_events(events: Sequence[Event]) -> int:
    """A message per channel of the officer (and, for a suspension, revocation or failed
    review, of the officer's agency) for each event worth telling. Call inside the
    event's transaction. Returns the number of messages written."""
    told = [(e, topic) for e in events if (topic := topic_of(e.action, e.reason)) is not None]
    if not told or not await NotificationChannel.all().exists():
        return 0  # the common case of a bureau with no channel: one cheap read
    officer_ids = {e.officer_id for e, _ in told}
    officers = {
        int(o["id"]): o
        for o in await Officer.filter(id__in=officer_ids).values(
            "id", "name", "agency_id", "agency__name"
        )
    }
    agency_ids = {int(o["agency_id"]) for o in officers.values()}
    of_officer: dict[int, list[int]] = {}
    of_agency: dict[int, list[int]] = {}
    for channel_id, officer_id, agency_id in await NotificationChannel.filter(
        Q(officer_id__in=officer_ids) | Q(agency_id__in=agency_ids)
    ).values_list("id", "officer_id", "agency_id"):
        owner = of_officer if officer_id is not None else of_agency
        owner.setdefault(int(officer_id or agency_id), []).append(int(channel_id))
    if not of_officer and not of_agency:
        return 0
    numbers = await _numbers([e.certificate_id for e, _ in told if e.certificate_id])
    titles = await _claim_titles([e for e, _ in told])
    rows: list[OutboxMessage] = []
    for event, topic in told:
        officer = officers[event.officer_id]
        facts = Facts(
            name=str(officer["name"]),
            agency=str(officer["agency__name"]),
            number=numbers.get(event.certificate_id or 0, ""),
            day=event.at.astimezone(SHANGHAI).date().isoformat(),
            reason=event.reason,
            title=titles.get(_claim_id(event), ""),
        )
        text = text_of(topic, facts)
        told_to = of_officer.get(event.officer_id, [])
        if topic in TO_AGENCY:
            told_to = told_to + of_agency.get(int(officer["agency_id"]), [])
        rows += [_message(topic, event.hash, i, text, event.at) for i in told_to]
    await OutboxMessage.bulk_create(rows)
    return len(rows)


def _message(topic: Topic, origin: str, channel_id: int, text: str, at: datetime) -> OutboxMessage:
    return OutboxMessage(
        key=message_key(topic, origin, channel_id),
        topic=topic,
        channel_id=channel_id,
        text=text,
        next_attempt_at=at,
        created_at=at,
    )


async def enqueue(
    topic: Topic, origin: str, channel_ids: Sequence[int], text: str, at: datetime
) -> int:
    """One message to each channel; a message whose key exists already is left alone (a
    second test message of the same second, a digest enqueued twice)."""
    keys = {message_key(topic, origin, i): i for i in channel_ids}
    found = await OutboxMessage.filter(key__in=list(keys)).values_list("key", flat=True)
    known = {str(key) for key in found}
    rows = [_message(topic, origin, i, text, at) for key, i in keys.items() if key not in known]
    await OutboxMessage.bulk_create(rows)
    return len(rows)


def _claim_id(event: Event) -> int:
    after = event.after if isinstance(event.after, dict) else {}
    return int(after.get("claim_id") or 0)


async def _numbers(certificate_ids: list[int]) -> dict[int, str]:
    if not certificate_ids:
        return {}
    found = await Certificate.filter(id__in=certificate_ids).values_list("id", "number")
    return {int(i): str(n or "") for i, n in found}


async def _claim_titles(events: list[Event]) -> dict[int, str]:
    ids = [i for e in events if (i := _claim_id(e))]
    if not ids:
        return {}
    found = await ExternalClaim.filter(id__in=ids).values_list("id", "title")
    return {int(i): str(t) for i, t in found}


_CLAIM = """
UPDATE notification_channels SET claimed_by = ?, lease_until = ?
WHERE id IN (
    SELECT c.id FROM notification_channels c
    WHERE (c.lease_until IS NULL OR c.lease_until < ?)
      AND EXISTS (SELECT 1 FROM notification_outbox m
                  WHERE m.channel_id = c.id AND m.status = 'pending' AND m.next_attempt_at <= ?)
    ORDER BY c.id LIMIT ? {lock})
RETURNING id
"""


async def claim_channels(worker: str, now: datetime, lease: timedelta, limit: int) -> list[int]:
    """Channels with messages due, now held by `worker` until the lease ends."""
    client = sql.connection()
    lock = "FOR UPDATE SKIP LOCKED" if sql.is_postgres(client) else ""
    rows = await sql.fetch(_CLAIM.format(lock=lock), [worker, now + lease, now, now, limit])
    return sorted(int(r["id"]) for r in rows)


async def release_channel(channel_id: int, worker: str) -> None:
    await NotificationChannel.filter(id=channel_id, claimed_by=worker).update(
        claimed_by=None, lease_until=None
    )


async def due_messages(channel_id: int, now: datetime, limit: int) -> list[OutboxMessage]:
    return (
        await OutboxMessage.filter(
            channel_id=channel_id, status=MessageStatus.PENDING, next_attempt_at__lte=now
        )
        .order_by("id")
        .limit(limit)
    )


async def in_doubt(now: datetime) -> list[dict[str, Any]]:
    """Messages a worker handed to their channel and stopped before it recorded the
    answer (its lease ran out): id, channel id and the channel's kind."""
    return list(
        await OutboxMessage.filter(status=MessageStatus.SENDING, lease_until__lt=now).values(
            "id", "channel_id", "channel__kind"
        )
    )
