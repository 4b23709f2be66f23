"""Regions as a use case names them: inside the caller's jurisdiction, or refused."""

from __future__ import annotations

from service.domain.access import Principal
from service.domain.errors import InvalidInput
from service.store.models import Region
from service.store.scoping import regions_visible


async def region_in_scope(principal: Principal, region_code: str, *, error_code: str) -> Region:
    """The region, if the caller may see it. Raises InvalidInput `error_code` on the
    `region_code` field otherwise: a region outside the jurisdiction is reported as
    unknown, so its existence is not told."""
    region = await regions_visible(principal).get_or_none(code=region_code)
    if region is None:
        raise InvalidInput(f"Unknown region {region_code}.", code=error_code, field="region_code")
    return region
