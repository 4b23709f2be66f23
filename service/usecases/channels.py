"""Agencies' and officers' notification channels: set as a whole list, read back without
their secrets, and a test message to an agency's channels.

A channel's secret (DingTalk's 加签, a webhook's token) is sealed with the key-encryption
key, bound to the channel's kind and target. Setting the list keeps a channel that is
given again (its queue and its limits with it) and its secret when none is given; an
empty secret removes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.domain.access import Action, Principal
from service.domain.errors import InvalidInput
from service.domain.notifications import (
    MAX_CHANNELS,
    Channel,
    ChannelKind,
    Facts,
    Topic,
    text_of,
    validate_channel,
)
from service.store import outbox
from service.store.models import NotificationChannel
from service.usecases.officers import officer_in_scope
from service.usecases.reference import get_agency
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class ChannelView:
    id: int
    kind: ChannelKind
    target: str
    has_secret: bool
    blocked_until: datetime | None


def _purpose(kind: ChannelKind, target: str) -> str:
    return f"channel:{kind}:{target}"


def channel_of(services: Services, row: NotificationChannel) -> Channel:
    """The channel with its secret opened. Raises KeyEncryptionError (another KEK)."""
    secret = None
    if row.secret_sealed:
        sealed = bytes(row.secret_sealed)
        secret = services.sealer.open_bytes(_purpose(row.kind, row.target), sealed).decode()
    return Channel(row.kind, row.target, secret)


def _view(row: NotificationChannel) -> ChannelView:
    return ChannelView(row.id, row.kind, row.target, bool(row.secret_sealed), row.blocked_until)


async def _replace(
    services: Services, owner: dict[str, int], wanted: list[Channel]
) -> list[ChannelView]:
    if len(wanted) > MAX_CHANNELS:
        raise InvalidInput(
            f"At most {MAX_CHANNELS} channels.", code="channel.too_many", field="channels"
        )
    checked = [validate_channel(c, allow_http=services.settings.notify_allow_http) for c in wanted]
    if len({(c.kind, c.target) for c in checked}) < len(checked):
        raise InvalidInput("A channel is given twice.", code="channel.duplicate", field="channels")
    async with services.unit_of_work():
        existing = {(r.kind, r.target): r for r in await NotificationChannel.filter(**owner)}
        keep = {(c.kind, c.target) for c in checked}
        gone = [r.id for key, r in existing.items() if key not in keep]
        if gone:
            await NotificationChannel.filter(id__in=gone).delete()
        for channel in checked:
            row = existing.get((channel.kind, channel.target))
            secret = channel.secret
            purpose = _purpose(channel.kind, channel.target)
            sealed = services.sealer.seal_bytes(purpose, secret.encode()) if secret else None
            if row is None:
                await NotificationChannel.create(
                    agency_id=owner.get("agency_id"),
                    officer_id=owner.get("officer_id"),
                    kind=channel.kind,
                    target=channel.target,
                    secret_sealed=sealed,
                )
            elif secret is not None:  # a new secret, or "" to remove the one it has
                await NotificationChannel.filter(id=row.id).update(secret_sealed=sealed)
    return await _list(owner)


async def _list(owner: dict[str, int]) -> list[ChannelView]:
    return [_view(r) for r in await NotificationChannel.filter(**owner).order_by("id")]


async def set_agency_channels(
    services: Services, principal: Principal, agency_id: int, wanted: list[Channel]
) -> list[ChannelView]:
    """Raises InvalidInput (`channel.bad_target`, `channel.bad_secret`, `channel.too_many`,
    `channel.duplicate`), NotFound `agency.not_found`, Forbidden."""
    principal.require(Action.MANAGE_OFFICERS)
    agency = await get_agency(principal, agency_id)
    return await _replace(services, {"agency_id": agency.id}, wanted)


async def agency_channels(principal: Principal, agency_id: int) -> list[ChannelView]:
    principal.require(Action.READ_OFFICERS)
    agency = await get_agency(principal, agency_id)
    return await _list({"agency_id": agency.id})


async def set_officer_channels(
    services: Services, principal: Principal, officer_id: int, wanted: list[Channel]
) -> list[ChannelView]:
    """As `set_agency_channels`, for an officer (NotFound `officer.not_found`)."""
    principal.require(Action.MANAGE_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    return await _replace(services, {"officer_id": officer.id}, wanted)


async def officer_channels(principal: Principal, officer_id: int) -> list[ChannelView]:
    principal.require(Action.READ_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    return await _list({"officer_id": officer.id})


async def send_test(services: Services, principal: Principal, agency_id: int) -> int:
    """Queue a test message to each of the agency's channels; the number queued. Raises
    InvalidInput `channel.none` (the agency has no channel), NotFound, Forbidden."""
    principal.require(Action.MANAGE_OFFICERS)
    agency = await get_agency(principal, agency_id)
    ids = [r.id for r in await NotificationChannel.filter(agency_id=agency.id)]
    if not ids:
        raise InvalidInput(
            f"{agency.name} has no notification channel.", code="channel.none", field="agency_id"
        )
    now = services.now()
    day = services.today().isoformat()
    text = text_of(Topic.TEST, Facts(name="", agency=agency.name, number="", day=day, reason=""))
    async with services.unit_of_work():
        return await outbox.enqueue(Topic.TEST, f"test-{now.timestamp():.6f}", ids, text, now)
