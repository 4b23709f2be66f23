"""Yearly hour requirements: `PUT/GET /api/v1/requirements/{year}`."""

from __future__ import annotations

from typing import ClassVar

import msgspec
from litestar import Controller, get, put
from litestar.params import JSONBody

from service.domain.hours import hours_of, maybe_hours, parse_tenths
from service.usecases import requirements
from service.web.deps import ServicesDep, StaffDep
from service.web.params import (
    HoursPerCategory,
    OptionalNumber,
    RegionCodeField,
    RegionCodeQuery,
    Year,
)


class RequirementIn(msgspec.Struct, forbid_unknown_fields=True):
    region_code: RegionCodeField
    min_hours: HoursPerCategory = msgspec.field(default_factory=dict)
    min_total: OptionalNumber = None


class RequirementOut(msgspec.Struct):
    year: int
    region_code: str
    inherited: bool
    set_by_region: str | None  # None: nobody set one, the default applies
    min_hours: dict[str, float]
    min_total: float | None
    required: dict[str, float]  # per category and `total`: what an officer must reach


def requirement_out(found: requirements.Effective) -> RequirementOut:
    r = found.requirement
    return RequirementOut(
        year=found.year,
        region_code=found.region_code,
        inherited=found.set_by_region != found.region_code,
        set_by_region=found.set_by_region,
        min_hours=hours_of(r.minimums),
        min_total=maybe_hours(r.min_total),
        required=hours_of(r.required()),
    )


class RequirementController(Controller):
    path = "/api/v1/requirements"
    tags: ClassVar[list[str]] = ["training"]

    @put("/{year:int}", summary="Set a region's hour requirement for a year")
    async def set(
        self,
        year: Year,
        data: JSONBody[RequirementIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> RequirementOut:
        """`min_hours` per category (public_law, professional, political) and/or
        `min_total`; hours in steps of 0.1. Regions inside inherit it unless they set
        their own. Replaces what the region had for the year."""
        minimums = {
            category: parse_tenths(hours, field=f"min_hours.{category}")
            for category, hours in data.min_hours.items()
        }
        total = (
            parse_tenths(data.min_total, field="min_total") if data.min_total is not None else None
        )
        found = await requirements.set_requirement(
            services, staff, year, data.region_code, minimums, total
        )
        return requirement_out(found)

    @get("/{year:int}", summary="The requirement that applies in a region")
    async def read(
        self,
        year: Year,
        staff: StaffDep,
        services: ServicesDep,
        region_code: RegionCodeQuery,
    ) -> RequirementOut:
        """The region's own requirement, else its nearest parent's, else 20 h public law +
        40 h professional."""
        return requirement_out(await requirements.effective(services, staff, year, region_code))
