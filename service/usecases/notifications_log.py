"""The outbox as staff read it: the newest messages to channels of their jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q, Subquery

from service.domain.access import Action, Principal
from service.domain.notifications import MessageStatus, Topic
from service.store.models import OutboxMessage
from service.store.scoping import agencies_visible, officers_visible
from service.usecases.reference import get_agency

NEWEST = 200


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    topic: Topic
    channel_kind: str | None
    channel_target: str | None
    status: MessageStatus
    attempts: int
    text: str
    created_at: datetime
    sent_at: datetime | None


async def recent(principal: Principal, agency_id: int | None) -> list[Message]:
    """Raises NotFound `agency.not_found` (an agency outside the jurisdiction), Forbidden."""
    principal.require(Action.READ_OFFICERS)
    agencies = agencies_visible(principal)
    officers = officers_visible(principal)
    if agency_id is not None:
        agency = await get_agency(principal, agency_id)
        agencies, officers = agencies.filter(id=agency.id), officers.filter(agency_id=agency.id)
    rows = (
        await OutboxMessage.filter(
            Q(channel__agency_id__in=Subquery(agencies.values("id")))
            | Q(channel__officer_id__in=Subquery(officers.values("id")))
        )
        .order_by("-id")
        .limit(NEWEST)
        .values(
            "id", "topic", "channel__kind", "channel__target", "status", "attempts", "text",
            "created_at", "sent_at",
        )
    )  # fmt: skip
    return [
        Message(
            int(r["id"]), Topic(r["topic"]), r["channel__kind"], r["channel__target"],
            MessageStatus(r["status"]), int(r["attempts"]), str(r["text"]), r["created_at"],
            r["sent_at"],
        )
        for r in rows
    ]  # fmt: skip
