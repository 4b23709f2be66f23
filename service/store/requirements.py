"""Hour requirements as stored: one row per region and year, inherited down the tree."""

from __future__ import annotations

from service.domain.hours import HourCategory
from service.domain.requirements import DEFAULT_REQUIREMENT, Requirement
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
        row.region_id: row  # type: ignore[attr-defined]
        for row in await RequirementRow.filter(year=year, region_id__in=chain)
    }
    for code in chain:
        if code in rows:
            return requirement_of(rows[code]), code
    return DEFAULT_REQUIREMENT, None
