"""An officer's hours for a year against the requirement that applies to them."""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.access import Action, Principal
from service.domain.errors import InvalidInput
from service.domain.hours import HourCategory
from service.domain.requirements import Requirement
from service.domain.training import SessionStatus
from service.store.lookups import one
from service.store.models import HourEntry, Officer, TrainingSession
from service.store.regions import region_chain
from service.store.requirements import effective_for
from service.usecases.officers import officer_in_scope
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class Progress:
    year: int
    officer: Officer
    requirement: Requirement
    earned: dict[HourCategory, int]  # tenths
    records: list[HourEntry]

    @property
    def short(self) -> dict[str, int]:
        return self.requirement.short(self.earned)

    @property
    def compliant(self) -> bool:
        return self.requirement.is_met(self.earned)


async def own_progress(services: Services, principal: Principal, year: int | None) -> Progress:
    """The calling officer's progress. Raises NotFound for an account with no officer."""
    officer = await own_officer(principal)
    return await progress_of(services, officer, year)


async def officer_progress(
    services: Services, principal: Principal, officer_id: int, year: int | None
) -> Progress:
    """An officer's progress, for staff of the officer's jurisdiction."""
    principal.require(Action.READ_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    return await progress_of(services, officer, year)


async def progress_of(services: Services, officer: Officer, year: int | None) -> Progress:
    """The officer's hours of `year` (this year by default) against the requirement of
    the officer's region. Raises InvalidInput `hours.bad_year`."""
    year = year if year is not None else services.today().year
    if not 2000 <= year <= services.today().year + 1:
        raise InvalidInput(f"No hours for year {year}.", code="hours.bad_year", field="year")
    region: str = officer.agency.region_id  # type: ignore[attr-defined]
    requirement, _ = await effective_for(year, region)
    records = list(
        await HourEntry.filter(officer_id=officer.id, year=year).order_by("occurred_on", "id")
    )
    earned: dict[HourCategory, int] = {}
    for entry in records:
        earned[entry.category] = earned.get(entry.category, 0) + entry.tenths
    return Progress(year, officer, requirement, earned, records)


async def upcoming_sessions(
    services: Services, principal: Principal, limit: int = 10
) -> list[TrainingSession]:
    """Scheduled sessions not yet over, organised in the officer's region or a region
    above it (a county's officers attend the city's and the province's training too)."""
    officer = await own_officer(principal)
    chain = [r.code for r in await region_chain(officer.agency.region_id)]  # type: ignore[attr-defined]
    query = TrainingSession.filter(
        status=SessionStatus.SCHEDULED,
        ends_at__gte=services.now(),
        organiser_agency__region_id__in=chain,
    )
    return list(await query.select_related("organiser_agency").order_by("starts_at").limit(limit))


async def own_officer(principal: Principal) -> Officer:
    query = Officer.filter(id=principal.officer_id).select_related("agency")
    return await one(query, code="officer.not_found", what="officer record for this account")
