"""The notification worker: delivers the outbox, a channel at a time, within each
channel's limits.

Safe with several workers on several hosts: a worker holds the channels it claimed
(`store.outbox.claim_channels`), so each message goes to one worker, and a channel's
limits (a robot's 20 a minute) are counted by one worker at a time. A message is marked
`sending` and committed before its channel hears of it; if the worker stops before it
records the answer, the message is in doubt once its lease ends: a channel that drops
repeats by idempotency key (the webhook) gets it again, any other is marked `unconfirmed`
and never sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from service.domain.notifications import (
    DINGTALK_BLOCK,
    MAX_ATTEMPTS,
    ROBOT_PER_MINUTE,
    Answer,
    Channel,
    ChannelKind,
    MessageStatus,
    Sender,
    Verdict,
    joined,
    merged,
    next_try,
)
from service.store import outbox
from service.store.models import Delivery, NotificationChannel, OutboxMessage
from service.usecases.channels import channel_of
from service.usecases.notify_schedule import enqueue_scheduled
from service.usecases.services import Services

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
CHANNELS_A_ROUND = 20
MESSAGES_A_CHANNEL = 50
MINUTE = timedelta(minutes=1)
SCHEDULE_EVERY = 600.0  # seconds between looks for digests and reminders due


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(slots=True)
class Round:
    """What one round of the worker did."""

    sent: int = 0  # messages delivered (several may go in one merged text)
    retried: int = 0
    deferred: int = 0  # held back by a channel's limit or its request to wait
    given_up: int = 0
    unconfirmed: int = 0
    channels: int = 0


async def deliver_once(
    services: Services, senders: Mapping[ChannelKind, Sender], worker: str
) -> Round:
    """One round: settle deliveries in doubt, claim channels with messages due, deliver."""
    done = Round()
    await _settle_in_doubt(services, done)
    async with services.unit_of_work():
        claimed = await outbox.claim_channels(worker, services.now(), LEASE, CHANNELS_A_ROUND)
    try:
        for channel_id in claimed:
            done.channels += 1
            await _deliver_channel(services, senders, worker, channel_id, done)
    finally:  # a round cut short leaves no channel held for the rest of its lease
        async with services.unit_of_work():
            for channel_id in claimed:
                await outbox.release_channel(channel_id, worker)
    return done


async def run_worker(
    services: Services,
    senders: Mapping[ChannelKind, Sender],
    *,
    worker: str | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Rounds until `stop` is set, every NOTIFY_POLL_SECONDS (at once again while channels
    had messages), queueing digests and reminders due every 10 minutes. A round that
    fails (the database away) is logged and tried later."""
    name = worker or worker_name()
    stop = stop or asyncio.Event()
    scheduled_at = -SCHEDULE_EVERY
    while not stop.is_set():
        busy = False
        try:
            if time.monotonic() - scheduled_at >= SCHEDULE_EVERY:
                await enqueue_scheduled(services)
                scheduled_at = time.monotonic()
            busy = (await deliver_once(services, senders, name)).channels > 0
        except Exception:
            log.error("notification round failed", exc_info=True)
        if not busy:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), services.settings.notify_poll_seconds)


async def _settle_in_doubt(services: Services, done: Round) -> None:
    async with services.unit_of_work():
        for row in await outbox.in_doubt(services.now()):
            kind = row["channel__kind"]
            if kind is not None and ChannelKind(kind).deduplicates:
                status = MessageStatus.PENDING
            else:
                status = MessageStatus.UNCONFIRMED
                done.unconfirmed += 1
                await _log(services, row["channel_id"], [row["id"]], "unconfirmed", "", "")
            await OutboxMessage.filter(id=row["id"], status=MessageStatus.SENDING).update(
                status=status, lease_until=None
            )


async def _deliver_channel(
    services: Services,
    senders: Mapping[ChannelKind, Sender],
    worker: str,
    channel_id: int,
    done: Round,
) -> None:
    row = await NotificationChannel.get(id=channel_id)
    now = services.now()
    messages = await outbox.due_messages(channel_id, now, MESSAGES_A_CHANNEL)
    if row.blocked_until is not None and row.blocked_until > now:
        done.deferred += await _defer(messages, row.blocked_until)
        return
    channel = channel_of(services, row)
    recent: list[datetime] = []
    if channel.kind.is_robot:
        sends = (
            await Delivery.filter(channel_id=channel_id, verdict=Verdict.SENT, at__gt=now - MINUTE)
            .order_by("at")
            .values_list("at", flat=True)
        )
        recent = [cast(datetime, at) for at in sends]
        groups = merged([m.text for m in messages])
    else:
        groups = [[index] for index in range(len(messages))]
    for number, group in enumerate(groups):
        batch = [messages[i] for i in group]
        if channel.kind.is_robot and len(recent) >= ROBOT_PER_MINUTE:
            rest = [messages[i] for g in groups[number:] for i in g]
            done.deferred += await _defer(rest, min(recent) + MINUTE)
            return
        answer = await _send(services, senders[channel.kind], channel, batch, worker)
        await _record(services, row, batch, answer, done, worker)
        if answer.verdict is Verdict.SENT:
            recent.append(services.now())
        if answer.verdict is Verdict.THROTTLED:
            rest = [messages[i] for g in groups[number + 1 :] for i in g]
            done.deferred += await _defer(rest, services.now() + (answer.wait or MINUTE))
            return


async def _send(
    services: Services, sender: Sender, channel: Channel, batch: list[OutboxMessage], worker: str
) -> Answer:
    ids = [m.id for m in batch]
    async with services.unit_of_work():  # committed before the channel hears of it
        await OutboxMessage.filter(id__in=ids).update(
            status=MessageStatus.SENDING, lease_until=services.now() + LEASE
        )
    if len(batch) == 1:
        key, text = batch[0].key, batch[0].text
    else:
        key = "merged:" + hashlib.sha256("|".join(m.key for m in batch).encode()).hexdigest()[:40]
        text = joined(m.text for m in batch)
    return await sender.send(channel, text, key)


async def _record(
    services: Services,
    channel: NotificationChannel,
    batch: list[OutboxMessage],
    answer: Answer,
    done: Round,
    worker: str,
) -> None:
    now = services.now()
    async with services.unit_of_work():
        for message in batch:
            values: dict[str, object] = {"lease_until": None}
            if answer.verdict is Verdict.SENT:
                values |= {"status": MessageStatus.SENT, "sent_at": now}
                done.sent += 1
            elif answer.verdict is Verdict.THROTTLED:
                values |= {
                    "status": MessageStatus.PENDING,
                    "next_attempt_at": now + (answer.wait or MINUTE),
                }
                done.deferred += 1
            elif answer.verdict is Verdict.REFUSED or message.attempts + 1 >= MAX_ATTEMPTS:
                values |= {"status": MessageStatus.GIVEN_UP, "attempts": message.attempts + 1}
                done.given_up += 1
            else:
                attempts = message.attempts + 1
                values |= {
                    "status": MessageStatus.PENDING,
                    "attempts": attempts,
                    "next_attempt_at": next_try(now, attempts),
                }
                done.retried += 1
            await OutboxMessage.filter(id=message.id).update(**values)
        if answer.verdict is Verdict.THROTTLED and channel.kind is ChannelKind.DINGTALK:
            await NotificationChannel.filter(id=channel.id).update(
                blocked_until=now + DINGTALK_BLOCK
            )
        await _log(
            services, channel.id, [m.id for m in batch], answer.verdict, answer.detail, worker
        )


async def _defer(messages: list[OutboxMessage], until: datetime) -> int:
    if messages:
        await OutboxMessage.filter(id__in=[m.id for m in messages]).update(next_attempt_at=until)
    return len(messages)


async def _log(
    services: Services,
    channel_id: int | None,
    ids: list[int],
    verdict: str,
    detail: str,
    worker: str,
) -> None:
    await Delivery.create(
        channel_id=channel_id,
        message_ids=ids,
        at=services.now(),
        verdict=str(verdict),
        detail=detail[:300],
        worker=worker,
    )
