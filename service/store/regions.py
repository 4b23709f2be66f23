"""Walking the region tree upwards."""

from __future__ import annotations

from service.domain.organisation import RegionLevel
from service.store.models import Region


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
