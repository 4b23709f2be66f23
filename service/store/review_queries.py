"""Set-based reads of the annual review: a few queries whatever the number of officers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from service.domain.certificates import CertificateStatus
from service.domain.hours import HourCategory
from service.domain.organisation import RegionLevel
from service.domain.requirements import Requirement, effective_requirement
from service.store import sql
from service.store.models import Region
from service.store.models import Requirement as RequirementRow
from service.store.regions import region_chain
from service.store.requirements import requirement_of

_DUE = """
SELECT c.id, c.number, c.officer_id, c.version, c.valid_from, c.valid_until,
       c.enforcement_area, c.enforcement_categories, c.last_review_year,
       o.name AS officer_name, o.in_post, o.chain_seq, o.chain_head, a.region_id
FROM certificates c
JOIN officers o ON o.id = c.officer_id
JOIN agencies a ON a.id = o.agency_id
WHERE c.status = ? AND c.valid_from <= ? AND c.valid_until >= ?
  AND a.region_id LIKE ?
  AND NOT EXISTS (
    SELECT 1 FROM annual_review_results r WHERE r.certificate_id = c.id AND r.year = ?)
ORDER BY c.id
"""


async def due_certificates(
    year: int, prefix: str, today: date, *, lock: bool
) -> list[dict[str, Any]]:
    """Active, still valid certificates issued by the end of `year` (the SQL form of
    `domain.annual_review.is_due`) and not yet reviewed for it; locked with their officers
    (whose event chains the review extends)."""
    query = _DUE
    if lock and sql.is_postgres(sql.connection()):
        query += " FOR NO KEY UPDATE OF c, o"
    return await sql.fetch(
        query,
        [CertificateStatus.ACTIVE.value, date(year, 12, 31), today, prefix + "%", year],
    )


async def hours_by_officer(year: int, prefix: str) -> dict[int, dict[HourCategory, int]]:
    """Everyone's hours of the year by category: one GROUP BY over the ledger."""
    rows = await sql.fetch(
        """
        SELECT h.officer_id, h.category, SUM(h.tenths) AS tenths
        FROM hour_ledger h
        JOIN officers o ON o.id = h.officer_id
        JOIN agencies a ON a.id = o.agency_id
        WHERE h.year = ? AND a.region_id LIKE ?
        GROUP BY h.officer_id, h.category
        """,
        [year, prefix + "%"],
    )
    earned: dict[int, dict[HourCategory, int]] = defaultdict(dict)
    for row in rows:
        earned[row["officer_id"]][HourCategory(row["category"])] = int(row["tenths"])
    return earned


async def requirements_by_region(year: int, code: str, prefix: str) -> dict[str, Requirement]:
    """The effective requirement of every region inside the reviewed one."""
    ancestors = await region_chain(code)
    regions = {r.code: r for r in await Region.filter(code__startswith=prefix)}
    regions.update({r.code: r for r in ancestors})
    set_here: dict[str, Requirement] = {}
    for row in await RequirementRow.filter(year=year, region_id__in=list(regions)):
        set_here[row.region_id] = requirement_of(row)  # type: ignore[attr-defined]

    def chain(region_code: str) -> Iterator[Requirement | None]:
        seen: str | None = region_code
        for _ in RegionLevel:
            if seen is None or seen not in regions:
                return
            yield set_here.get(seen)
            seen = regions[seen].parent_id  # type: ignore[attr-defined]

    return {c: effective_requirement(chain(c)) for c in regions}
