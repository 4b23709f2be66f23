"""Sums over the hour ledger, from the totals its triggers keep: per officer and category
(the annual review and the reports share it), and per agency and month (the dashboard);
and the checks of those totals against the ledger."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.expressions import Subquery
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from service.domain.hours import HourCategory
from service.store import sql
from service.store.models import Agency, HourMonth

Earned = dict[int, dict[HourCategory, int]]  # officer id -> category -> tenths
CATEGORIES = [str(category) for category in HourCategory]  # the columns of `hour_years`
PIVOT = [f"SUM(CASE WHEN category = '{c}' THEN tenths ELSE 0 END) AS {c}" for c in CATEGORIES]


async def earned_by_officer(
    year: int, *, officer_ids: Sequence[int] | None = None, region_prefix: str | None = None
) -> Earned:
    """Tenths of `year` per officer and category (those above or below nothing), for the
    officers named or those of the agencies inside a region (by code prefix): one read
    of the officers' years (a row per officer, whatever the number of entries)."""
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
        f"SELECT h.officer_id, {', '.join(f'h.{c}' for c in CATEGORIES)} "  # noqa: S608 - fixed clauses, bound values
        f"FROM hour_years h {joins}WHERE {' AND '.join(where)} AND h.entries > 0",
        values,
    )
    earned: Earned = {}
    for row in rows:
        earned[row["officer_id"]] = {
            category: int(row[column])
            for category, column in zip(HourCategory, CATEGORIES, strict=True)
            if row[column]
        }
    return earned


async def earned_by_month(year: int, agencies: QuerySet[Agency]) -> list[int]:
    """Tenths earned in each month of `year` by the officers of `agencies` (those they
    have now): from the months the triggers keep, at most twelve rows per agency."""
    rows = (
        await HourMonth.filter(year=year, agency_id__in=Subquery(agencies.values("id")))
        .annotate(sum=Sum("tenths"))
        .group_by("month")
        .values_list("month", "sum")
    )
    months = [0] * 12
    for month, tenths in rows:
        months[int(month) - 1] += int(tenths or 0)
    return months


def _month(column: str) -> str:
    if sql.is_postgres(sql.connection()):
        return f"CAST(EXTRACT(MONTH FROM {column}) AS SMALLINT)"
    return f"CAST(strftime('%m', {column}) AS INTEGER)"


async def months_disagreeing(limit: int = 10) -> list[dict[str, object]]:
    """The agencies, years and months whose kept sums are not those of the ledger's
    entries of the agency's officers, each with its `side` (as `totals_disagreeing`)."""
    ledger = (
        f"SELECT o.agency_id, h.year, {_month('h.occurred_on')} AS month, "  # noqa: S608 - constants
        "SUM(h.tenths) AS tenths, COUNT(*) AS entries FROM hour_ledger h "
        "JOIN officers o ON o.id = h.officer_id GROUP BY 1, 2, 3"
    )
    kept = (
        "SELECT agency_id, year, month, tenths, entries FROM hour_months "
        "WHERE entries <> 0 OR tenths <> 0"
    )
    return await _disagreeing(ledger, kept, "agency_id, year, month", limit)


_LEDGER_SUMS = (
    f"SELECT officer_id, year, {', '.join(PIVOT)}, COUNT(*) AS entries "  # noqa: S608 - constants
    "FROM hour_ledger GROUP BY officer_id, year"
)
_TOTALS = (
    f"SELECT officer_id, year, {', '.join(CATEGORIES)}, entries FROM hour_years "  # noqa: S608 - constants
    "WHERE entries <> 0 OR " + " OR ".join(f"{c} <> 0" for c in CATEGORIES)
)


async def totals_disagreeing(limit: int = 10) -> list[dict[str, object]]:
    """The officers and years whose kept totals are not the ledger's sums (a year missing,
    extra or different), each as the ledger sums it or as the totals keep it (`side`):
    empty when they all agree."""
    return await _disagreeing(_LEDGER_SUMS, _TOTALS, "officer_id, year", limit)


async def _disagreeing(ledger: str, kept: str, order: str, limit: int) -> list[dict[str, object]]:
    """The rows of either select that the other lacks (EXCEPT both ways), the first
    `limit` in `order`, each tagged with the `side` it comes from."""
    return await sql.fetch(
        f"SELECT m.*, 'ledger' AS side FROM ({ledger} EXCEPT {kept}) AS m "  # noqa: S608 - constants
        f"UNION SELECT e.*, 'totals' AS side FROM ({kept} EXCEPT {ledger}) AS e "
        f"ORDER BY {order} LIMIT ?",
        [limit],
    )
