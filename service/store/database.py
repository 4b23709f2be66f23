"""Opening the database for a process (the server's lifespan, a CLI command, a test) and
applying Tortoise's built-in migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import tortoise.backends.sqlite.executor  # noqa: F401 - registers the adapters replaced below
from tortoise import Tortoise
from tortoise.migrations.api import migrate as tortoise_migrate

from service.settings import Settings
from service.store.config import tortoise_config


def _sqlite_datetime(value: datetime) -> str:
    """A datetime as SQLite is given it: in UTC, as the ORM stores every aware datetime.
    SQLite compares the text, so a bound "09:00+08:00" must read "01:00+00:00" to be
    compared with the stored times (the ORM's own adapter keeps the offset it is given)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat(" ")


sqlite3.register_adapter(datetime, _sqlite_datetime)

Progress = Callable[[str], None]  # the name of each migration as it is applied


@asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[None]:
    """Tortoise's connections to the settings' database until the block ends.

    Tortoise keeps its context in a ContextVar; a lifespan runs in a task of its own, so
    the global fallback makes the connections visible to every request's task too."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await Tortoise.init(config=tortoise_config(settings.database_url), _enable_global_fallback=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def apply_migrations(settings: Settings, progress: Progress | None = None) -> None:
    """Apply every pending migration."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    def applied(event: str, app_label: str, name: str) -> None:
        if event == "apply_done" and progress is not None:
            progress(f"{app_label}.{name}")

    try:
        await tortoise_migrate(config=tortoise_config(settings.database_url), progress=applied)
    finally:
        await Tortoise.close_connections()
