"""External training (外部学习申报): officers file it with evidence, staff approve (hours
may be lowered) or reject it; approval writes the ledger."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from service.domain.access import Action, Principal
from service.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.domain.events import Actor, Change, EventAction
from service.domain.hours import HourCategory, LedgerSource
from service.domain.text import required
from service.domain.training import ClaimStatus
from service.security.uploads import checked_evidence
from service.store import events, evidence
from service.store.lookups import one
from service.store.models import ExternalClaim, HourEntry
from service.store.paging import Page, paginate
from service.store.scoping import claims_visible
from service.usecases.services import Services

MAX_CLAIM_TENTHS = 1_000


@dataclass(frozen=True, slots=True)
class NewClaim:
    title: str
    category: HourCategory
    tenths: int
    completed_on: date
    evidence: bytes


async def submit_claim(services: Services, principal: Principal, new: NewClaim) -> ExternalClaim:
    """File a claim for the calling officer. The evidence is checked by its content: a
    PDF that parses, or a PNG or JPEG that decodes whole within a pixel limit
    (`security.uploads`); it is stored in the database in the claim's transaction, so a
    refused claim stores nothing and a filed one always has its file.

    Raises InvalidInput (`claim.bad_title`, `claim.bad_hours`, `claim.bad_date`,
    `claim.bad_evidence`), TooLarge (`claim.evidence_too_large`), Forbidden.
    """
    if principal.officer_id is None:
        raise Forbidden("Only officers file external training.", code="auth.wrong_kind")
    title = required(
        new.title,
        code="claim.bad_title",
        field="title",
        message="A title has 1 to 200 characters.",
        max_length=200,
    )
    _check_tenths(new.tenths, field="hours")
    today = services.today()
    if not date(today.year - 1, 1, 1) <= new.completed_on <= today:
        raise InvalidInput(
            "completed_on is this year or last year, and not in the future.",
            code="claim.bad_date",
            field="completed_on",
        )
    mime, extension = await asyncio.to_thread(
        checked_evidence, new.evidence, max_bytes=services.settings.evidence_max_bytes
    )
    async with services.unit_of_work():
        digest, _ = await evidence.put(new.evidence, mime)
        return await ExternalClaim.create(
            officer_id=principal.officer_id,
            title=title,
            category=new.category,
            claimed_tenths=new.tenths,
            completed_on=new.completed_on,
            evidence_path=f"{digest[:2]}/{digest}.{extension}",  # its name, for downloads
            evidence_mime=mime,
            evidence_sha256=digest,
        )


async def approve_claim(
    services: Services, principal: Principal, claim_id: int, tenths: int
) -> ExternalClaim:
    """Approve with the claimed hours or fewer; the ledger gets one entry (once, whatever
    the number of concurrent approvals). Raises InvalidInput `claim.bad_hours`, Conflict
    `claim.not_pending`, NotFound, Forbidden."""
    claim = await _reviewable(principal, claim_id)
    _check_tenths(tenths, field="hours")
    if tenths > claim.claimed_tenths:
        raise InvalidInput(
            "Approve the claimed hours or fewer.", code="claim.bad_hours", field="hours"
        )
    after = {"claim_id": claim.id, "claimed": claim.claimed_tenths, "approved": tenths}
    change = Change(EventAction.EXTERNAL_APPROVED, Actor.of(principal), services.now(), after=after)
    async with services.unit_of_work():
        await _decide(claim, change, status=ClaimStatus.APPROVED, approved_tenths=tenths)
        await HourEntry.create(
            officer_id=claim.officer_id,  # type: ignore[attr-defined]
            year=claim.completed_on.year,
            category=claim.category,
            tenths=tenths,
            source=LedgerSource.EXTERNAL,
            external_claim_id=claim.id,
            title=claim.title,
            actor_id=principal.account_id,
            occurred_on=claim.completed_on,
        )
    return await ExternalClaim.get(id=claim.id)


async def reject_claim(
    services: Services, principal: Principal, claim_id: int, reason: str
) -> ExternalClaim:
    """Reject with a reason the officer reads. Raises InvalidInput `claim.reason_required`,
    Conflict `claim.not_pending`, NotFound, Forbidden."""
    reason = required(
        reason, code="claim.reason_required", field="reason", message="Give a reason."
    )
    claim = await _reviewable(principal, claim_id)
    actor, after = Actor.of(principal), {"claim_id": claim.id}
    change = Change(
        EventAction.EXTERNAL_REJECTED, actor, services.now(), reason=reason, after=after
    )
    async with services.unit_of_work():
        await _decide(claim, change, status=ClaimStatus.REJECTED, reject_reason=reason)
    return await ExternalClaim.get(id=claim.id)


async def list_claims(
    principal: Principal, *, status: ClaimStatus | None, page: int, page_size: int
) -> Page[ExternalClaim]:
    """Claims of officers in the caller's jurisdiction, oldest first."""
    principal.require(Action.READ_OFFICERS)
    query = claims_visible(principal)
    if status is not None:
        query = query.filter(status=status)
    return await paginate(query.select_related("officer").order_by("id"), page, page_size)


async def own_claims(principal: Principal) -> list[ExternalClaim]:
    return list(
        await ExternalClaim.filter(officer_id=principal.officer_id)
        .select_related("officer")
        .order_by("-id")
    )


async def evidence_file(
    services: Services, principal: Principal, claim_id: int
) -> tuple[bytes, str, str]:
    """The evidence of a claim in the caller's jurisdiction: (content, media type, file
    extension). Raises NotFound, Forbidden."""
    principal.require(Action.READ_OFFICERS)
    claim = await _visible(principal, claim_id)
    found = await evidence.content(claim.evidence_sha256)
    if found is None:  # a claim from before the upgrade whose file was never imported
        raise NotFound("The claim's evidence file is missing.", code="claim.evidence_missing")
    return found, claim.evidence_mime, PurePosixPath(claim.evidence_path).suffix


async def _decide(claim: ExternalClaim, change: Change, **values: object) -> None:
    """Record the decision and its event. Only a pending claim changes: of two reviewers
    at once, one wins."""
    pending = ExternalClaim.filter(id=claim.id, status=ClaimStatus.PENDING)
    by = {"reviewed_by_id": change.actor.account_id, "reviewed_at": change.at}
    if not await pending.update(**by, **values):
        raise Conflict("The claim was decided already.", code="claim.not_pending")
    await events.append(claim.officer_id, change)  # type: ignore[attr-defined]


async def _reviewable(principal: Principal, claim_id: int) -> ExternalClaim:
    principal.require(Action.REVIEW_CLAIMS)
    claim = await _visible(principal, claim_id)
    if claim.status is not ClaimStatus.PENDING:
        raise Conflict(f"The claim is {claim.status} already.", code="claim.not_pending")
    return claim


async def _visible(principal: Principal, claim_id: int) -> ExternalClaim:
    query = claims_visible(principal).filter(id=claim_id).select_related("officer")
    return await one(query, code="claim.not_found", what=f"claim {claim_id}")


def _check_tenths(tenths: int, *, field: str) -> None:
    if not 0 < tenths <= MAX_CLAIM_TENTHS:
        raise InvalidInput("Hours are 0.1 to 100.", code="claim.bad_hours", field=field)
