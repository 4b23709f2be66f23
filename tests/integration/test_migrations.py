"""Upgrading a database that holds data, on SQLite and PostgreSQL: migration 0004 renames
`certificate_events` to `officer_events` in place, so the events kept before the upgrade
are there after it, their chains still verify, and new events join them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api import migrate as tortoise_migrate

from service.demo import make_id_number
from service.domain.audit import GENESIS
from service.domain.events import COLUMNS, SYSTEM, Change, EventAction, chain
from service.store import events, sql
from service.store.config import tortoise_config
from service.store.database import apply_migrations, connected
from service.store.models import OfficerEvent
from service.usecases.audit import verify_chains
from tests.conftest import make_settings

BEFORE = "models.0003_attendance_device_indexes"
AT = datetime(2025, 11, 3, 8, 30, tzinfo=UTC)


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database with no tables at all."""
    if backend == "sqlite":
        return f"sqlite://{tmp_path / 'old.sqlite3'}"
    return str(request.getfixturevalue("empty_postgres")[1])


async def test_events_kept_before_the_rename_verify_and_grow_after_it(
    empty_url: str, tmp_path: Path
) -> None:
    EXECUTOR_CACHE.clear()
    settings = make_settings(tmp_path / "data", empty_url)
    await tortoise_migrate(config=tortoise_config(settings.database_url), target=BEFORE)
    kept = chain(1, 0, GENESIS, Change(EventAction.EXAM, SYSTEM, AT, reason="升级前"))
    async with connected(settings):
        client = sql.connection()
        now = AT.isoformat() if not sql.is_postgres(client) else AT
        await sql.fetch(
            "INSERT INTO regions (code, name, level, created_at) VALUES (?, ?, ?, ?)",
            ["650000", "新疆维吾尔自治区", "province", now],
        )
        await sql.fetch(
            "INSERT INTO agencies (id, name, sector, kind, created_at, updated_at, region_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [1, "自治区司法厅", "01", "justice_bureau", now, now, "650000"],
        )
        await sql.fetch(
            "INSERT INTO officers (id, name, id_number, birth_date, gender, employment_type, "
            "post, in_post, notes, created_at, updated_at, agency_id, chain_head, chain_seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [1, "张伟", make_id_number("650000", date(1988, 3, 14), 1, True),
             date(1988, 3, 14) if sql.is_postgres(client) else "1988-03-14", "male",
             "civil_servant", "", True, "", now, now, 1, kept.hash, 1],
        )  # fmt: skip
        values = [getattr(kept, name) for name in COLUMNS]
        values[COLUMNS.index("at")] = now
        await sql.fetch(
            f"INSERT INTO certificate_events ({', '.join(COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(COLUMNS))})",
            values,
        )

    EXECUTOR_CACHE.clear()
    await apply_migrations(settings)
    async with connected(settings):
        assert await OfficerEvent.all().values_list("hash", flat=True) == [kept.hash]
        added = await events.append(1, Change(EventAction.ASSESSMENT, SYSTEM, AT, reason="升级后"))
        assert (added.seq, added.prev_hash) == (2, kept.hash)
        report = await verify_chains()
        assert (report.broken, report.events) == (None, 2)


async def test_adoption_migration_keeps_rows_indexes_and_notes_them_for_the_exchange(
    empty_url: str, tmp_path: Path
) -> None:
    """0007 widens the number, adds columns with defaults to tables that hold rows, keeps
    every index and unique constraint, and notes what exists for the exchange feed."""
    EXECUTOR_CACHE.clear()
    settings = make_settings(tmp_path / "data", empty_url)
    await tortoise_migrate(
        config=tortoise_config(settings.database_url), target="models.0006_shared_state"
    )
    async with connected(settings):
        client = sql.connection()
        pg = sql.is_postgres(client)
        now = AT if pg else AT.isoformat()
        day = date(2025, 3, 1) if pg else "2025-03-01"
        statements: list[tuple[str, list[object]]] = [
            ("INSERT INTO regions (code, name, level, created_at) VALUES (?, ?, ?, ?)",
             ["653123", "英吉沙县", "county", now]),
            ("INSERT INTO agencies (id, name, sector, kind, created_at, updated_at, region_id) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)",
             [1, "英吉沙县司法局", "01", "justice_bureau", now, now, "653123"]),
            ("INSERT INTO officers (id, name, id_number, birth_date, gender, employment_type, "
             "post, in_post, notes, created_at, updated_at, agency_id, chain_head, chain_seq) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             [1, "张伟", make_id_number("653123", date(1988, 3, 14), 1, True), day, "male",
              "civil_servant", "", True, "", now, now, 1, GENESIS, 0]),
            ("INSERT INTO certificates (id, officer_id, number, status, enforcement_area, "
             "enforcement_categories, status_reason, version, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             [1, 1, "6531230126000171", "active", "英吉沙县", '["司法行政"]', "", 1, now, now]),
            ("INSERT INTO hour_ledger (officer_id, year, category, tenths, source, title, "
             "reason, occurred_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
             [1, 2025, "public_law", 30, "adjustment", "旧学时", "", day, now]),
        ]  # fmt: skip
        for statement, values in statements:
            await sql.fetch(statement, values)

    EXECUTOR_CACHE.clear()
    await apply_migrations(settings)
    async with connected(settings):
        client = sql.connection()
        rows = await sql.fetch("SELECT legacy FROM certificates", [])
        assert [bool(row["legacy"]) for row in rows] == [False]
        provider = await sql.fetch("SELECT provider, source_file FROM hour_ledger", [])
        assert [(row["provider"], row["source_file"]) for row in provider] == [("", "")]
        noted = await sql.fetch(
            "SELECT kind, entity_id, year FROM exchange_changes ORDER BY id", []
        )
        assert [(r["kind"], r["entity_id"], r["year"]) for r in noted] == [
            ("officer", 1, None),
            ("certificate", 1, None),
            ("hours", 1, 2025),
        ]
        if sql.is_postgres(client):
            indexes = await sql.fetch(
                "SELECT indexdef AS sql FROM pg_indexes WHERE tablename IN "
                "('certificates', 'hour_ledger')",
                [],
            )
        else:
            indexes = await sql.fetch(
                "SELECT name AS sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                "('certificates', 'hour_ledger')",
                [],
            )
        # certificates: pk (PG), number, status_index, two indexes; hour_ledger: pk (PG),
        # (officer, session), (external_claim), (year, officer, category)
        assert len(indexes) == (9 if sql.is_postgres(client) else 7)
        long_number = "新A" + "0" * 28
        await sql.fetch("UPDATE certificates SET number = ? WHERE id = 1", [long_number])
        assert (await sql.fetch("SELECT number FROM certificates", []))[0]["number"] == long_number
