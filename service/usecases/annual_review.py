"""Annual review (年审) of a year for a region, set-based.

A handful of queries whatever the number of officers: the certificates due (locked on
PostgreSQL), everyone's hours in one GROUP BY, the incompetent assessments, the
sanctions, the requirements of the regions. The rules are applied in Python; the writes
(through `certificates.transitions`) are batched. All of it is one unit of work: a
failure leaves nothing half-written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.domain.access import Action, Principal
from service.domain.annual_review import ReviewFacts, check_year, review
from service.domain.errors import Conflict
from service.domain.events import Actor
from service.domain.notifications import REVIEW_FAILED_MARK
from service.domain.organisation import region_prefix
from service.domain.people import AssessmentResult
from service.store import certificates, reviews
from service.store.hours import earned_by_officer
from service.store.models import AnnualReviewResult
from service.store.paging import Page, paginate
from service.store.requirements import effective_by_region
from service.store.scoping import review_results_visible
from service.usecases.certificates.transitions import (
    Reviewed,
    ReviewWrites,
    review_writes,
    store_reviews,
)
from service.usecases.regions import region_in_scope
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
    services: Services,
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
    only picks up the rest. `dry_run` computes the same results and writes nothing; it
    also takes the running year, as a preview of who would fail if the year ended today.

    Raises InvalidInput (`annual_review.bad_year`, `annual_review.bad_region`), Conflict
    `annual_review.window_not_open` (not before the window opens, unless a dry run),
    Forbidden.
    """
    principal.require(Action.MANAGE_CERTIFICATES)
    today = services.today()
    check_year(year, today, preview=dry_run)
    region = await region_in_scope(principal, region_code, error_code="annual_review.bad_region")
    opens = services.settings.review_window.opens(year)
    if not dry_run and today < opens:
        raise Conflict(
            f"The annual review of {year} opens on {opens.isoformat()}; a dry run is possible "
            "before.",
            code="annual_review.window_not_open",
        )
    say = progress or (lambda _message: None)
    run = ReviewRun(year, region.code, dry_run)
    prefix = region_prefix(region.code, region.level)
    async with services.unit_of_work() as uow:
        due = await certificates.due_for_review(year, prefix, today, lock=not dry_run)
        run.already_reviewed = await reviews.reviewed_already(year, prefix)
        say(f"{len(due)} certificates due, {run.already_reviewed} reviewed already")
        hours = await earned_by_officer(year, region_prefix=prefix)
        incompetent = await reviews.incompetent_officers(year, prefix)
        sanctioned = await reviews.sanctioned_officers(year, prefix)
        requirements = await effective_by_region(year, region.code, prefix)
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
            await _write(services, Actor.of(principal), run, due, say)
            uow.public_views_changed()  # the reviewed year, and any suspension
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
        region = await region_in_scope(
            principal, region_code, error_code="annual_review.bad_region"
        )
        prefix = region_prefix(region.code, region.level)
        query = query.filter(certificate__officer__agency__region_id__startswith=prefix)
    if passed is not None:
        query = query.filter(passed=passed)
    loaded = query.select_related("certificate__officer").order_by("id")
    return await paginate(loaded, page, page_size)


async def _write(
    services: Services,
    actor: Actor,
    run: ReviewRun,
    due: Sequence[dict[str, Any]],
    say: Progress,
) -> None:
    """In slices, so memory stays flat: each slice's events are built, written and
    dropped before the next. A slice is built in a thread while the one before it is
    being written, so the database and the building share the time instead of taking
    turns (the building is pure: `review_writes`)."""
    now = services.now()
    by_id = {row["id"]: row for row in due}
    writing: asyncio.Task[None] | None = None

    async def store(writes: ReviewWrites, results: list[reviews.Result], done: int) -> None:
        await store_reviews(now, writes)
        await reviews.insert_results(run.year, now, actor.account_id, results)
        say(f"written {done} of {len(run.results)}")

    try:
        for start in range(0, len(run.results), SLICE):
            verdicts: list[Reviewed] = []
            results: list[reviews.Result] = []
            for outcome in run.results[start : start + SLICE]:
                if outcome.passed:
                    reason = f"{run.year}年度审验合格"
                else:
                    reason = f"{run.year}{REVIEW_FAILED_MARK}：" + "；".join(outcome.messages)
                verdicts.append(Reviewed(by_id[outcome.certificate_id], outcome.passed, reason))
                reasons = [
                    {"code": code, "message": message}
                    for code, message in zip(outcome.reasons, outcome.messages, strict=True)
                ]
                results.append((outcome.certificate_id, outcome.passed, reasons))
            writes = await asyncio.to_thread(review_writes, now, actor, run.year, verdicts)
            if writing is not None:
                await writing  # one slice on the connection at a time, in order
            done = min(start + SLICE, len(run.results))
            writing = asyncio.ensure_future(store(writes, results, done))
        if writing is not None:
            await writing
    except BaseException:
        if writing is not None and not writing.done():
            writing.cancel()
            await asyncio.gather(writing, return_exceptions=True)
        raise
