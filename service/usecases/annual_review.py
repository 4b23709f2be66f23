"""Annual review (年审) of a year for a region, set-based.

A handful of queries whatever the number of officers: the certificates due (locked on
PostgreSQL), everyone's hours in one GROUP BY, the incompetent assessments, the
sanctions, the requirements of the regions. The rules are applied in Python; the writes
are batched. All of it is one transaction: a failure leaves nothing half-written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tortoise.transactions import in_transaction

from service.domain.access import Action, Principal
from service.domain.annual_review import ReviewFacts, check_year, review
from service.domain.certificates import CertificateAction, CertificateStatus
from service.domain.errors import Conflict, InvalidInput
from service.domain.organisation import region_prefix
from service.domain.people import AssessmentResult, SanctionKind
from service.store import review_queries, review_writes, sql
from service.store.certificate_queries import snapshot_of
from service.store.models import (
    AnnualReviewResult,
    Assessment,
    Sanction,
)
from service.store.scoping import regions_visible, review_results_visible
from service.usecases.events import Actor, NewEvent, chain_event
from service.usecases.paging import Page, paginate
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class Outcome:
    certificate_id: int
    number: str
    officer_id: int
    officer_name: str
    passed: bool
    reasons: list[str]  # stable codes: not_in_post, hours_short, incompetent, sanctioned
    messages: list[str]  # 中文, one per reason


@dataclass(slots=True)
class ReviewRun:
    year: int
    region_code: str
    dry_run: bool
    results: list[Outcome] = field(default_factory=list)
    already_reviewed: int = 0

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.results)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed


Progress = Callable[[str], None]
SLICE = 5_000


async def run_annual_review(
    svc: Services,
    principal: Principal,
    year: int,
    region_code: str,
    *,
    dry_run: bool,
    progress: Progress | None = None,
) -> ReviewRun:
    """Review every active certificate of the region (and the regions inside it) for
    `year`. Passing certificates record the year; failing ones are suspended with every
    reason. Certificates reviewed for the year already are left alone, so a second run
    only picks up the rest. `dry_run` computes the same results and writes nothing.

    Raises InvalidInput (`annual_review.bad_year`, `annual_review.bad_region`), Conflict
    `annual_review.window_not_open` (not before the window opens, unless a dry run),
    Forbidden.
    """
    principal.require(Action.MANAGE_CERTIFICATES)
    today = svc.today()
    check_year(year, today)
    region = await regions_visible(principal).get_or_none(code=region_code)
    if region is None:
        raise InvalidInput(
            f"Unknown region {region_code}.", code="annual_review.bad_region", field="region_code"
        )
    opens = svc.settings.review_window.opens(year)
    if not dry_run and today < opens:
        raise Conflict(
            f"The annual review of {year} opens on {opens.isoformat()}; a dry run is possible "
            "before.",
            code="annual_review.window_not_open",
        )
    say = progress or (lambda _message: None)
    run = ReviewRun(year, region.code, dry_run)
    prefix = region_prefix(region.code, region.level)
    async with in_transaction():
        due = await review_queries.due_certificates(year, prefix, today, lock=not dry_run)
        run.already_reviewed = await AnnualReviewResult.filter(
            year=year, certificate__officer__agency__region_id__startswith=prefix
        ).count()
        say(f"{len(due)} certificates due, {run.already_reviewed} reviewed already")
        hours = await review_queries.hours_by_officer(year, prefix)
        incompetent = set(
            await Assessment.filter(
                year=year,
                result=AssessmentResult.INCOMPETENT,
                officer__agency__region_id__startswith=prefix,
            ).values_list("officer_id", flat=True)
        )
        sanctioned = set(
            await Sanction.filter(
                effective_on__gte=date(year, 1, 1),
                effective_on__lte=date(year, 12, 31),
                kind__in=[k for k in SanctionKind if k.bars_certificate],
                officer__agency__region_id__startswith=prefix,
            ).values_list("officer_id", flat=True)
        )
        requirements = await review_queries.requirements_by_region(year, region.code, prefix)
        for row in due:
            officer_id = row["officer_id"]
            findings = review(
                ReviewFacts(
                    in_post=bool(row["in_post"]),
                    earned=hours.get(officer_id, {}),
                    requirement=requirements[row["region_id"]],
                    assessment=AssessmentResult.INCOMPETENT if officer_id in incompetent else None,
                    sanctioned_in_year=officer_id in sanctioned,
                )
            )
            run.results.append(
                Outcome(
                    certificate_id=row["id"],
                    number=row["number"],
                    officer_id=officer_id,
                    officer_name=row["officer_name"],
                    passed=not findings,
                    reasons=[str(f.failure) for f in findings],
                    messages=[f.message for f in findings],
                )
            )
        say(f"{run.passed} pass, {run.failed} fail")
        if not dry_run:
            await _write(svc, Actor.of(principal), run, due, say)
    if not dry_run:
        await svc.public_views_changed()  # the reviewed year, and any suspension
    return run


async def list_results(
    principal: Principal,
    *,
    year: int,
    region_code: str | None,
    passed: bool | None,
    page: int,
    page_size: int,
) -> Page[AnnualReviewResult]:
    """Stored review results in the caller's jurisdiction."""
    principal.require(Action.READ_OFFICERS)
    query = review_results_visible(principal).filter(year=year)
    if region_code:
        region = await regions_visible(principal).get_or_none(code=region_code)
        if region is None:
            raise InvalidInput(
                f"Unknown region {region_code}.",
                code="annual_review.bad_region",
                field="region_code",
            )
        prefix = region_prefix(region.code, region.level)
        query = query.filter(certificate__officer__agency__region_id__startswith=prefix)
    if passed is not None:
        query = query.filter(passed=passed)
    loaded = query.select_related("certificate__officer").order_by("id")
    return await paginate(loaded, page, page_size)


async def _write(
    svc: Services, actor: Actor, run: ReviewRun, due: Sequence[dict[str, Any]], say: Progress
) -> None:
    """In slices, so memory stays flat: each slice's events, with their before and after,
    are built, written and dropped before the next."""
    now = svc.now()
    by_id = {row["id"]: row for row in due}
    heads = {row["officer_id"]: (row["chain_seq"], row["chain_head"]) for row in due}
    for start in range(0, len(run.results), SLICE):
        events: list[NewEvent] = []
        results: list[tuple[int, bool, list[dict[str, str]]]] = []
        passed: list[int] = []
        suspended: dict[int, str] = {}
        for outcome in run.results[start : start + SLICE]:
            row = by_id[outcome.certificate_id]
            before = _snapshot(row, CertificateStatus.ACTIVE, row["last_review_year"])
            if outcome.passed:
                passed.append(outcome.certificate_id)
                action, reason = CertificateAction.REVIEW, f"{run.year}年度审验合格"
                after = _snapshot(row, CertificateStatus.ACTIVE, run.year)
            else:
                reason = f"{run.year}年度审验不合格：" + "；".join(outcome.messages)
                suspended[outcome.certificate_id] = reason
                action = CertificateAction.SUSPEND
                after = _snapshot(row, CertificateStatus.SUSPENDED, row["last_review_year"])
            seq, head = heads[outcome.officer_id]
            event = chain_event(
                outcome.officer_id,
                seq,
                head,
                action=action,
                actor=actor,
                at=now,
                certificate_id=outcome.certificate_id,
                reason=reason,
                before=before,
                after=after,
            )
            heads[outcome.officer_id] = (event.seq, event.hash)
            events.append(event)
            reasons = [
                {"code": code, "message": message}
                for code, message in zip(outcome.reasons, outcome.messages, strict=True)
            ]
            results.append((outcome.certificate_id, outcome.passed, reasons))
        await review_writes.mark_passed(passed, run.year, now)
        await review_writes.mark_suspended(suspended, now)
        await review_writes.insert_results(run.year, now, actor.account_id, results)
        await review_writes.insert_events(actor.account_id, actor.name, now, events)
        await review_writes.move_heads({e.officer_id: heads[e.officer_id] for e in events})
        say(f"written {min(start + SLICE, len(run.results))} of {len(run.results)}")


def _snapshot(
    row: dict[str, Any], status: CertificateStatus, review_year: int | None
) -> dict[str, Any]:
    categories = row["enforcement_categories"]
    return snapshot_of(
        status=status,
        number=row["number"],
        valid_from=sql.as_date(row["valid_from"]),
        valid_until=sql.as_date(row["valid_until"]),
        suspended_until=None,
        last_review_year=review_year,
        enforcement_area=row["enforcement_area"],
        enforcement_categories=json.loads(categories)
        if isinstance(categories, str)
        else categories,
    )
