"""Notification channels of agencies and officers (`PUT|GET .../channels`), a test message
to an agency's channels, and the outbox as staff see it."""

from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, get, post, put
from litestar.params import JSONBody

from service.domain.notifications import Channel, ChannelKind
from service.usecases import channels, notifications_log
from service.web.deps import ServicesDep, StaffDep
from service.web.params import Id, IdField, QueryId


class ChannelIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: ChannelKind
    target: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    # DingTalk's 加签 secret or the webhook's bearer token; null keeps the one set, "" removes it
    secret: Annotated[str, msgspec.Meta(max_length=200)] | None = None


ChannelsIn = Annotated[list[ChannelIn], msgspec.Meta(max_length=20)]


class ChannelOut(msgspec.Struct):
    id: int
    kind: str
    target: str
    has_secret: bool  # the secret itself is never answered
    blocked_until: str | None  # the channel asked us to wait (DingTalk's 10 minutes)


class TestIn(msgspec.Struct, forbid_unknown_fields=True):
    agency_id: IdField


class QueuedOut(msgspec.Struct):
    queued: int


class MessageOut(msgspec.Struct):
    id: int
    topic: str
    channel_kind: str | None
    channel_target: str | None
    status: str  # pending, sending, sent, unconfirmed, given_up
    attempts: int
    text: str
    created_at: str
    sent_at: str | None


def _wanted(data: list[ChannelIn]) -> list[Channel]:
    return [Channel(c.kind, c.target, c.secret) for c in data]


def _out(views: list[channels.ChannelView]) -> list[ChannelOut]:
    return [
        ChannelOut(
            v.id, str(v.kind), v.target, v.has_secret,
            v.blocked_until.isoformat() if v.blocked_until else None,
        )
        for v in views
    ]  # fmt: skip


class NotificationController(Controller):
    path = "/api/v1"
    tags: ClassVar[list[str]] = ["notifications"]

    @put("/agencies/{agency_id:int}/channels", summary="Set an agency's notification channels")
    async def set_agency(
        self, agency_id: Id, data: JSONBody[ChannelsIn], staff: StaffDep, services: ServicesDep
    ) -> list[ChannelOut]:
        """The whole list: `[{"kind": "wecom|dingtalk|email|webhook", "target", "secret"}]`.
        A robot or webhook target is an https URL (a WeCom robot's with `key=`, a
        DingTalk robot's with `access_token=`), an e-mail channel's an address. The
        agency hears of its officers' suspensions, revocations and failed reviews."""
        views = await channels.set_agency_channels(services, staff, agency_id, _wanted(data))
        return _out(views)

    @get("/agencies/{agency_id:int}/channels", summary="An agency's notification channels")
    async def agency(self, agency_id: Id, staff: StaffDep) -> list[ChannelOut]:
        return _out(await channels.agency_channels(staff, agency_id))

    @put("/officers/{officer_id:int}/channels", summary="Set an officer's notification channels")
    async def set_officer(
        self, officer_id: Id, data: JSONBody[ChannelsIn], staff: StaffDep, services: ServicesDep
    ) -> list[ChannelOut]:
        """As for an agency. The officer hears of their own suspension, revocation, failed
        review and decided claims."""
        views = await channels.set_officer_channels(services, staff, officer_id, _wanted(data))
        return _out(views)

    @get("/officers/{officer_id:int}/channels", summary="An officer's notification channels")
    async def officer(self, officer_id: Id, staff: StaffDep) -> list[ChannelOut]:
        return _out(await channels.officer_channels(staff, officer_id))

    @post("/notifications/test", status_code=202, summary="Send a test message")
    async def test(
        self, data: JSONBody[TestIn], staff: StaffDep, services: ServicesDep
    ) -> QueuedOut:
        """Queues a test message to each of the agency's channels; the worker delivers it."""
        return QueuedOut(await channels.send_test(services, staff, data.agency_id))

    @get("/notifications", summary="Messages queued and delivered")
    async def messages(self, staff: StaffDep, agency_id: QueryId = None) -> list[MessageOut]:
        """The newest 200 messages to channels of the caller's jurisdiction (of one agency
        and its officers, with `agency_id`), with where each went and its status."""
        found = await notifications_log.recent(staff, agency_id)
        return [
            MessageOut(
                m.id, str(m.topic), m.channel_kind, m.channel_target, str(m.status), m.attempts,
                m.text, m.created_at.isoformat(), m.sent_at.isoformat() if m.sent_at else None,
            )
            for m in found
        ]  # fmt: skip
