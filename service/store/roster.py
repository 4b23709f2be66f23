"""The public roster's reads (公示): agencies with certificate holders, and an agency's
holders, in plain SQL (a public page builds no models). A holder is a certificate that is
active or suspended and not past its validity; the exact status is worked out per row."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.store import sql
from service.store.certificates import categories

_LIVE = "c.status IN ('active', 'suspended') AND (c.valid_until IS NULL OR c.valid_until >= ?)"


async def agencies(region_prefix: str, today: date) -> list[dict[str, Any]]:
    """Agencies of the region (by code prefix) with at least one holder, by region and name."""
    return await sql.fetch(
        "SELECT a.id, a.name, a.region_id AS region_code, r.name AS region_name, "  # noqa: S608 - fixed clauses, bound values
        "COUNT(c.id) AS holders FROM agencies a JOIN regions r ON r.code = a.region_id "
        "JOIN officers o ON o.agency_id = a.id "
        f"JOIN certificates c ON c.officer_id = o.id AND {_LIVE} "
        "WHERE a.region_id LIKE ? GROUP BY a.id, a.name, a.region_id, r.name "
        "ORDER BY a.region_id, a.name",
        [today, region_prefix + "%"],
    )


async def agency(agency_id: int) -> dict[str, Any] | None:
    rows = await sql.fetch(
        "SELECT a.id, a.name, a.region_id AS region_code, r.name AS region_name "
        "FROM agencies a JOIN regions r ON r.code = a.region_id WHERE a.id = ?",
        [agency_id],
    )
    return rows[0] if rows else None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def holders(
    agency_id: int, today: date, name: str | None, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the agency's holders, by name then number, and how many there are; `name`
    matches part of a name."""
    where = f"o.agency_id = ? AND {_LIVE}"
    values: list[Any] = [agency_id, today]
    if name:
        where += " AND o.name LIKE ? ESCAPE '\\'"
        values.append(_like(name))
    base = f"FROM certificates c JOIN officers o ON o.id = c.officer_id WHERE {where}"
    count = await sql.fetch(f"SELECT COUNT(*) AS n {base}", values)
    rows = await sql.fetch(
        "SELECT o.name, c.number, c.enforcement_area, c.enforcement_categories, c.status, "
        f"c.valid_until, c.suspended_until {base} ORDER BY o.name, c.number LIMIT ? OFFSET ?",
        [*values, limit, offset],
    )
    for row in rows:
        row["enforcement_categories"] = categories(row["enforcement_categories"])
    return rows, int(count[0]["n"])
