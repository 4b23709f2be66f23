"""Sums over the hour ledger: per officer and category (the annual review and the
reports share it), and per month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from tortoise.expressions import Subquery
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from service.domain.hours import HourCategory
from service.store import sql
from service.store.models import HourEntry, Officer

Earned = dict[int, dict[HourCategory, int]]  # officer id -> category -> tenths


async def earned_by_officer(
    year: int, *, officer_ids: Sequence[int] | None = None, region_prefix: str | None = None
) -> Earned:
    """Tenths of `year` per officer and category, for the officers named or those of the
    agencies inside a region (by code prefix): one GROUP BY over the ledger."""
    joins, where = "", ["h.year = ?"]
    values: list[object] = [year]
    if officer_ids is not None:
        if not officer_ids:
            return {}
        where.append(f"h.officer_id IN ({', '.join('?' * len(officer_ids))})")
        values.extend(officer_ids)
    if region_prefix is not None:
        joins = "JOIN officers o ON o.id = h.officer_id JOIN agencies a ON a.id = o.agency_id "
        where.append("a.region_id LIKE ?")
        values.append(region_prefix + "%")
    rows = await sql.fetch(
        f"SELECT h.officer_id, h.category, SUM(h.tenths) AS tenths FROM hour_ledger h {joins}"  # noqa: S608 - fixed clauses, bound values
        f"WHERE {' AND '.join(where)} GROUP BY h.officer_id, h.category",
        values,
    )
    earned: Earned = defaultdict(dict)
    for row in rows:
        earned[row["officer_id"]][HourCategory(row["category"])] = int(row["tenths"] or 0)
    return earned


async def earned_by_month(year: int, officers: QuerySet[Officer]) -> list[int]:
    """Tenths earned in each month of `year` by the officers of `officers`."""
    days = (
        await HourEntry.filter(year=year, officer_id__in=Subquery(officers.values("id")))
        .annotate(sum=Sum("tenths"))
        .group_by("occurred_on")
        .values_list("occurred_on", "sum")
    )
    months = [0] * 12
    for day, tenths in days:
        months[sql.as_date(day).month - 1] += int(tenths or 0)
    return months
