"""`store.sql`: raw statements outside a transaction run on the pool's connection directly
(PostgreSQL) or through the ORM's client (SQLite), with the same errors either way, and
inside a unit of work on the transaction's connection."""

from __future__ import annotations

import pytest
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from service.settings import Settings
from service.store import sql
from service.store.database import apply_migrations, connected

TABLE = "CREATE TABLE raw_sql_probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)"


async def test_raw_statements_give_rows_and_the_orms_errors_and_keep_to_a_transaction(
    settings: Settings,
) -> None:
    await apply_migrations(settings)
    async with connected(settings):
        await sql.connection().execute_script(TABLE)
        written = await sql.fetch(
            "INSERT INTO raw_sql_probe (id, note) VALUES (?, ?) RETURNING id, note", [1, "一"]
        )
        assert written == [{"id": 1, "note": "一"}]
        numbered = "$1" if sql.is_postgres(sql.connection()) else "?1"
        same = await sql.fetch_numbered(
            f"SELECT id FROM raw_sql_probe WHERE id = {numbered} OR id + 1 = {numbered} + 1",  # noqa: S608
            [1],
        )
        assert same == [{"id": 1}]
        with pytest.raises(IntegrityError):
            await sql.fetch("INSERT INTO raw_sql_probe (id, note) VALUES (?, ?)", [1, "again"])
        with pytest.raises(OperationalError):
            await sql.fetch("SELECT nothing FROM raw_sql_probe", [])
        with pytest.raises(RuntimeError, match="undone"):
            async with in_transaction():
                await sql.fetch("INSERT INTO raw_sql_probe (id, note) VALUES (?, ?)", [2, "二"])
                inside = await sql.fetch("SELECT count(*) AS n FROM raw_sql_probe", [])
                assert inside == [{"n": 2}]  # the transaction's own write, seen in it
                raise RuntimeError("undone")
        after = await sql.fetch("SELECT id FROM raw_sql_probe ORDER BY id", [])
        assert after == [{"id": 1}]
