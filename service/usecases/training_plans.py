"""Agencies' yearly training plans (年度学习培训计划): the sessions and hours each agency
plans per category, which the annual report sets against what was held."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from service.domain.access import Action, Principal
from service.domain.errors import InvalidInput
from service.domain.hours import HourCategory
from service.store.models import TrainingPlan
from service.usecases.reference import get_agency
from service.usecases.services import Services

MAX_SESSIONS = 1_000
MAX_TENTHS = 100_000  # 10,000 h: more than any agency plans in a year


@dataclass(frozen=True, slots=True)
class PlanItem:
    category: HourCategory
    sessions: int
    tenths: int


@dataclass(frozen=True, slots=True)
class Plan:
    agency_id: int
    year: int
    items: list[PlanItem]


def _check(year: int, items: list[PlanItem], services: Services) -> None:
    if not 2000 <= year <= services.today().year + 1:
        raise InvalidInput(f"No plan for year {year}.", code="plan.bad_year", field="year")
    seen: set[HourCategory] = set()
    for item in items:
        if item.category in seen:
            raise InvalidInput(
                f"{item.category} is planned twice.", code="plan.duplicate_category", field="items"
            )
        seen.add(item.category)
        if not 0 <= item.sessions <= MAX_SESSIONS or not 0 <= item.tenths <= MAX_TENTHS:
            raise InvalidInput(
                f"Plan 0 to {MAX_SESSIONS} sessions and 0 to {MAX_TENTHS // 10} hours a category.",
                code="plan.bad_item",
                field="items",
            )


async def set_plan(
    services: Services, principal: Principal, agency_id: int, year: int, items: list[PlanItem]
) -> Plan:
    """Replace the agency's plan for `year` (this year or the next). Raises InvalidInput
    (`plan.bad_year`, `plan.duplicate_category`, `plan.bad_item`), NotFound
    `agency.not_found`, Forbidden."""
    principal.require(Action.MANAGE_TRAINING)
    _check(year, items, services)
    agency = await get_agency(principal, agency_id)
    stored = [
        {"category": str(i.category), "sessions": i.sessions, "tenths": i.tenths} for i in items
    ]
    async with services.unit_of_work():
        updated = await TrainingPlan.filter(agency_id=agency.id, year=year).update(items=stored)
        if not updated:
            try:
                async with services.unit_of_work():
                    await TrainingPlan.create(agency_id=agency.id, year=year, items=stored)
            except IntegrityError:  # another writer made it at the same moment
                await TrainingPlan.filter(agency_id=agency.id, year=year).update(items=stored)
    return Plan(agency.id, year, items)


async def get_plan(principal: Principal, agency_id: int, year: int) -> Plan:
    """The agency's plan for `year` (no items when none was set). Raises NotFound."""
    principal.require(Action.READ_OFFICERS)
    agency = await get_agency(principal, agency_id)
    plan = await TrainingPlan.get_or_none(agency_id=agency.id, year=year)
    items = [
        PlanItem(HourCategory(i["category"]), int(i["sessions"]), int(i["tenths"]))
        for i in (plan.items if plan else [])
    ]
    return Plan(agency.id, year, items)
