"""Regions and agencies: `/api/v1/regions`, `/api/v1/agencies`."""

from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, get, patch, post, put
from litestar.params import JSONBody

from service.domain.hours import HourCategory, as_hours, parse_tenths
from service.domain.organisation import SECTORS, AgencyKind, RegionLevel
from service.store.models import Agency, Region
from service.usecases import reference, training_plans
from service.web.deps import ServicesDep, StaffDep
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import Id, Number, OptionalRegionCode, RegionCodeField, SectorField, Year

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class RegionIn(msgspec.Struct, forbid_unknown_fields=True):
    code: RegionCodeField
    name: Name
    level: RegionLevel
    parent_code: RegionCodeField | None = None


class RegionOut(msgspec.Struct):
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None


class AgencyIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    region_code: RegionCodeField
    sector: SectorField
    kind: AgencyKind


class AgencyPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Name


class AgencyOut(msgspec.Struct):
    id: int
    name: str
    region_code: str
    sector: str
    sector_name: str
    kind: AgencyKind


def region_out(region: Region) -> RegionOut:
    return RegionOut(region.code, region.name, region.level, region.parent_id)  # type: ignore[attr-defined]


def agency_out(agency: Agency) -> AgencyOut:
    return AgencyOut(
        agency.id,
        agency.name,
        agency.region_id,  # type: ignore[attr-defined]
        agency.sector,
        SECTORS.get(agency.sector, ""),
        agency.kind,
    )


class RegionController(Controller):
    path = "/api/v1/regions"
    tags: ClassVar[list[str]] = ["reference data"]

    @post("/", summary="Add a region")
    async def create(self, data: JSONBody[RegionIn], staff: StaffDep) -> RegionOut:
        """Add a region (GB/T 2260 code) inside the caller's jurisdiction."""
        new = reference.NewRegion(data.code, data.name, data.level, data.parent_code)
        return region_out(await reference.create_region(staff, new))

    @get("/", summary="List regions")
    async def list(
        self,
        staff: StaffDep,
        page: PageNumber = 1,
        page_size: PageSize = 50,
        parent_code: OptionalRegionCode = None,
    ) -> PageOut[RegionOut]:
        """Regions in the caller's jurisdiction, by code."""
        found = await reference.list_regions(
            staff, parent_code=parent_code, page=page, page_size=page_size
        )
        return page_out(found, region_out)


class PlanItemIn(msgspec.Struct, forbid_unknown_fields=True):
    category: HourCategory
    sessions: Annotated[int, msgspec.Meta(ge=0, le=training_plans.MAX_SESSIONS)]
    hours: Number


class PlanIn(msgspec.Struct, forbid_unknown_fields=True):
    items: Annotated[list[PlanItemIn], msgspec.Meta(max_length=len(HourCategory))]


class PlanItemOut(msgspec.Struct):
    category: str
    sessions: int
    hours: float


class PlanOut(msgspec.Struct):
    agency_id: int
    year: int
    items: list[PlanItemOut]


def plan_out(plan: training_plans.Plan) -> PlanOut:
    return PlanOut(
        plan.agency_id,
        plan.year,
        [PlanItemOut(str(i.category), i.sessions, as_hours(i.tenths)) for i in plan.items],
    )


class AgencyController(Controller):
    path = "/api/v1/agencies"
    tags: ClassVar[list[str]] = ["reference data"]

    @post("/", summary="Add an agency")
    async def create(self, data: JSONBody[AgencyIn], staff: StaffDep) -> AgencyOut:
        """Add a justice bureau, department or township team in a region of the caller's."""
        new = reference.NewAgency(data.name, data.region_code, data.sector, data.kind)
        return agency_out(await reference.create_agency(staff, new))

    @get("/", summary="List agencies")
    async def list(
        self,
        staff: StaffDep,
        page: PageNumber = 1,
        page_size: PageSize = 50,
        region_code: OptionalRegionCode = None,
    ) -> PageOut[AgencyOut]:
        """Agencies in the caller's jurisdiction."""
        found = await reference.list_agencies(
            staff, region_code=region_code, page=page, page_size=page_size
        )
        return page_out(found, agency_out)

    @get("/{agency_id:int}", summary="Read an agency")
    async def read(self, agency_id: Id, staff: StaffDep) -> AgencyOut:
        return agency_out(await reference.get_agency(staff, agency_id))

    @put("/{agency_id:int}/training-plan/{year:int}", summary="Set a yearly training plan")
    async def set_training_plan(
        self,
        agency_id: Id,
        year: Year,
        data: JSONBody[PlanIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> PlanOut:
        """The agency's training plan (年度学习培训计划) for this year or the next:
        `{"items": [{"category", "sessions", "hours"}]}`, one item a category, replacing
        what was planned. The annual report sets it against the sessions held."""
        items = [
            training_plans.PlanItem(i.category, i.sessions, parse_tenths(i.hours))
            for i in data.items
        ]
        plan = await training_plans.set_plan(services, staff, agency_id, year, items)
        return plan_out(plan)

    @get("/{agency_id:int}/training-plan/{year:int}", summary="Read a yearly training plan")
    async def training_plan(self, agency_id: Id, year: Year, staff: StaffDep) -> PlanOut:
        """The plan as set (no items when none was)."""
        return plan_out(await training_plans.get_plan(staff, agency_id, year))

    @patch("/{agency_id:int}", summary="Rename an agency")
    async def rename(
        self,
        agency_id: Id,
        data: JSONBody[AgencyPatch],
        staff: StaffDep,
        services: ServicesDep,
    ) -> AgencyOut:
        return agency_out(await reference.rename_agency(services, staff, agency_id, data.name))
