"""Shared fixtures: a migrated database per test, on SQLite and on PostgreSQL.

Each backend is migrated once per run (once per pytest-xdist worker) into a template (a
file for SQLite, a template database for PostgreSQL); each test gets a fresh copy, so
tests never see each other's rows and every test runs against the real migrations.

PostgreSQL comes from TEST_POSTGRES_URL (default: the local server). When it cannot be
reached the PostgreSQL tests are skipped, unless REQUIRE_POSTGRES=1 (as in CI), where
the run fails instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from tortoise.backends.base.executor import EXECUTOR_CACHE

from service.app import create_app
from service.clock import Clock
from service.settings import Settings
from service.store.database import apply_migrations

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
RUN_ID = uuid.uuid4().hex[:8]
ResultT = TypeVar("ResultT")

# Fast hashing in tests; the default (600,000) is covered by the settings test.
# No notification worker in the apps the tests serve: the notification tests run rounds.
TEST_ENV = {"PASSWORD_ITERATIONS": "1000", "LOGIN_RATE_PER_MINUTE": "1000", "WORKER": "off"}


def make_settings(data_dir: Path, database_url: str, **env: str) -> Settings:
    return Settings.from_env(
        {"DATA_DIR": str(data_dir), "DATABASE_URL": database_url, **TEST_ENV, **env}
    )


def run_sync(coroutine: Coroutine[Any, Any, ResultT]) -> ResultT:
    """Run a coroutine to completion in a thread of its own (session fixtures may be set
    up from inside a test's running event loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def pg_url(database: str) -> str:
    parts = urlsplit(PG_ADMIN_URL)
    return urlunsplit(parts._replace(path=f"/{database}"))


async def pg_execute(*statements: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://", 1), timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def create_postgres_database(name: str) -> None:
    """CREATE DATABASE; skips the test when PostgreSQL is away, or fails it when
    REQUIRE_POSTGRES=1."""
    try:
        run_sync(pg_execute(f'CREATE DATABASE "{name}"'))
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        message = f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {exc!r}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = f"oc_tmpl_{RUN_ID}"
    create_postgres_database(name)
    settings = make_settings(tmp_path_factory.mktemp("pg-template"), pg_url(name))
    run_sync(apply_migrations(settings))
    yield name
    run_sync(pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def empty_postgres() -> Iterator[tuple[str, str]]:
    """A new, empty PostgreSQL database (for a server process to migrate): (name, URL)."""
    name = f"oc_e_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    create_postgres_database(name)
    yield name, pg_url(name)
    run_sync(
        pg_execute(
            f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true',
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        )
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    settings = make_settings(path.parent, f"sqlite://{path}")
    run_sync(apply_migrations(settings))
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    """A freshly migrated, empty database of the backend under test."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "db.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite://{path}"
        return
    template_name: str = request.getfixturevalue("postgres_template")
    name = f"oc_t_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    await pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    try:
        yield pg_url(name)
    finally:
        await pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "data", database_url)


@asynccontextmanager
async def serving(
    settings: Settings, clock: Clock | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An app on these settings, started, with an HTTP client talking to it."""
    # Tortoise caches compiled INSERT/DELETE statements by connection name, not by
    # dialect; one process serves one backend, but this suite alternates between two.
    EXECUTOR_CACHE.clear()
    app = create_app(settings, clock=clock)
    # The lifespan runs as a task of the test's own loop, as under uvicorn, so the
    # test and the app share Tortoise's connections. Requests go to the bare app:
    # the manager's wrapper shares one scope["state"] between requests, which Litestar
    # uses per request.
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver.local"
        ) as http:
            yield http


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(settings) as http:
        yield http


@pytest.fixture
async def world(client: httpx.AsyncClient, settings: Settings):  # type: ignore[no-untyped-def]
    from tests.integration.world import build_world

    return await build_world(client, settings)
