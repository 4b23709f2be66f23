"""The annual report's grouped reads (`usecases.annual_report` adds them up): each
answers (agency id, ..., count) rows over the caller's jurisdiction, narrowed to a region's
prefix when one was asked for, for one calendar year in Shanghai."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from service.clock import SHANGHAI
from service.domain.access import Principal
from service.domain.events import EventAction
from service.domain.feedback import FeedbackKind, FeedbackStatus
from service.domain.training import SessionStatus
from service.store.models import Agency, Attendance, Feedback, OfficerEvent, TrainingPlan
from service.store.scoping import (
    certificates_visible,
    officers_visible,
    review_results_visible,
    sessions_visible,
)


@dataclass(frozen=True, slots=True)
class Window:
    """The year in Shanghai's calendar: its days, its instants, and now."""

    year: int
    today: date
    now: datetime

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)

    @property
    def as_of(self) -> date:
        return min(self.last_day, self.today)

    @property
    def start(self) -> datetime:
        return datetime(self.year, 1, 1, tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        return datetime(self.year + 1, 1, 1, tzinfo=SHANGHAI)


@dataclass(frozen=True, slots=True)
class Scope:
    """The caller's jurisdiction, narrowed to a region's prefix when one was asked for."""

    principal: Principal
    prefix: str | None

    def narrow(self, query: QuerySet[Any], region_field: str) -> QuerySet[Any]:
        if self.prefix is None:
            return query
        return query.filter(**{f"{region_field}__startswith": self.prefix})

    def officer_ids(self) -> Subquery:
        officers = self.narrow(officers_visible(self.principal), "agency__region_id")
        return Subquery(officers.values("id"))


async def _counted(
    query: QuerySet[Any], *keys: str, count: str = "id", distinct: bool = False
) -> list[Any]:
    """(keys..., count) rows of the query grouped by `keys`."""
    grouped = query.annotate(n=Count(count, distinct=distinct)).group_by(*keys)
    return list(await grouped.values_list(*keys, "n"))


async def holders(scope: Scope, window: Window) -> list[Any]:
    day = window.as_of
    query = (
        scope.narrow(certificates_visible(scope.principal), "officer__agency__region_id")
        .filter(officer__in_post=True, valid_from__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    )
    return await _counted(query, "officer__agency_id", count="officer_id", distinct=True)


async def lifecycle(scope: Scope, window: Window, actions: Iterable[EventAction]) -> list[Any]:
    # A reissue writes the event twice: on the old certificate (with its state before)
    # and on the new one (no state before). Counting changes of an existing state counts
    # each reissue once and keeps every other lifecycle event.
    events = OfficerEvent.filter(
        officer_id__in=scope.officer_ids(),
        action__in=[str(action) for action in actions],
        at__gte=window.start,
        at__lt=window.end,
        before__isnull=False,
    )
    return await _counted(events, "officer__agency_id", "action")


async def imported(scope: Scope, window: Window) -> list[Any]:
    """Certificates taken in by import whose issue date is in the year."""
    events = OfficerEvent.filter(
        officer_id__in=scope.officer_ids(),
        action=str(EventAction.IMPORT),
        certificate_id__isnull=False,
        certificate__valid_from__gte=window.first_day,
        certificate__valid_from__lte=window.last_day,
    )
    return await _counted(events, "officer__agency_id", count="certificate_id", distinct=True)


async def reviews(scope: Scope, year: int) -> list[Any]:
    results = scope.narrow(
        review_results_visible(scope.principal), "certificate__officer__agency__region_id"
    ).filter(year=year)
    return await _counted(results, "certificate__officer__agency_id", "passed")


async def feedback_received(scope: Scope, window: Window) -> list[Any]:
    received = Feedback.filter(
        officer_id__in=scope.officer_ids(), created_at__gte=window.start, created_at__lt=window.end
    )
    return await _counted(received, "officer__agency_id", "kind")


async def complaints_resolved(scope: Scope, window: Window) -> list[Any]:
    resolved = Feedback.filter(
        officer_id__in=scope.officer_ids(),
        kind=FeedbackKind.COMPLAINT,
        status=FeedbackStatus.RESOLVED,
        resolved_at__gte=window.start,
        resolved_at__lt=window.end,
    )
    return await _counted(resolved, "officer__agency_id")


def held(scope: Scope, window: Window) -> QuerySet[Any]:
    """The sessions held in the year: started by now, not cancelled."""
    return scope.narrow(sessions_visible(scope.principal), "organiser_agency__region_id").filter(
        starts_at__gte=window.start,
        starts_at__lt=window.end,
        starts_at__lte=window.now,
        status__not=SessionStatus.CANCELLED,
    )


async def sessions(held: QuerySet[Any]) -> list[Any]:
    return list(
        await held.annotate(n=Count("id"), tenths=Sum("credit_tenths"))
        .group_by("organiser_agency_id", "category")
        .values_list("organiser_agency_id", "category", "n", "tenths")
    )


async def attendances(held: QuerySet[Any]) -> list[Any]:
    at_held = Attendance.filter(session_id__in=Subquery(held.values("id")))
    return await _counted(at_held, "session__organiser_agency_id")


async def plans(agencies: QuerySet[Agency], year: int) -> list[Any]:
    return list(
        await TrainingPlan.filter(
            agency_id__in=Subquery(agencies.values("id")), year=year
        ).values_list("agency_id", "items")
    )
