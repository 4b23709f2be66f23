"""Commands that set a database up and serve it: migrate, create-admin, demo, serve."""

from __future__ import annotations

import os
import secrets
import tempfile

import click

from service import demo
from service.cli.runtime import (
    console,
    migrate_loudly,
    migrate_quietly,
    run,
    services_for,
    wait_for_database,
)
from service.domain.access import Role
from service.logs import logging_config
from service.settings import Settings, get_settings
from service.usecases import accounts
from service.usecases.services import Services


@click.command()
def migrate() -> None:
    """Apply pending database migrations, then move signing keys and evidence files kept
    under DATA_DIR by earlier releases into the database (once)."""

    async def work(settings: Settings) -> None:
        await migrate_loudly(settings)
        async with services_for(settings):
            pass  # which moves DATA_DIR's keys and evidence of earlier releases in

    run(work)
    console.print("[green]Database is up to date.[/]")


@click.command("create-admin")
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
        async with services_for(settings) as services:
            await accounts.create_staff_account(
                services,
                username=username,
                password=password,
                role=Role(role),
                region_code=region_code,
                agency_id=agency_id,
            )

    run(work)
    console.print(f"[green]Created {role} {username}.[/]")


@click.command("set-password")
@click.argument("username")
@click.password_option(help="Asked for when not given.")
def set_password(username: str, password: str) -> None:
    """Set an account's password and end every session of it (API tokens on every
    server within seconds, admin sessions)."""

    async def work(settings: Settings) -> None:
        async with services_for(settings) as services:
            await accounts.change_password(services, username, password)

    run(work)
    console.print(f"[green]Password of {username} set; its sessions have ended.[/]")


@click.command("demo")
def demo_command() -> None:
    """Load the demo data into the database (once)."""

    async def work(settings: Settings) -> None:
        await migrate_quietly(settings)
        async with services_for(settings) as services:
            await _load_demo(services)

    run(work)


@click.command()
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
        await wait_for_database(settings)
        await migrate_loudly(settings)
        async with services_for(settings) as services:
            await _ensure_superuser(services)
            if with_demo:
                await _load_demo(services)

    run(prepare)
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
    if workers > 1 and settings.metrics_token and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # Each worker counts in its own files there; a scrape of any worker adds them up.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="officer-cert-metrics-")
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_config=logging_config(settings.log_format, settings.log_level),
        log_level=settings.log_level,
        access_log=False,  # its line quotes the path and query: web.logs writes one without
    )


async def _ensure_superuser(services: Services) -> None:
    created = await accounts.ensure_superuser(services)
    if created is not None:
        username, password = created
        shown = password or "(ADMIN_PASSWORD)"
        console.print(f"[bold]Superuser created:[/] {username} / {shown}  (shown once)")


async def _load_demo(services: Services) -> None:
    await _ensure_superuser(services)
    path = services.settings.data_dir / "demo-accounts.txt"
    if await demo.is_loaded():
        console.print(f"Demo data is loaded already; accounts are listed in {path}.")
        return
    password = "demo-" + secrets.token_urlsafe(6)
    with console.status("Loading demo data..."):
        made = await demo.load(services, password)
    lines = [f"{a.username:20} {a.role:14} {a.where}" for a in made]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(f"password for every demo account: {password}\n" + "\n".join(lines) + "\n")
    console.print(f"[bold]Demo accounts[/] (password [bold]{password}[/], kept in {path}):")
    for line in lines:
        console.print("  " + line)
