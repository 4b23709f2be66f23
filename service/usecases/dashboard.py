"""The staff dashboard's figures for a year, over the caller's jurisdiction: compliance
per agency, hours earned per month, certificates by status, the officers most short,
the cards owed."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Subquery
from tortoise.functions import Count

from service.domain.access import Principal
from service.domain.certificates import CertificateStatus
from service.domain.feedback import FeedbackKind, FeedbackStatus
from service.domain.hours import HourCategory
from service.domain.requirements import Requirement
from service.store import compliance_figures
from service.store.certificates import count_by_status
from service.store.hours import earned_by_month
from service.store.models import Feedback
from service.store.requirements import effective_for
from service.store.scoping import agencies_visible, certificates_visible, officers_visible
from service.usecases.certificates.custody import owed
from service.usecases.reports import ComplianceRow, Summary, Totals, compliance_row, compliance_rows
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
    await compliance_rows(services, principal, year)  # the same checks as the report
    terms = await _terms(principal, year)
    summary = Summary()
    for figures in await compliance_figures.by_agency(year, terms):
        totals = Totals(figures.officers, figures.compliant, figures.untrained, figures.earned)
        summary.by_agency[(figures.agency_id, figures.name)] = totals
        region = summary.by_region.setdefault(figures.region_code, Totals())
        for group in (region, summary.overall):
            group.officers += totals.officers
            group.compliant += totals.compliant
            group.untrained += totals.untrained
            group.earned += totals.earned
    requirements = {term.agency_id: term.requirement for term in terms}
    most_short = [
        compliance_row(
            {
                "id": r["id"],
                "name": r["name"],
                "agency_id": r["agency_id"],
                "agency__name": r["agency_name"],
                "agency__region_id": r["region_id"],
            },
            requirements[int(r["agency_id"])],
            {c: int(r[f"got_{c}"]) for c in HourCategory if int(r[f"got_{c}"])},
        )
        for r in await compliance_figures.most_short(year, terms, MOST_SHORT)
    ]
    return Dashboard(
        year,
        summary,
        await earned_by_month(year, officers_visible(principal)),
        await count_by_status(certificates_visible(principal), services.today()),
        most_short,
        await owed(certificates_visible(principal), services.today()).count(),
        await _open_complaints(principal),
    )


async def _terms(principal: Principal, year: int) -> list[compliance_figures.AgencyTerms]:
    """The agencies of the caller's jurisdiction, each with its region's requirement."""
    agencies = await agencies_visible(principal).values_list("id", "region_id")
    requirements: dict[str, Requirement] = {}
    for region in {str(region) for _, region in agencies}:
        requirements[region] = (await effective_for(year, region))[0]
    return [
        compliance_figures.AgencyTerms(int(agency), requirements[str(region)])
        for agency, region in agencies
    ]


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
