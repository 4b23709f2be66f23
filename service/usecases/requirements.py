"""Yearly hour requirements: set per region, read as inherited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from service.domain.access import Action, Principal
from service.domain.errors import InvalidInput
from service.domain.hours import HourCategory
from service.domain.requirements import Requirement, new_requirement
from service.store.models import Requirement as RequirementRow
from service.store.requirements import columns_of, effective_for
from service.usecases.regions import region_in_scope
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class Effective:
    year: int
    region_code: str
    requirement: Requirement
    set_by_region: str | None  # where it is set; None: the default of 20 + 40 hours


async def set_requirement(
    services: Services,
    principal: Principal,
    year: int,
    region_code: str,
    minimums: Mapping[HourCategory, int],
    min_total: int | None,
) -> Effective:
    """Set (or replace) the requirement of a region in the caller's jurisdiction for a
    year; regions inside it inherit it unless they set their own.

    Raises InvalidInput (`requirement.bad_year`, `requirement.bad_region`,
    `requirement.bad_hours`, `requirement.empty`), Forbidden.
    """
    principal.require(Action.SET_REQUIREMENTS)
    _check_year(services, year)
    region = await region_in_scope(principal, region_code, error_code="requirement.bad_region")
    values = columns_of(new_requirement(minimums, min_total))
    key: dict[str, Any] = {"region_id": region.code, "year": year}
    if not await RequirementRow.filter(**key).update(**values):
        try:
            await RequirementRow.create(**{**key, **values})
        except IntegrityError:  # someone created it a moment ago: (region, year) is unique
            await RequirementRow.filter(**key).update(**values)
    return await effective(services, principal, year, region.code)


async def effective(
    services: Services, principal: Principal, year: int, region_code: str
) -> Effective:
    """The requirement that applies in a region (its own, or the nearest parent's, or the
    default). Raises InvalidInput as `set_requirement`."""
    principal.require(Action.READ_OFFICERS)
    _check_year(services, year)
    region = await region_in_scope(principal, region_code, error_code="requirement.bad_region")
    requirement, source = await effective_for(year, region.code)
    return Effective(year, region.code, requirement, source)


def _check_year(services: Services, year: int) -> None:
    if not 2000 <= year <= services.today().year + 1:
        raise InvalidInput(
            f"No requirement for year {year}: from 2000 to next year.",
            code="requirement.bad_year",
            field="year",
        )
