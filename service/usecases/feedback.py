"""Complaints and praise from the public (投诉/表扬), and their handling by staff.

The public asks for a form token first (good for 30 minutes and for one submission, kept
in the database so every host honours it), then posts with it; submissions about one
certificate are limited per hour whoever sends them, on top of the public routes' limit
per client. Each item and its resolution are events on the officer's timeline. The
sender's contact is for staff only: no public answer carries it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Subquery

from service.domain.access import Action, Principal
from service.domain.errors import Conflict, InvalidInput, NotFound, TooMany
from service.domain.events import Actor, Change, EventAction
from service.domain.feedback import (
    FORM_LIFETIME,
    PER_CERTIFICATE_PER_HOUR,
    FeedbackKind,
    FeedbackStatus,
    reference,
    validate_contact,
    validate_text,
)
from service.domain.numbering import parse_number
from service.domain.text import collapse
from service.store import events
from service.store.lookups import one
from service.store.models import Certificate, Feedback, FeedbackForm
from service.store.paging import Page, paginate
from service.store.scoping import officers_visible
from service.usecases.services import Services

PUBLIC = Actor(None, "public")  # who a submission's event names: the public, no one in particular


@dataclass(frozen=True, slots=True)
class FormToken:
    token: str
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _certificate(number: str) -> Certificate:
    """Raises InvalidInput `certificate.bad_number`, NotFound `certificate.not_found`."""
    number = parse_number(number)
    found = await Certificate.get_or_none(number=number)
    if found is None:
        raise NotFound(f"No certificate has the number {number}.", code="certificate.not_found")
    return found


async def feedback_form(services: Services, number: str) -> FormToken:
    """A one-time form token for a submission about this certificate."""
    certificate = await _certificate(number)
    token = secrets.token_urlsafe(24)
    expires = services.now() + FORM_LIFETIME
    await FeedbackForm.create(
        token_hash=_hash(token), number=certificate.number, expires_at=expires
    )
    return FormToken(token, expires)


async def submit_feedback(
    services: Services,
    number: str,
    *,
    kind: FeedbackKind,
    text: str,
    contact: str | None,
    form_token: str,
) -> Feedback:
    """Record a complaint or praise; answers it with its reference. Raises InvalidInput
    (`feedback.bad_text`, `feedback.bad_contact`, `certificate.bad_number`),
    `feedback.bad_form_token` (unknown, used, expired, or for another certificate),
    TooMany `feedback.too_many` (this certificate had its hour's share), NotFound."""
    text = validate_text(text)
    contact = validate_contact(contact)
    certificate = await _certificate(number)
    now = services.now()
    async with services.unit_of_work():
        used = await FeedbackForm.filter(
            token_hash=_hash(form_token),
            number=certificate.number,
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(used_at=now)
        if not used:
            raise InvalidInput(
                "The form has expired or was sent already: open it again.",
                code="feedback.bad_form_token",
                field="form_token",
            )
        recent = await Feedback.filter(
            certificate_id=certificate.id, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= PER_CERTIFICATE_PER_HOUR:
            raise TooMany(
                "This certificate has had enough submissions this hour; try later.",
                code="feedback.too_many",
            )
        officer_id: int = certificate.officer_id  # type: ignore[attr-defined]
        item = await Feedback.create(
            certificate_id=certificate.id, officer_id=officer_id, kind=kind, text=text,
            contact=contact, created_at=now,
        )  # fmt: skip
        item.reference = reference(services.today(), item.id)
        await item.save(update_fields=["reference"])
        after = {"feedback_id": item.id, "reference": item.reference, "kind": str(kind)}
        change = Change(
            EventAction.FEEDBACK, PUBLIC, now, certificate.id, f"{kind.label}：{text}", after=after
        )
        await events.append(officer_id, change)
    return item


async def list_feedback(
    principal: Principal, *, status: FeedbackStatus | None, page: int, page_size: int
) -> Page[Feedback]:
    """Complaints and praise about officers of the caller's jurisdiction, newest first."""
    principal.require(Action.READ_OFFICERS)
    query = Feedback.filter(officer_id__in=Subquery(officers_visible(principal).values("id")))
    if status is not None:
        query = query.filter(status=status)
    loaded = query.select_related("certificate", "officer__agency").order_by("-id")
    return await paginate(loaded, page, page_size)


async def resolve_feedback(
    services: Services, principal: Principal, feedback_id: int, outcome: str, note: str
) -> Feedback:
    """Close an item with its outcome (an event on the officer's timeline). Raises
    NotFound `feedback.not_found`, InvalidInput `feedback.bad_outcome`, Conflict
    `feedback.resolved_already`, Forbidden."""
    principal.require(Action.MANAGE_OFFICERS)
    outcome = collapse(outcome)
    if not 1 <= len(outcome) <= 200:
        raise InvalidInput(
            "Say the outcome in 1 to 200 characters.", code="feedback.bad_outcome", field="outcome"
        )
    now = services.now()
    async with services.unit_of_work():
        item = await one(
            Feedback.filter(
                id=feedback_id, officer_id__in=Subquery(officers_visible(principal).values("id"))
            ).select_for_update(),
            code="feedback.not_found",
            what=f"feedback {feedback_id}",
        )
        if item.status is FeedbackStatus.RESOLVED:
            raise Conflict("This item is resolved already.", code="feedback.resolved_already")
        item.status, item.outcome, item.note = FeedbackStatus.RESOLVED, outcome, collapse(note)
        item.resolved_by_id, item.resolved_at = principal.account_id, now
        await item.save(
            update_fields=["status", "outcome", "note", "resolved_by_id", "resolved_at"]
        )
        after = {"feedback_id": item.id, "reference": item.reference, "outcome": outcome}
        certificate_id: int = item.certificate_id  # type: ignore[attr-defined]
        officer_id: int = item.officer_id  # type: ignore[attr-defined]
        change = Change(
            EventAction.FEEDBACK_RESOLVED, Actor.of(principal), now, certificate_id,
            f"{outcome}" + (f"：{item.note}" if item.note else ""), after=after,
        )  # fmt: skip
        await events.append(officer_id, change)
    return await Feedback.get(id=item.id).select_related("certificate", "officer__agency")
