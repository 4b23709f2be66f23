"""An external training claim as both APIs show it (staff review, the officer's own)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from service.domain.hours import HourCategory, as_hours, maybe_hours
from service.domain.training import ClaimStatus
from service.store.models import ExternalClaim


class ClaimOut(msgspec.Struct):
    id: int
    officer_id: int
    officer_name: str
    title: str
    category: HourCategory
    hours: float
    approved_hours: float | None
    completed_on: date
    status: ClaimStatus
    reject_reason: str | None
    evidence_type: str
    created_at: datetime


def claim_out(c: ExternalClaim) -> ClaimOut:
    """Needs the officer loaded."""
    return ClaimOut(
        id=c.id,
        officer_id=c.officer.id,
        officer_name=c.officer.name,
        title=c.title,
        category=c.category,
        hours=as_hours(c.claimed_tenths),
        approved_hours=maybe_hours(c.approved_tenths),
        completed_on=c.completed_on,
        status=c.status,
        reject_reason=c.reject_reason,
        evidence_type=c.evidence_mime,
        created_at=c.created_at,
    )
