"""Reading the change feed that the triggers of migration 0007 write, and the state of
the records it names.

The feed's order is (transaction id, change id). On PostgreSQL a transaction that began
earlier may commit later, so a change with a smaller id can appear after a larger one
was read. The feed therefore hands out only the changes of transactions older than the
oldest one of this database still running (the horizon): all of those have ended, and
every change still to come belongs to a transaction at least as new, so it sorts after
whatever was handed out. A change is never skipped, at the price of waiting for the
longest running writer. Transactions of other databases of the cluster do not hold the
feed back: an id in the snapshot counts as this database's unless `pg_stat_activity`
shows it in another (a stranger's id, hidden from us, counts as ours: late, never wrong).
SQLite commits one writer at a time, so there the ids are the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from service.domain.exchange import Cursor
from service.store import sql

_HORIZON = """
WITH snap AS (SELECT pg_current_snapshot() AS s),
running AS (
  SELECT x::text::bigint AS xid FROM snap, pg_snapshot_xip(snap.s) AS x
  WHERE NOT EXISTS (
    SELECT 1 FROM pg_stat_activity a
    WHERE a.backend_xid::text::bigint = x::text::bigint % 4294967296
      AND a.datname IS DISTINCT FROM current_database()
  )
),
horizon AS (
  SELECT COALESCE(
    (SELECT MIN(xid) FROM running), (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap)
  ) AS xid
)
"""
_IN_REGION = (
    "JOIN officers o ON o.id = c.officer_id JOIN agencies a ON a.id = o.agency_id "
    "WHERE a.region_id LIKE ?"
)


def _horizon() -> tuple[str, str]:
    """The statement's head and the condition that keeps to the horizon (PostgreSQL)."""
    if sql.is_postgres(sql.connection()):
        return _HORIZON, "c.xid < (SELECT xid FROM horizon)"
    return "", "TRUE"


async def changes_after(cursor: Cursor, region_prefix: str, limit: int) -> list[dict[str, Any]]:
    """Up to `limit` changes after `cursor` to records of officers of the region, in feed
    order, none of a transaction that may still commit."""
    head, below = _horizon()
    query = (
        f"{head}SELECT c.id, c.kind, c.entity_id, c.officer_id, c.year, c.xid "  # noqa: S608 - fixed clauses, bound values
        f"FROM exchange_changes c {_IN_REGION} AND (c.xid, c.id) > (?, ?) AND {below} "
        "ORDER BY c.xid, c.id LIMIT ?"
    )
    return await sql.fetch(query, [region_prefix + "%", cursor.xid, cursor.id, limit])


async def latest() -> Cursor:
    """The cursor after every change the feed may hand out now (for a snapshot: the feed
    from here gives what changed since)."""
    head, below = _horizon()
    rows = await sql.fetch(
        f"{head}SELECT c.xid, c.id FROM exchange_changes c WHERE {below} "  # noqa: S608 - fixed clauses
        "ORDER BY c.xid DESC, c.id DESC LIMIT 1",
        [],
    )
    return Cursor(int(rows[0]["xid"]), int(rows[0]["id"])) if rows else Cursor()


_OFFICERS = (
    "SELECT o.id, o.name, o.id_number, o.gender, o.agency_id, a.name AS agency, "
    "a.region_id AS region_code, o.employment_type, o.post, o.in_post "
    "FROM officers o JOIN agencies a ON a.id = o.agency_id WHERE a.region_id LIKE ? "
)
_CERTIFICATES = (
    "SELECT c.id, c.officer_id, o.name, o.id_number, c.number, c.legacy, i.name AS "
    "issuing_agency, a.region_id AS region_code, c.enforcement_area, "
    "c.enforcement_categories, c.valid_from, c.valid_until, c.status, c.suspended_until, "
    "c.last_review_year FROM certificates c JOIN officers o ON o.id = c.officer_id "
    "JOIN agencies a ON a.id = o.agency_id LEFT JOIN agencies i ON i.id = c.issuing_agency_id "
    "WHERE a.region_id LIKE ? AND c.number IS NOT NULL "
)
_HOURS = (
    "SELECT h.officer_id, o.name, o.id_number, a.region_id AS region_code, h.year, "
    "h.category, SUM(h.tenths) AS tenths FROM hour_ledger h "
    "JOIN officers o ON o.id = h.officer_id JOIN agencies a ON a.id = o.agency_id "
    "WHERE a.region_id LIKE ? "
)
_HOURS_GROUP = "GROUP BY h.officer_id, o.name, o.id_number, a.region_id, h.year, h.category "


def _ids(ids: Sequence[int]) -> str:
    return ", ".join("?" * len(ids))


async def officers(region_prefix: str, ids: Sequence[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return await sql.fetch(f"{_OFFICERS}AND o.id IN ({_ids(ids)})", [region_prefix + "%", *ids])


async def certificates(region_prefix: str, ids: Sequence[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return await sql.fetch(f"{_CERTIFICATES}AND c.id IN ({_ids(ids)})", [region_prefix + "%", *ids])


async def hours(
    region_prefix: str, officer_ids: Sequence[int], years: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Tenths per category of the officers' years (every year they have hours of, or
    those of `years`), by officer and year."""
    if not officer_ids:
        return []
    query = f"{_HOURS}AND h.officer_id IN ({_ids(officer_ids)}) "
    values: list[Any] = [region_prefix + "%", *officer_ids]
    if years is not None:
        query += f"AND h.year IN ({_ids(years)}) "
        values.extend(years)
    return await sql.fetch(query + _HOURS_GROUP + "ORDER BY h.officer_id, h.year", values)


async def every(kind: str, region_prefix: str, after_id: int, limit: int) -> list[dict[str, Any]]:
    """A page of every officer or certificate of the region, by id (the snapshot)."""
    if kind == "officer":
        query = f"{_OFFICERS}AND o.id > ? ORDER BY o.id LIMIT ?"
    else:
        query = f"{_CERTIFICATES}AND c.id > ? ORDER BY c.id LIMIT ?"
    return await sql.fetch(query, [region_prefix + "%", after_id, limit])
