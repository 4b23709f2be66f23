"""Walking the region tree upwards, and what is found on the way."""

from __future__ import annotations

from service.domain.organisation import AgencyKind, RegionLevel
from service.store.models import Agency, Region


async def region_chain(code: str) -> list[Region]:
    """The region and its ancestors, nearest first."""
    chain: list[Region] = []
    next_code: str | None = code
    while next_code is not None and len(chain) < len(RegionLevel):
        region = await Region.get_or_none(code=next_code)
        if region is None:
            break
        chain.append(region)
        next_code = region.parent_id  # type: ignore[attr-defined]
    return chain


async def nearest_justice_bureau(region_code: str) -> Agency | None:
    """The nearest justice bureau at or above the region: a certificate's authority."""
    chain = [region.code for region in await region_chain(region_code)]
    bureaus = await Agency.filter(kind=AgencyKind.JUSTICE_BUREAU, region_id__in=chain)
    return min(bureaus, key=lambda a: chain.index(a.region_id), default=None)  # type: ignore[attr-defined]
