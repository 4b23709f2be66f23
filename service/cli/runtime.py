"""What every command shares: the console, the settings, and running a command's work
against the database with the services, refusals printed as errors."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TypeVar
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import Progress
from tortoise import Tortoise

from service.domain.errors import DomainError
from service.security.keys import KeyEncryptionError
from service.settings import Settings, SettingsError, get_settings
from service.store.database import apply_migrations, connected
from service.usecases import legacy_state
from service.usecases.services import Services

console = Console()
ResultT = TypeVar("ResultT")


def settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def run(work: Callable[[Settings], Awaitable[ResultT]]) -> ResultT:
    """Run `work` with the settings; a bad setting or a refused use case is an error
    message and exit status 1, not a traceback."""
    try:
        return asyncio.run(work(settings()))
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None


@asynccontextmanager
async def services_for(settings: Settings) -> AsyncIterator[Services]:
    """The database open and the services built; after-commit hooks being retried are
    waited for before the command ends. Signing keys and evidence that an earlier
    release kept under DATA_DIR are moved into the database first (once), so the rings'
    old keys go on signing."""
    try:
        services = Services.build(settings)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    async with connected(settings):
        try:
            await _import_data_dir(services)
            await services.prepare_keys()
        except KeyEncryptionError as exc:
            raise click.ClickException(str(exc)) from None
        try:
            yield services
        finally:
            await services.after_commit.drain()


async def _import_data_dir(services: Services) -> None:
    done = await legacy_state.import_data_dir(services)
    if done.keys or done.evidence:
        console.print(
            f"Moved into the database from {services.settings.data_dir}: {done.keys} signing "
            f"keys, {done.evidence} evidence files (the directories are renamed *.imported; "
            "delete them after a backup).",
            soft_wrap=True,
        )
    for problem in done.problems:
        console.print(f"[yellow]Not imported: {problem}[/]", soft_wrap=True)


async def migrate_quietly(settings: Settings) -> None:
    await apply_migrations(settings)


async def migrate_loudly(settings: Settings) -> None:
    await apply_migrations(settings, lambda name: console.print(f"  applied [cyan]{name}[/]"))


@contextmanager
def progress_bar(
    description: str, total: int | None = None
) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on the console while the block runs; the callback moves it (done,
    total)."""
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def where(database_url: str) -> str:
    """The database's address without its credentials, for messages."""
    if database_url.startswith("sqlite"):
        return database_url
    parts = urlsplit(database_url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


async def wait_for_database(settings: Settings) -> None:
    """Return once the database answers; say so in one line per try while it does not,
    for `DATABASE_WAIT_SECONDS`, then fail naming it (exit status 1)."""
    deadline = time.monotonic() + settings.database_wait_seconds
    while True:
        try:
            async with connected(settings):
                await Tortoise.get_connection("default").execute_query("SELECT 1")
            return
        except Exception as error:  # whatever the driver raises, the answer is the same
            reason = type(error).__name__
            if time.monotonic() >= deadline:
                raise click.ClickException(
                    f"The database at {where(settings.database_url)} does not answer "
                    f"({reason}); gave up after {settings.database_wait_seconds} s."
                ) from None
            console.print(
                f"[yellow]The database at {where(settings.database_url)} does not answer "
                f"({reason}); trying again in 2 s.[/]",
                soft_wrap=True,
            )
            await asyncio.sleep(2)
