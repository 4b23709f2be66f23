"""The staff dashboard's figures for a year, over the caller's jurisdiction: compliance
per agency, hours earned per month, certificates by status, the officers most short,
the cards owed."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tortoise.expressions import Subquery
from tortoise.functions import Count

from service.domain.access import Principal
from service.domain.certificates import CertificateStatus
from service.domain.feedback import FeedbackKind, FeedbackStatus
from service.store import compliance_figures
from service.store.certificates import count_by_status
from service.store.hours import earned_by_month
from service.store.models import Feedback
from service.store.scoping import agencies_visible, certificates_visible, officers_visible
from service.usecases.certificates.custody import owed
from service.usecases.reports import (
    ComplianceRow,
    Summary,
    Totals,
    agency_terms,
    short_rows,
)
from service.usecases.services import Services

MOST_SHORT = 10


@dataclass(slots=True)
class Dashboard:
    year: int
    summary: Summary  # totals overall and per agency
    months: list[int]  # tenths earned per month
    statuses: dict[CertificateStatus, int]  # certificates by their status today
    most_short: list[ComplianceRow]
    cards_owed: int  # suspended or ended certificates whose card was not taken back
    open_complaints: dict[str, int]  # per agency (by name), complaints not yet resolved

    @property
    def agencies(self) -> list[tuple[str, Totals]]:
        """Per agency, by name."""
        by_agency = self.summary.by_agency.items()
        return sorted(((name, t) for (_, name), t in by_agency), key=lambda item: item[0])


async def dashboard(services: Services, principal: Principal, year: int) -> Dashboard:
    """Raises InvalidInput `report.bad_year`, Forbidden."""
    terms = await agency_terms(services, principal, year)
    # The three reads that go over every officer or entry run side by side.
    grouped, shortest, months = await asyncio.gather(
        compliance_figures.by_agency(year, terms),
        compliance_figures.most_short(year, terms, MOST_SHORT),
        earned_by_month(year, agencies_visible(principal)),
    )
    summary = Summary()
    for figures in grouped:
        totals = Totals(figures.officers, figures.compliant, figures.untrained, figures.earned)
        summary.by_agency[(figures.agency_id, figures.name)] = totals
        region = summary.by_region.setdefault(figures.region_code, Totals())
        for group in (region, summary.overall):
            group.officers += totals.officers
            group.compliant += totals.compliant
            group.untrained += totals.untrained
            group.earned += totals.earned
    return Dashboard(
        year,
        summary,
        months,
        await count_by_status(certificates_visible(principal), services.today()),
        short_rows(terms, shortest),
        await owed(certificates_visible(principal), services.today()).count(),
        await _open_complaints(principal),
    )


async def _open_complaints(principal: Principal) -> dict[str, int]:
    rows = (
        await Feedback.filter(
            kind=FeedbackKind.COMPLAINT,
            status=FeedbackStatus.OPEN,
            officer_id__in=Subquery(officers_visible(principal).values("id")),
        )
        .annotate(count=Count("id"))
        .group_by("officer__agency__name")
        .values_list("officer__agency__name", "count")
    )
    return {str(name): int(count) for name, count in rows}
