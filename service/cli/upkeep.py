"""Upkeep for cron and operators: certificates sweep, audit verify, keys rotate and list."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from service.cli.runtime import console, progress_bar, run, services_for
from service.security.keys import SigningKey
from service.settings import Settings
from service.usecases import audit
from service.usecases.certificates import lapses


@click.group("certificates")
def certificates_group() -> None:
    """Certificate upkeep for cron."""


@certificates_group.command("sweep")
def certificates_sweep() -> None:
    """Write lapses: certificates past their validity become expired, suspensions past
    their end date become active again (each with an event). Run daily."""

    async def work(settings: Settings) -> lapses.SweepResult:
        async with services_for(settings) as services:
            with progress_bar("Sweeping certificates") as moved:
                return await lapses.sweep(services, moved)

    result = run(work)
    console.print(f"[green]{result.expired} expired, {result.reinstated} suspensions ended.[/]")


@click.group("audit")
def audit_group() -> None:
    """The hash-chained event log."""


_NOT_HOURS = {"officer_id", "year", "entries", "side"}


def _name(title: str, rows: list[dict[str, object]], what: Callable[[Any], str]) -> None:
    """Print the disagreeing `rows` under `title`, each as `what` says and as whose."""
    if rows:
        console.print(f"[bold red]{title}:[/]")
    for row in rows:
        console.print(f"  {what(row)} in {row['entries']} entries, as the {row['side']} say")


@audit_group.command("verify")
def audit_verify() -> None:
    """Walk every officer's event chain, and check the hours totals against the ledger;
    exit 1 naming the first broken link or the totals that disagree."""

    async def work(settings: Settings) -> tuple[audit.AuditReport, audit.TotalsReport]:
        async with services_for(settings):
            with progress_bar("Verifying event chains") as moved:
                chains = await audit.verify_chains(moved)
            return chains, await audit.verify_totals()

    report, totals = run(work)
    if report.broken is not None:
        console.print(f"[bold red]Broken link:[/] {report.broken}")
        console.print(f"{report.officers} chains checked intact before it.")
        sys.exit(1)
    console.print(f"[green]All {report.officers} chains intact ({report.events} events).[/]")
    _name(
        "Hours totals that are not the ledger's sums",
        totals.disagreeing,
        lambda row: (
            f"officer {row['officer_id']}, {row['year']}: "
            + ", ".join(f"{k} {v}" for k, v in row.items() if k not in _NOT_HOURS)
            + " tenths"
        ),
    )
    _name(
        "Months of agencies that are not the ledger's sums",
        totals.months,
        lambda row: (
            f"agency {row['agency_id']}, {row['year']}-{row['month']:02}: {row['tenths']} tenths"
        ),
    )
    if totals.disagreeing or totals.months:
        sys.exit(1)
    console.print("[green]The hours totals are the ledger's sums.[/]")


RINGS = {
    "cards": "card and presentation QRs and the status list (published in the JWKS)",
    "access": "API access tokens (everyone logs in again within 15 minutes)",
    "checkin": "session QR codes",
}
Ring = click.Choice(sorted(RINGS))


@click.group("keys")
def keys_group() -> None:
    """Signing keys, kept in the database, sealed with the key-encryption key."""


@keys_group.command("rotate")
@click.option(
    "--ring", type=Ring, default="cards", show_default=True, help="Which key ring gets the new key."
)
def keys_rotate(ring: str) -> None:
    """Add a new signing key. It signs from now on (running servers pick it up within a
    minute); the older keys keep verifying, so printed cards stay valid."""

    async def work(settings: Settings) -> SigningKey:
        async with services_for(settings) as services:
            return await services.key_rings[ring].rotate()

    key = run(work)
    console.print(f"[green]New {ring} key {key.kid}[/]: {RINGS[ring]}.")


@keys_group.command("list")
@click.option("--ring", type=Ring, default="cards", show_default=True)
def keys_list(ring: str) -> None:
    """The key ids of a ring, oldest first; the last one signs."""

    async def work(settings: Settings) -> list[SigningKey]:
        async with services_for(settings) as services:
            return await services.key_rings[ring].all()

    for key in run(work):
        console.print(key.kid)
