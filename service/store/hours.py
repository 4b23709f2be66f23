"""Sums over the hour ledger: per officer and category (the annual review and the
reports share it, from the totals the ledger's triggers keep), and per month; and the
check of those totals against the ledger."""

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
    agencies inside a region (by code prefix): one read of the ledger's totals (at most
    a row per officer and category, whatever the number of entries)."""
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
    rows = await sql.rows(
        f"SELECT h.officer_id, h.category, h.tenths FROM hour_totals h {joins}"  # noqa: S608 - fixed clauses, bound values
        f"WHERE {' AND '.join(where)} AND h.entries > 0",
        values,
    )
    earned: Earned = defaultdict(dict)
    categories = {str(category): category for category in HourCategory}
    for row in rows:
        earned[row["officer_id"]][categories[row["category"]]] = int(row["tenths"] or 0)
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


_LEDGER_SUMS = (
    "SELECT officer_id, year, category, SUM(tenths) AS tenths, COUNT(*) AS entries "
    "FROM hour_ledger GROUP BY officer_id, year, category"
)
_TOTALS = (
    "SELECT officer_id, year, category, tenths, entries FROM hour_totals "
    "WHERE entries <> 0 OR tenths <> 0"
)


async def totals_disagreeing(limit: int = 10) -> list[dict[str, object]]:
    """The officers, years and categories whose kept totals are not the ledger's sums
    (a total missing, extra or different), each as the ledger sums it or as the totals
    keep it (`side`): empty when they all agree."""
    rows = await sql.fetch(
        f"SELECT m.*, 'ledger' AS side FROM ({_LEDGER_SUMS} EXCEPT {_TOTALS}) AS m "  # noqa: S608 - constants
        f"UNION SELECT e.*, 'totals' AS side FROM ({_TOTALS} EXCEPT {_LEDGER_SUMS}) AS e "
        "ORDER BY officer_id, year, category LIMIT ?",
        [limit],
    )
    return rows
