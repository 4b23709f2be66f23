"""The staff dashboard's figures for a year, over the caller's jurisdiction: compliance
per agency, hours earned per month, certificates by status, the officers most short."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date

from tortoise.expressions import Subquery
from tortoise.functions import Sum

from service.domain.access import Action, Principal
from service.domain.certificates import CertificateStatus
from service.domain.requirements import missing
from service.store import sql
from service.store.certificate_queries import effective_status_is
from service.store.models import HourEntry
from service.store.scoping import certificates_visible, officers_visible
from service.usecases.reports import ComplianceRow, Summary, compliance_rows
from service.usecases.services import Services

MOST_SHORT = 10


@dataclass(frozen=True, slots=True)
class AgencyRate:
    agency_id: int
    agency_name: str
    officers: int
    compliant: int
    untrained: int

    @property
    def rate(self) -> float:
        return self.compliant / self.officers if self.officers else 0.0


@dataclass(slots=True)
class Dashboard:
    year: int
    agencies: list[AgencyRate] = field(default_factory=list)
    months: list[int] = field(default_factory=lambda: [0] * 12)  # tenths earned per month
    statuses: dict[CertificateStatus, int] = field(default_factory=dict)
    most_short: list[ComplianceRow] = field(default_factory=list)
    officers: int = 0
    compliant: int = 0
    untrained: int = 0


async def dashboard(svc: Services, principal: Principal, year: int) -> Dashboard:
    """Raises InvalidInput `report.bad_year`, Forbidden."""
    principal.require(Action.READ_OFFICERS)
    rows = await compliance_rows(svc, principal, year)
    board = Dashboard(year)
    summary = Summary()
    shortest: list[tuple[int, int, ComplianceRow]] = []
    async for row in rows:
        summary.add(row)
        to_earn = missing(row.short)
        if to_earn:
            item = (to_earn, -row.officer_id, row)
            if len(shortest) < MOST_SHORT:
                heapq.heappush(shortest, item)
            else:
                heapq.heappushpop(shortest, item)
    board.most_short = [row for _, _, row in sorted(shortest, reverse=True)]
    board.agencies = [
        AgencyRate(agency_id, name, t.officers, t.compliant, t.untrained)
        for (agency_id, name), t in sorted(summary.by_agency.items(), key=lambda i: i[0][1])
    ]
    overall = summary.overall
    board.officers, board.compliant, board.untrained = (
        overall.officers,
        overall.compliant,
        overall.untrained,
    )
    board.months = await _months(principal, year)
    today = svc.today()
    for status in CertificateStatus:
        count = (
            await certificates_visible(principal).filter(effective_status_is(status, today)).count()
        )
        if count:
            board.statuses[status] = count
    return board


async def _months(principal: Principal, year: int) -> list[int]:
    """Tenths earned per month of `year` by the officers in the jurisdiction."""
    query = HourEntry.filter(year=year)
    if principal.scope.agency_id is not None or principal.scope.region_prefix is not None:
        query = query.filter(officer_id__in=Subquery(officers_visible(principal).values("id")))
    days = (
        await query.annotate(sum=Sum("tenths"))
        .group_by("occurred_on")
        .values_list("occurred_on", "sum")
    )
    months = [0] * 12
    for day, tenths in days:
        on: date = sql.as_date(day)
        months[on.month - 1] += int(tenths or 0)
    return months
