"""Raw SQL where the ORM cannot say it (upserts, set-based reads with row locks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from tortoise import connections
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError, OperationalError


def connection() -> BaseDBAsyncClient:
    """The current connection: the transaction's one inside a unit of work."""
    client: BaseDBAsyncClient = connections.get("default")
    return client


def is_postgres(client: BaseDBAsyncClient) -> bool:
    return client.capabilities.dialect == "postgres"


async def fetch(sql: str, values: list[Any]) -> list[dict[str, Any]]:
    """Rows as dicts. `sql` uses `?` placeholders, numbered for PostgreSQL here; values
    are always bound, never spliced in."""
    client = connection()
    return await _fetch(client, _numbered(sql, client), values)


async def fetch_numbered(sql: str, values: list[Any]) -> list[dict[str, Any]]:
    """`fetch` for a statement already numbered for the connection's dialect (`$1` for
    PostgreSQL, `?1` for SQLite), which may bind a value in several places."""
    return await _fetch(connection(), sql, values)


async def _fetch(client: BaseDBAsyncClient, sql: str, values: list[Any]) -> list[dict[str, Any]]:
    """The statement run by the client; outside a transaction on PostgreSQL, on a
    connection of its pool directly, which is what the client would do, without its
    wrappers (a hot path's statement is a fraction of what they cost). The driver's
    errors are those the client would raise."""
    pool = client._pool if type(client) is AsyncpgDBClient else None
    if pool is None:  # SQLite, a transaction's connection, or a pool not opened yet
        return await client.execute_query_dict(sql, values)
    try:
        async with pool.acquire() as driver:
            return [dict(row) for row in await driver.fetch(sql, *values)]
    except (asyncpg.SyntaxOrAccessError, asyncpg.exceptions.DataError) as error:
        raise OperationalError(error) from error
    except asyncpg.IntegrityConstraintViolationError as error:
        raise IntegrityError(error) from error


async def rows(sql: str, values: list[Any]) -> Sequence[Mapping[str, Any]]:
    """`fetch` for a SELECT (or WITH ... SELECT) of many rows: the driver's rows as they
    come (read by column name), not copied into dicts."""
    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        raise ValueError("rows() reads; write with fetch()")
    client = connection()
    return (await client.execute_query(_numbered(sql, client), values))[1]


def _numbered(sql: str, client: BaseDBAsyncClient) -> str:
    """`?` placeholders numbered for PostgreSQL."""
    if not is_postgres(client):
        return sql
    parts = sql.split("?")
    return parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], 1))


# Raw rows carry dates and times as Python objects on PostgreSQL and as the ISO text the
# ORM stored on SQLite.


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def maybe_date(value: date | str | None) -> date | None:
    """`as_date`, keeping NULL (a column with no date)."""
    return as_date(value) if value else None


def as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
