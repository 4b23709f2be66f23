"""The yearly compliance report: each in-post officer's hours against the requirement
of the officer's region, read in slices so memory does not grow with the officers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from tortoise.queryset import QuerySet

from service.domain.access import Action, Principal
from service.domain.errors import InvalidInput
from service.domain.hours import HourCategory
from service.domain.organisation import region_prefix
from service.domain.requirements import TOTAL, Requirement, shortfall
from service.store.compliance_figures import AgencyTerms
from service.store.hours import earned_by_officer
from service.store.models import Officer
from service.store.requirements import effective_for
from service.store.scoping import agencies_visible, officers_visible
from service.usecases.regions import region_in_scope
from service.usecases.services import Services

SLICE = 2_000
KEYS = [str(category) for category in HourCategory] + [TOTAL]  # a row's hours, in order
_CATEGORY_KEYS = [(category, str(category)) for category in HourCategory]


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    officer_id: int
    name: str
    agency_id: int
    agency_name: str
    region_code: str
    required: dict[str, int]  # tenths, per category and `total`
    earned: dict[str, int]
    short: dict[str, int]

    @property
    def compliant(self) -> bool:
        return not any(self.short.values())

    @property
    def trained(self) -> bool:
        return self.earned[TOTAL] > 0


@dataclass(slots=True)
class Totals:
    """Officers, compliant officers and officers with no training at all, of a group."""

    officers: int = 0
    compliant: int = 0
    untrained: int = 0
    earned: int = 0  # tenths

    @property
    def rate(self) -> float | None:
        """The share of officers compliant; None for a group of none."""
        return self.compliant / self.officers if self.officers else None

    def add(self, row: ComplianceRow) -> None:
        self.officers += 1
        self.compliant += row.compliant
        self.untrained += not row.trained
        self.earned += row.earned[TOTAL]


@dataclass(slots=True)
class Summary:
    by_agency: dict[tuple[int, str], Totals] = field(default_factory=dict)
    by_region: dict[str, Totals] = field(default_factory=dict)
    overall: Totals = field(default_factory=Totals)

    def add(self, row: ComplianceRow) -> None:
        self.by_agency.setdefault((row.agency_id, row.agency_name), Totals()).add(row)
        self.by_region.setdefault(row.region_code, Totals()).add(row)
        self.overall.add(row)


async def compliance_rows(
    services: Services,
    principal: Principal,
    year: int,
    *,
    region_code: str | None = None,
    agency_id: int | None = None,
) -> AsyncIterator[ComplianceRow]:
    """Every in-post officer of the caller's jurisdiction (narrowed to a region or an
    agency), by id, with required, earned and missing hours for `year`. The request is
    checked here, before any row is read, so a refusal never cuts a file short.

    Raises InvalidInput (`report.bad_year`, `report.bad_region`), Forbidden.
    """
    check_report(services, principal, year)
    query = officers_visible(principal).filter(in_post=True)
    if region_code is not None:
        region = await region_in_scope(principal, region_code, error_code="report.bad_region")
        prefix = region_prefix(region.code, region.level)
        query = query.filter(agency__region_id__startswith=prefix)
    if agency_id is not None:
        query = query.filter(agency_id=agency_id)
    return _rows(query, year)


async def _rows(query: QuerySet[Officer], year: int) -> AsyncIterator[ComplianceRow]:
    requirements: dict[str, Requirement] = {}
    required: dict[str, dict[str, int]] = {}
    last_id = 0
    while True:
        officers = await (
            query.filter(id__gt=last_id)
            .order_by("id")
            .limit(SLICE)
            .values("id", "name", "agency_id", "agency__name", "agency__region_id")
        )
        if not officers:
            return
        last_id = officers[-1]["id"]
        ids = [officer["id"] for officer in officers]
        earned = await earned_by_officer(year, officer_ids=ids)
        for officer in officers:
            region = officer["agency__region_id"]
            if region not in requirements:
                requirements[region] = (await effective_for(year, region))[0]
                required[region] = requirements[region].required()
            yield compliance_row(
                officer, requirements[region], earned.get(officer["id"], {}), required[region]
            )


def compliance_row(
    officer: dict[str, Any],
    requirement: Requirement,
    earned: dict[HourCategory, int],
    required: dict[str, int] | None = None,
) -> ComplianceRow:
    """An officer's row (`id`, `name`, `agency_id`, `agency__name`, `agency__region_id`);
    `required` is the requirement's, when the caller has it already (rows share it)."""
    got = {key: earned.get(category, 0) for category, key in _CATEGORY_KEYS}
    got[TOTAL] = sum(earned.values())
    required = requirement.required() if required is None else required
    return ComplianceRow(
        officer_id=int(officer["id"]),
        name=str(officer["name"]),
        agency_id=int(officer["agency_id"]),
        agency_name=str(officer["agency__name"]),
        region_code=str(officer["agency__region_id"]),
        required=required,
        earned=got,
        short=shortfall(required, got),
    )


def check_report(services: Services, principal: Principal, year: int) -> None:
    """Raises Forbidden, or InvalidInput `report.bad_year`, for a report nobody reads."""
    principal.require(Action.READ_OFFICERS)
    if not 2000 <= year <= services.today().year:
        raise InvalidInput(f"No report for year {year}.", code="report.bad_year", field="year")


async def agency_terms(services: Services, principal: Principal, year: int) -> list[AgencyTerms]:
    """The agencies of the caller's jurisdiction, each with its region's requirement of
    `year`: what the grouped figures (`compliance_figures`) apply. Checked as the report."""
    check_report(services, principal, year)
    agencies = await agencies_visible(principal).values_list("id", "region_id")
    requirements: dict[str, Requirement] = {}
    for region in {str(region) for _, region in agencies}:
        requirements[region] = (await effective_for(year, region))[0]
    return [AgencyTerms(int(agency), requirements[str(region)]) for agency, region in agencies]


def short_rows(terms: list[AgencyTerms], found: list[dict[str, Any]]) -> list[ComplianceRow]:
    """The compliance rows of officers `compliance_figures` found short."""
    requirements = {term.agency_id: term.requirement for term in terms}
    return [
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
        for r in found
    ]
