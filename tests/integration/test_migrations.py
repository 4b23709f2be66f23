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
