"""The public roster (公示): the certificate holders of each agency, for public query and
supervision, as the action plans ask. Only the public view's fields: name, number,
enforcement area and categories, status in words, valid until.

Answers are cached like the public view of a certificate, under the public cache's
generation, which every unit of work that changes a public view moves on: a suspension
or a cancellation shows at once.
"""

from __future__ import annotations

from datetime import date

import msgspec

from service.domain.certificates import CertificateStatus, effective_status
from service.domain.errors import InvalidInput, NotFound
from service.domain.organisation import RegionLevel, region_prefix
from service.store import roster as store
from service.store import sql
from service.store.models import Region
from service.usecases.services import Services
from service.usecases.verification import public_cached

PAGE_SIZE_MAX = 100


class RosterAgency(msgspec.Struct, frozen=True):
    id: int
    name: str
    region_code: str
    region_name: str
    holders: int


class Holder(msgspec.Struct, frozen=True):
    name: str
    number: str
    enforcement_area: str
    enforcement_categories: list[str]
    status: str
    status_label: str
    valid_until: date | None


class HolderPage(msgspec.Struct, frozen=True):
    agency: RosterAgency
    items: list[Holder]
    total: int
    page: int
    page_size: int


_agencies = msgspec.msgpack.Decoder(list[RosterAgency])
_page = msgspec.msgpack.Decoder(HolderPage)


async def agencies(services: Services, region_code: str | None) -> list[RosterAgency]:
    """Agencies of the region (and the regions inside it; all without one) that have
    certificate holders. Raises InvalidInput `roster.bad_region`."""
    prefix = ""
    if region_code:
        region = await Region.get_or_none(code=region_code)
        if region is None:
            raise InvalidInput(f"No region has the code {region_code!r}.", code="roster.bad_region")
        prefix = region_prefix(region.code, RegionLevel(region.level))

    async def make() -> list[RosterAgency]:
        rows = await store.agencies(prefix, services.today())
        return [msgspec.convert(row, RosterAgency) for row in rows]

    return await public_cached(services, f"roster:agencies:{prefix}", make, _agencies)


async def holders(
    services: Services, agency_id: int, *, q: str | None, page: int, page_size: int
) -> HolderPage:
    """A page of the agency's certificate holders, by name; `q` matches part of a name.
    Raises NotFound `roster.agency_not_found`."""
    q = " ".join((q or "").split())[:50] or None
    today = services.today()

    async def make() -> HolderPage:
        agency = await store.agency(agency_id)
        if agency is None:
            raise NotFound(f"No agency {agency_id}.", code="roster.agency_not_found")
        rows, total = await store.holders(agency_id, today, q, (page - 1) * page_size, page_size)
        agency_facts = RosterAgency(**agency, holders=total)  # of the page's query
        return HolderPage(
            agency_facts, [_holder(row, today) for row in rows], total, page, page_size
        )

    key = f"roster:holders:{agency_id}:{page}:{page_size}:{q or ''}"
    return await public_cached(services, key, make, _page)


def _holder(row: dict[str, object], today: date) -> Holder:
    until = sql.maybe_date(row["valid_until"])  # type: ignore[arg-type]
    ends = sql.maybe_date(row["suspended_until"])  # type: ignore[arg-type]
    status = effective_status(CertificateStatus(str(row["status"])), until, ends, today)
    return Holder(
        name=str(row["name"]),
        number=str(row["number"]),
        enforcement_area=str(row["enforcement_area"]),
        enforcement_categories=list(row["enforcement_categories"]),  # type: ignore[call-overload]
        status=str(status),
        status_label=status.label,
        valid_until=until,
    )
