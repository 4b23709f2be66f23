"""Messages nobody's change triggers, queued by the worker on its rounds: each agency's
weekly digest, and an officer's own reminders when one turns amber and again when red.

Each is queued once, whatever the number of workers and rounds: its idempotency key
names the agency and the ISO week, or the officer, the reminder and its level."""

from __future__ import annotations

from datetime import time

from tortoise.exceptions import IntegrityError

from service.clock import SHANGHAI
from service.domain.access import Principal, Role, Scope
from service.domain.notifications import Topic, fit
from service.domain.reminders import ReminderKind
from service.domain.training import ClaimStatus
from service.store import outbox
from service.store.models import Agency, ExternalClaim, NotificationChannel, Officer, OutboxMessage
from service.store.scoping import certificates_visible
from service.usecases import reminders
from service.usecases.certificates.custody import owed
from service.usecases.services import Services

DIGEST_FROM = time(8, 0)  # Monday's digest goes out from 08:00 in Beijing
NAMES_IN_DIGEST = 5


def _system(role: Role, scope: Scope, officer_id: int | None = None) -> Principal:
    """Who the schedule reads as: nobody's account, only reads."""
    return Principal(0, "notifications", role, scope, officer_id)


async def enqueue_scheduled(services: Services) -> int:
    """Queue what is due now; the number of messages queued."""
    return await _digests(services) + await _reminders(services)


async def _queue(services: Services, topic: Topic, origin: str, ids: list[int], text: str) -> int:
    try:
        async with services.unit_of_work():
            return await outbox.enqueue(topic, origin, ids, text, services.now())
    except IntegrityError:  # another worker queued it at the same moment
        return 0


async def _digests(services: Services) -> int:
    now = services.now().astimezone(SHANGHAI)
    if now.weekday() == 0 and now.time() < DIGEST_FROM:
        return 0
    year, week, _ = now.isocalendar()
    queued = 0
    for agency_id, channel_ids in await _channels_of("agency_id"):
        origin = f"digest-{agency_id}-{year}W{week:02d}"
        keys = [outbox.message_key(Topic.DIGEST, origin, i) for i in channel_ids]
        if await OutboxMessage.filter(key__in=keys).count() == len(keys):
            continue
        text = await _digest_text(services, agency_id)
        queued += await _queue(services, Topic.DIGEST, origin, channel_ids, text)
    return queued


async def _digest_text(services: Services, agency_id: int) -> str:
    agency = await Agency.get(id=agency_id)
    reader = _system(Role.AGENCY_ADMIN, Scope(agency_id=agency_id))
    found = await reminders.alerts(services, reader, limit=NAMES_IN_DIGEST)
    counts = {kind: found.counts.get(str(kind), {"amber": 0, "red": 0}) for kind in ReminderKind}
    claims = await ExternalClaim.filter(
        officer__agency_id=agency_id, status=ClaimStatus.PENDING
    ).count()
    cards = await owed(certificates_visible(reader), services.today()).count()
    short = counts[ReminderKind.HOURS_SHORT]
    review = counts[ReminderKind.REVIEW_DUE]
    expiry = counts[ReminderKind.EXPIRY]
    names = "、".join(
        a.officer_name for a in found.items if a.reminder.kind is ReminderKind.HOURS_SHORT
    )
    lines = [
        f"【每周通知】{agency.name}（{services.today().isoformat()}）",
        f"学时不足：{short['amber'] + short['red']} 人（已逾期 {short['red']} 人）"
        + (f"，如 {names}" if names else ""),
        f"年审待办：{review['amber'] + review['red']} 件（已逾期 {review['red']} 件）",
        f"证件到期：{expiry['amber'] + expiry['red']} 件（已到期 {expiry['red']} 件）",
        f"待审核学时申报：{claims} 件",
        f"待收回证件：{cards} 张",
    ]
    return fit("\n".join(lines))


async def _channels_of(owner: str) -> list[tuple[int, list[int]]]:
    """(agency or officer id, its channel ids), by id, for `owner` "agency_id" or
    "officer_id"."""
    found: dict[int, list[int]] = {}
    rows = await NotificationChannel.filter(**{f"{owner}__isnull": False}).values_list(owner, "id")
    for owner_id, channel_id in rows:
        found.setdefault(int(owner_id), []).append(int(channel_id))
    return sorted(found.items())


async def _reminders(services: Services) -> int:
    """Officers with channels of their own: each reminder once amber, once red."""
    owners = await _channels_of("officer_id")
    names = dict(await Officer.filter(id__in=[i for i, _ in owners]).values_list("id", "name"))
    queued = 0
    for officer_id, channel_ids in owners:
        reader = _system(Role.OFFICER, Scope(), officer_id)  # own_reminders reads its own
        for reminder in await reminders.own_reminders(services, reader):
            origin = f"reminder-{officer_id}-{reminder.kind}-{reminder.deadline}-{reminder.level}"
            text = fit(f"【提醒】{names.get(officer_id, '')}：{reminder.message}")
            queued += await _queue(services, Topic.REMINDER, origin, channel_ids, text)
    return queued
