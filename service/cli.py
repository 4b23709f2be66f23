"""`officer-cert`: serve, migrate, create-admin, demo, certificates sweep, audit verify,
import officers, keys."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import click
from rich.console import Console
from rich.progress import Progress
from tortoise import Tortoise
from tortoise.migrations.api import migrate as tortoise_migrate

from service import demo
from service.documents import compliance as compliance_report
from service.documents.tabular import read_sheet
from service.domain.access import Role
from service.domain.errors import DomainError
from service.settings import Settings, SettingsError, get_settings
from service.store.config import tortoise_config
from service.usecases import accounts, audit, officer_import
from service.usecases.certificates import lapses
from service.usecases.reports import compliance_rows as report_rows
from service.usecases.services import Services

console = Console()
T = TypeVar("T")


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[None]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await Tortoise.init(config=tortoise_config(settings.database_url), _enable_global_fallback=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def apply_migrations(settings: Settings, *, quiet: bool = False) -> None:
    """Apply every pending migration (Tortoise's built-in migrations)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done" and not quiet:
            console.print(f"  applied [cyan]{app_label}.{name}[/]")

    try:
        await tortoise_migrate(config=tortoise_config(settings.database_url), progress=progress)
    finally:
        await Tortoise.close_connections()


def _run(work: Callable[[Settings], Awaitable[T]]) -> T:
    try:
        settings = get_settings()
        return asyncio.run(work(settings))
    except (SettingsError, DomainError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def main() -> None:
    """行政执法证件与培训学时管理: enforcement certificates and training hours."""


@main.command()
def migrate() -> None:
    """Apply pending database migrations."""
    _run(apply_migrations)
    console.print("[green]Database is up to date.[/]")


@main.command("create-admin")
@click.option("--username", required=True)
@click.option(
    "--role", type=click.Choice([r.value for r in Role if r.is_staff]), default="superadmin"
)
@click.option("--region", "region_code", help="Region code, for a bureau_admin.")
@click.option(
    "--agency", "agency_id", type=int, help="Agency id, for an agency_admin or organiser."
)
@click.password_option(help="Asked for when not given.")
def create_admin(
    username: str, role: str, region_code: str | None, agency_id: int | None, password: str
) -> None:
    """Create a staff account."""

    async def work(settings: Settings) -> None:
        async with database(settings):
            await accounts.create_staff_account(
                Services.build(settings),
                username=username,
                password=password,
                role=Role(role),
                region_code=region_code,
                agency_id=agency_id,
            )

    _run(work)
    console.print(f"[green]Created {role} {username}.[/]")


@main.command("demo")
def demo_command() -> None:
    """Load the demo data into the database (once)."""

    async def work(settings: Settings) -> None:
        await apply_migrations(settings, quiet=True)
        async with database(settings):
            await _load_demo(settings)

    _run(work)


@main.group()
def certificates() -> None:
    """Certificate upkeep for cron."""


@certificates.command("sweep")
def certificates_sweep() -> None:
    """Write lapses: certificates past their validity become expired, suspensions past
    their end date become active again (each with an event). Run daily."""

    async def work(settings: Settings) -> lapses.SweepResult:
        async with database(settings):
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("Sweeping certificates", total=None)
                return await lapses.sweep(
                    Services.build(settings),
                    lambda done, total: bar.update(task, completed=done, total=total),
                )

    result = _run(work)
    console.print(f"[green]{result.expired} expired, {result.reinstated} suspensions ended.[/]")


@main.group("audit")
def audit_group() -> None:
    """The hash-chained event log."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Walk every officer's event chain; exit 1 naming the first broken link."""

    async def work(settings: Settings) -> audit.AuditReport:
        async with database(settings):
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("Verifying event chains", total=None)
                return await audit.verify_chains(
                    lambda done, total: bar.update(task, completed=done, total=total)
                )

    report = _run(work)
    if report.broken is not None:
        console.print(f"[bold red]Broken link:[/] {report.broken}")
        console.print(f"{report.officers} chains checked intact before it.")
        sys.exit(1)
    console.print(f"[green]All {report.officers} chains intact ({report.events} events).[/]")


@main.group("import")
def import_group() -> None:
    """Bulk imports from spreadsheets."""


@import_group.command("officers")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--atomic", is_flag=True, help="Keep nothing when any row is bad.")
@click.option("--as", "username", help="Staff account to act as (default: the first superadmin).")
def import_officers_command(path: Path, atomic: bool, username: str | None) -> None:
    """Create or update officers from a CSV (UTF-8 or GBK) or XLSX file; prints every bad
    row and exits 1 when there was one."""

    content = path.read_bytes()

    async def work(settings: Settings) -> officer_import.ImportReport:
        async with database(settings):
            principal = await accounts.acting_as(username)
            sheet = read_sheet(content, officer_import.HEADERS)
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(f"Importing {path.name}", total=len(sheet.rows))
                return await officer_import.import_officers(
                    Services.build(settings),
                    principal,
                    sheet.rows,
                    atomic=atomic,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )

    report = _run(work)
    for error in report.errors:
        console.print(
            f"row {error.row} {error.field or ''}: {error.message} [dim]({error.code})[/]"
        )
    kept = "nothing kept (--atomic)" if not report.written else "kept"
    console.print(
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{len(report.errors)} bad; {kept}."
    )
    if report.errors:
        sys.exit(1)


@main.group("report")
def report_group() -> None:
    """Reports for scripts and cron."""


@report_group.command("compliance")
@click.option("--year", type=int, required=True, help="The calendar year reported on.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="csv")
@click.option("--region", "region_code", help="A region code (default: everything).")
@click.option("--agency", "agency_id", type=int, help="One agency's officers.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@click.option("--as", "username", help="Staff account to act as (default: the first superadmin).")
def report_compliance(
    year: int,
    fmt: str,
    region_code: str | None,
    agency_id: int | None,
    output: Path | None,
    username: str | None,
) -> None:
    """The yearly hours compliance report (the API's /reports/compliance), to a file or
    standard output (XLSX needs --output)."""
    if fmt == "xlsx" and output is None:
        raise click.UsageError("XLSX is binary: give --output FILE.")

    async def work(settings: Settings) -> None:
        async with database(settings):
            principal = await accounts.acting_as(username)
            rows = await report_rows(
                Services.build(settings),
                principal,
                year,
                region_code=region_code,
                agency_id=agency_id,
            )
            chunks = compliance_report.chunks(compliance_report.Format(fmt), year, rows)
            sink = open(output, "wb") if output else sys.stdout.buffer  # noqa: ASYNC230, SIM115
            try:
                async for chunk in chunks:
                    sink.write(chunk)
            finally:
                if output:
                    sink.close()

    _run(work)
    if output:
        console.print(f"[green]Wrote {output}.[/]")


_RINGS = {
    "cards": "card and presentation QRs and the status list (published in the JWKS)",
    "access": "API access tokens (everyone logs in again within 15 minutes)",
    "checkin": "session QR codes",
}


@main.group("keys")
def keys_group() -> None:
    """Signing keys under DATA_DIR/keys."""


@keys_group.command("rotate")
@click.option(
    "--ring",
    type=click.Choice(sorted(_RINGS)),
    default="cards",
    show_default=True,
    help="Which key ring gets the new key.",
)
def keys_rotate(ring: str) -> None:
    """Add a new signing key. It signs from now on (running servers pick it up within a
    minute); the older keys keep verifying, so printed cards stay valid."""
    from service.security.keys import KeyRing

    settings = _settings()
    key = KeyRing(settings.keys_dir / ring).rotate()
    console.print(f"[green]New {ring} key {key.kid}[/]: {_RINGS[ring]}.")


@keys_group.command("list")
@click.option("--ring", type=click.Choice(sorted(_RINGS)), default="cards", show_default=True)
def keys_list(ring: str) -> None:
    """The key ids of a ring, oldest first; the last one signs."""
    from service.security.keys import KeyRing

    settings = _settings()
    for key in KeyRing(settings.keys_dir / ring).all():
        console.print(key.kid)


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--host", help="Defaults to HOST (127.0.0.1).")
@click.option("--port", type=int, help="Defaults to PORT (8000).")
@click.option("--demo", "with_demo", is_flag=True, help="Load demo data into an empty database.")
@click.option("--workers", type=int, default=1, show_default=True)
def serve(host: str | None, port: int | None, with_demo: bool, workers: int) -> None:
    """Migrate, create the first superuser if needed, then serve."""
    import uvicorn

    # The options stand in for HOST/PORT, so PUBLIC_BASE_URL's default follows them too.
    if host:
        os.environ["HOST"] = host
    if port:
        os.environ["PORT"] = str(port)
    get_settings.cache_clear()

    async def prepare(settings: Settings) -> None:
        await apply_migrations(settings)
        async with database(settings):
            await _ensure_superuser(settings)
            if with_demo:
                await _load_demo(settings)

    _run(prepare)
    settings = get_settings()
    base = settings.public_base_url
    console.print(
        f"\n[bold green]officer-cert[/] on http://{settings.host}:{settings.port}\n"
        f"  admin        {base}/admin/   (管理后台)\n"
        f"  verify       {base}/verify   (public certificate check)\n"
        f"  health       {base}/health\n"
        f"  API docs     {base}/schema\n"
        f"  OpenAPI      {base}/schema/openapi.json\n"
    )
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        proxy_headers=True,
        log_level=os.environ.get("LOG_LEVEL", "info"),
    )


async def _ensure_superuser(settings: Settings) -> None:
    created = await accounts.ensure_superuser(Services.build(settings))
    if created is not None:
        username, password = created
        shown = password or "(ADMIN_PASSWORD)"
        console.print(f"[bold]Superuser created:[/] {username} / {shown}  (shown once)")


async def _load_demo(settings: Settings) -> None:
    await _ensure_superuser(settings)
    if await demo.is_loaded():
        path = settings.data_dir / "demo-accounts.txt"
        console.print(f"Demo data is loaded already; accounts are listed in {path}.")
        return
    password = "demo-" + secrets.token_urlsafe(6)
    with console.status("Loading demo data..."):
        made = await demo.load(Services.build(settings), password)
    lines = [f"{a.username:20} {a.role:14} {a.where}" for a in made]
    path = settings.data_dir / "demo-accounts.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(f"password for every demo account: {password}\n" + "\n".join(lines) + "\n")
    console.print(f"[bold]Demo accounts[/] (password [bold]{password}[/], kept in {path}):")
    for line in lines:
        console.print("  " + line)


if __name__ == "__main__":
    sys.exit(main())
