"""Regions and agencies."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from service.domain.access import Action, Principal
from service.domain.errors import Conflict, Forbidden, InvalidInput
from service.domain.organisation import (
    AgencyKind,
    RegionLevel,
    validate_parent,
    validate_region_code,
    validate_sector,
)
from service.store.lookups import one
from service.store.models import Agency, Region
from service.store.paging import Page, paginate
from service.store.scoping import agencies_visible, regions_visible
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class NewRegion:
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None = None


@dataclass(frozen=True, slots=True)
class NewAgency:
    name: str
    region_code: str
    sector: str
    kind: AgencyKind


async def create_region(principal: Principal, new: NewRegion) -> Region:
    """Add a region inside the caller's jurisdiction.

    Raises InvalidInput (`region.bad_code`, `region.bad_parent`), Conflict
    (`region.exists`), Forbidden (outside the caller's region).
    """
    principal.require(Action.MANAGE_REGIONS)
    code = validate_region_code(new.code, new.level)
    name = _required_name(new.name)
    parent = None
    if new.parent_code is not None:
        parent = await Region.get_or_none(code=new.parent_code)
        if parent is None:
            raise InvalidInput(
                f"Unknown parent region {new.parent_code}.",
                code="region.bad_parent",
                field="parent_code",
            )
    validate_parent(code, new.level, new.parent_code, parent.level if parent else None)
    if not principal.scope.covers_region(code):
        raise Forbidden("That region lies outside your jurisdiction.", code="auth.out_of_scope")
    try:
        return await Region.create(code=code, name=name, level=new.level, parent=parent)
    except IntegrityError:
        raise Conflict(f"Region {code} exists already.", code="region.exists") from None


async def list_regions(
    principal: Principal, *, parent_code: str | None, page: int, page_size: int
) -> Page[Region]:
    query = regions_visible(principal)
    if parent_code is not None:
        query = query.filter(parent_id=parent_code)
    return await paginate(query.order_by("code"), page, page_size)


async def create_agency(principal: Principal, new: NewAgency) -> Agency:
    """Add an agency in a region of the caller's jurisdiction.

    Raises InvalidInput (`agency.bad_region`, `agency.bad_sector`), Conflict
    (`agency.exists`: same name in the region), Forbidden.
    """
    principal.require(Action.MANAGE_AGENCIES)
    name = _required_name(new.name)
    sector = validate_sector(new.sector)
    region = await Region.get_or_none(code=new.region_code)
    if region is None:
        raise InvalidInput(
            f"Unknown region {new.region_code}.", code="agency.bad_region", field="region_code"
        )
    if not principal.scope.covers_region(region.code):
        raise Forbidden("That region lies outside your jurisdiction.", code="auth.out_of_scope")
    try:
        return await Agency.create(name=name, region=region, sector=sector, kind=new.kind)
    except IntegrityError:
        raise Conflict(f"{name} exists already in {region.name}.", code="agency.exists") from None


async def get_agency(principal: Principal, agency_id: int) -> Agency:
    query = agencies_visible(principal).filter(id=agency_id)
    return await one(query, code="agency.not_found", what=f"agency {agency_id}")


async def rename_agency(
    services: Services, principal: Principal, agency_id: int, name: str
) -> Agency:
    """Change an agency's name. Raises NotFound, Conflict (`agency.exists`), Forbidden."""
    principal.require(Action.MANAGE_AGENCIES)
    agency = await get_agency(principal, agency_id)
    agency.name = _required_name(name)
    try:
        async with services.unit_of_work() as uow:
            await agency.save(update_fields=["name", "updated_at"])
            uow.public_views_changed()  # public views show the agency's name
    except IntegrityError:
        raise Conflict(
            f"{agency.name} exists already in its region.", code="agency.exists"
        ) from None
    return agency


async def list_agencies(
    principal: Principal, *, region_code: str | None, page: int, page_size: int
) -> Page[Agency]:
    query = agencies_visible(principal)
    if region_code is not None:
        query = query.filter(region_id=region_code)
    return await paginate(query.order_by("id"), page, page_size)


def _required_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("A name is required.", code="request.missing_name", field="name")
    return name
