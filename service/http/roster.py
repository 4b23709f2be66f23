"""The public roster (公示): which agency's officers hold a certificate, for public query
and supervision. JSON at `GET /api/v1/public/agencies?region_code=` and
`/api/v1/public/agencies/{id}/officers?page=&q=`; mobile pages in Chinese at `/roster`
(pick a region, then an agency) and `/roster/{agency_id}` (searchable by name). Only the
public view's fields; rate limited with the other public routes, cached like them."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get
from litestar.params import QueryParameter
from litestar.response import Template

from service.domain.errors import DomainError
from service.store.models import Region
from service.usecases import roster
from service.usecases.roster import HolderPage, RosterAgency
from service.web.deps import ServicesDep
from service.web.params import Id

FRESH = {"Cache-Control": "no-cache"}  # a suspension must show at once
RegionQuery = Annotated[str | None, QueryParameter(pattern=r"^\d{6}(\d{3})?$")]
NameQuery = Annotated[str | None, QueryParameter(max_length=50)]
Page = Annotated[int, QueryParameter(ge=1, le=10_000)]
PageSize = Annotated[int, QueryParameter(ge=1, le=roster.PAGE_SIZE_MAX)]


class AgenciesOut(msgspec.Struct):
    items: list[RosterAgency]


@get("/api/v1/public/agencies", summary="Agencies with certificate holders (公示)")
async def public_agencies(
    services: ServicesDep, region_code: RegionQuery = None
) -> Response[AgenciesOut]:
    """Agencies of the region (and the regions inside it) with how many certificate
    holders each has. 422 `roster.bad_region` for an unknown region."""
    found = await roster.agencies(services, region_code)
    return Response(AgenciesOut(found), headers=FRESH)


@get("/api/v1/public/agencies/{agency_id:int}/officers", summary="An agency's certificate holders")
async def public_holders(
    agency_id: Id,
    services: ServicesDep,
    page: Page = 1,
    page_size: PageSize = 50,
    q: NameQuery = None,
) -> Response[HolderPage]:
    """The agency's officers holding a live certificate (active or suspended), by name:
    name, number, enforcement area and categories, status in words, valid until; `q`
    matches part of a name. 404 `roster.agency_not_found`."""
    found = await roster.holders(services, agency_id, q=q, page=page, page_size=page_size)
    return Response(found, headers=FRESH)


@get("/roster", include_in_schema=False)
async def roster_regions(services: ServicesDep, region_code: RegionQuery = None) -> Template:
    regions = await Region.all().order_by("code").values_list("code", "name", "level")
    context: dict[str, Any] = {"regions": regions, "chosen": region_code}
    if region_code:
        try:
            context["agencies"] = await roster.agencies(services, region_code)
        except DomainError:
            context["error"] = "没有这个行政区划。"
    return Template("roster.html", context=context, headers=FRESH)


@get("/roster/{agency_id:int}", include_in_schema=False)
async def roster_agency(
    agency_id: Id, request: Request[Any, Any, Any], services: ServicesDep,
    page: Page = 1, q: NameQuery = None,
) -> Template:  # fmt: skip
    try:
        found = await roster.holders(services, agency_id, q=q, page=page, page_size=50)
    except DomainError:
        return Template(
            "roster.html", context={"error": "没有这个单位。"}, status_code=404, headers=FRESH
        )
    pages = (found.total + found.page_size - 1) // found.page_size
    return Template(
        "roster.html",
        context={"holders": found, "q": q or "", "pages": pages},
        headers=FRESH,
    )
