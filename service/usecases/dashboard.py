"""The staff dashboard's figures for a year, over the caller's jurisdiction: compliance
per agency, hours earned per month, certificates by status, the officers most short."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date

from tortoise.expressions import Subquery
from tortoise.functions import Count, Sum

from service.domain.access import Principal
from service.domain.certificates import CertificateStatus, effective_status
from service.domain.requirements import missing
from service.store import sql
from service.store.models import HourEntry
from service.store.scoping import certificates_visible, officers_visible
from service.usecases.reports import ComplianceRow, Summary, Totals, compliance_rows
from service.usecases.services import Services

MOST_SHORT = 10


@dataclass(slots=True)
class Dashboard:
    year: int
    summary: Summary  # totals overall and per agency
    months: list[int]  # tenths earned per month
    statuses: dict[CertificateStatus, int]  # certificates by their status today
    most_short: list[ComplianceRow]

    @property
    def agencies(self) -> list[tuple[str, Totals]]:
        """Per agency, by name."""
        by_agency = self.summary.by_agency.items()
        return sorted(((name, t) for (_, name), t in by_agency), key=lambda item: item[0])


async def dashboard(svc: Services, principal: Principal, year: int) -> Dashboard:
    """Raises InvalidInput `report.bad_year`, Forbidden."""
    rows = await compliance_rows(svc, principal, year)
    summary = Summary()
    shortest: list[tuple[int, int, ComplianceRow]] = []
    async for row in rows:
        summary.add(row)
        if to_earn := missing(row.short):
            heapq.heappush(shortest, (to_earn, -row.officer_id, row))
            if len(shortest) > MOST_SHORT:
                heapq.heappop(shortest)
    most_short = [row for _, _, row in sorted(shortest, reverse=True)]
    return Dashboard(
        year,
        summary,
        await _months(principal, year),
        await _statuses(principal, svc.today()),
        most_short,
    )


async def _months(principal: Principal, year: int) -> list[int]:
    """Tenths earned per month of `year` by the officers in the jurisdiction."""
    officers = Subquery(officers_visible(principal).values("id"))
    days = (
        await HourEntry.filter(year=year, officer_id__in=officers)
        .annotate(sum=Sum("tenths"))
        .group_by("occurred_on")
        .values_list("occurred_on", "sum")
    )
    months = [0] * 12
    for day, tenths in days:
        months[sql.as_date(day).month - 1] += int(tenths or 0)
    return months


async def _statuses(principal: Principal, today: date) -> dict[CertificateStatus, int]:
    """Certificates by their status as of today, from one grouped query."""
    groups = (
        await certificates_visible(principal)
        .annotate(count=Count("id"))
        .group_by("status", "valid_until", "suspended_until")
        .values_list("status", "valid_until", "suspended_until", "count")
    )
    counts: dict[CertificateStatus, int] = {}
    for status, valid_until, suspended_until, count in groups:
        until = sql.as_date(valid_until) if valid_until else None
        ends = sql.as_date(suspended_until) if suspended_until else None
        now = effective_status(CertificateStatus(status), until, ends, today)
        counts[now] = counts.get(now, 0) + count
    return counts
