"""API keys of the machine clients of the data exchange: create (the key is printed once),
revoke, list."""

from __future__ import annotations

import click

from service.cli.runtime import console, run, services_for
from service.settings import Settings
from service.store.models import ApiKey
from service.usecases import api_keys


@click.group("api-keys")
def api_keys_group() -> None:
    """Keys of the platforms that read the exchange (GET /api/v1/exchange/...)."""


@api_keys_group.command("create")
@click.option("--name", required=True, help="Who holds it, e.g. 省平台 (unique).")
@click.option("--region", "region_code", required=True, help="The region it reads, e.g. 650000.")
@click.option(
    "--scopes",
    default="exchange:read",
    show_default=True,
    help=f"Comma-separated: {', '.join(sorted(api_keys.SCOPES))}.",
)
def api_keys_create(name: str, region_code: str, scopes: str) -> None:
    """Make a key and print it, once: only its hash is kept. Give it to the client over a
    safe channel; it sends `Authorization: Bearer <key>`."""

    async def work(settings: Settings) -> api_keys.NewKey:
        async with services_for(settings) as services:
            wanted = [scope.strip() for scope in scopes.split(",") if scope.strip()]
            return await api_keys.create_key(services, name, region_code, wanted)

    made = run(work)
    console.print(
        f"[green]API key for {made.record.name}[/] (region {region_code}, "
        f"{', '.join(made.record.scopes)}); shown this once:"
    )
    click.echo(made.key)


@api_keys_group.command("revoke")
@click.argument("name")
def api_keys_revoke(name: str) -> None:
    """End a key by its name; it is refused from the next request on."""

    async def work(settings: Settings) -> ApiKey:
        async with services_for(settings) as services:
            return await api_keys.revoke_key(services, name)

    record = run(work)
    console.print(f"[green]Revoked[/] the API key of {record.name}.")


@api_keys_group.command("list")
def api_keys_list() -> None:
    """Every key: name, region, scopes, start of the key, created, last used, revoked."""

    async def work(settings: Settings) -> list[ApiKey]:
        async with services_for(settings):
            return await api_keys.list_keys()

    for key in run(work):
        ended = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
        click.echo(  # tab-separated, for scripts
            f"{key.name}\t{key.region_id}\t{','.join(key.scopes)}\t{key.hint}…\t"  # type: ignore[attr-defined]
            f"created {key.created_at:%Y-%m-%d}\tused {used}\t{ended}"
        )
