"""Hour requirements as stored: one row per region and year, inherited down the tree by
the domain's rule (`requirements.nearest`)."""

from __future__ import annotations

from collections.abc import Iterator

from service.domain.hours import HourCategory
from service.domain.organisation import RegionLevel
from service.domain.requirements import Requirement, nearest
from service.store.models import Region
from service.store.models import Requirement as RequirementRow
from service.store.regions import region_chain

COLUMNS = {
    HourCategory.PUBLIC_LAW: "min_public_law_tenths",
    HourCategory.PROFESSIONAL: "min_professional_tenths",
    HourCategory.POLITICAL: "min_political_tenths",
}


def requirement_of(row: RequirementRow) -> Requirement:
    minimums = {
        category: tenths
        for category, column in COLUMNS.items()
        if (tenths := getattr(row, column)) is not None
    }
    return Requirement(minimums, row.min_total_tenths)


def columns_of(requirement: Requirement) -> dict[str, int | None]:
    return {
        **{column: requirement.minimums.get(c) for c, column in COLUMNS.items()},
        "min_total_tenths": requirement.min_total,
    }


async def effective_for(year: int, region_code: str) -> tuple[Requirement, str | None]:
    """The requirement that applies in the region, and the region that set it (None: the
    default)."""
    chain = [region.code for region in await region_chain(region_code)]
    rows = {
        row.region_id: requirement_of(row)  # type: ignore[attr-defined]
        for row in await RequirementRow.filter(year=year, region_id__in=chain)
    }
    return nearest((code, rows.get(code)) for code in chain)


async def effective_by_region(year: int, code: str, prefix: str) -> dict[str, Requirement]:
    """The requirement that applies in every region inside the one given (and in it)."""
    regions = {r.code: r for r in await Region.filter(code__startswith=prefix)}
    regions.update({r.code: r for r in await region_chain(code)})
    set_here = {
        row.region_id: requirement_of(row)  # type: ignore[attr-defined]
        for row in await RequirementRow.filter(year=year, region_id__in=list(regions))
    }

    def chain(region_code: str) -> Iterator[tuple[str, Requirement | None]]:
        seen: str | None = region_code
        for _ in RegionLevel:
            if seen is None or seen not in regions:
                return
            yield seen, set_here.get(seen)
            seen = regions[seen].parent_id  # type: ignore[attr-defined]

    return {c: nearest(chain(c))[0] for c in regions}
