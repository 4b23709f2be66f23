"""Benchmark: the annual review of 100,000 certificates over 2,000,000 ledger entries.

    python bench/annual_review.py [--officers 100000] [--entries 2000000]

Creates a PostgreSQL database (BENCH_POSTGRES_URL, default the local server), migrates
it, bulk-loads officers with active certificates and the year's hours with COPY, then
runs the review in a fresh process and prints its wall time and peak memory (the peak
resident set of that process, which includes the interpreter and libraries). The
database is dropped at the end unless --keep.

Target on a 2-core machine: under 20 s and under 500 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.clock import SHANGHAI, FixedClock
from service.domain.access import Principal, Role, Scope
from service.domain.audit import GENESIS
from service.settings import Settings

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
YEAR = 2025
REVIEWED_AT = datetime(2026, 4, 10, 9, 0, tzinfo=SHANGHAI)
COUNTIES = [f"6531{n:02d}" for n in range(21, 31)]  # ten counties of 喀什地区


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))


def asyncpg_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def settings_for(url: str, data_dir: str) -> Settings:
    return Settings.from_env(
        {"DATABASE_URL": url, "DATA_DIR": data_dir, "PASSWORD_ITERATIONS": "1000"}
    )


async def generate(url: str, data_dir: str, officers: int, entries: int) -> None:
    from service.store.database import apply_migrations, connected
    from service.usecases import accounts
    from service.usecases.services import Services

    settings = settings_for(url, data_dir)
    await apply_migrations(settings)
    async with connected(settings):
        await accounts.create_staff_account(
            Services.build(settings),
            username="bench",
            password=secrets.token_urlsafe(16),  # nobody logs in: the review runs in-process
            role=Role.SUPERADMIN,
        )
    rng = random.Random(2025)
    now = datetime.now(UTC)
    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        await conn.executemany(
            "INSERT INTO regions (code, name, level, parent_id, created_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            [
                ("650000", "新疆维吾尔自治区", "province", None, now),
                ("653100", "喀什地区", "city", "650000", now),
                *[(code, f"县{code}", "county", "653100", now) for code in COUNTIES],
            ],
        )
        agencies = []
        for code in COUNTIES:
            for sector, kind in (
                ("01", "justice_bureau"),
                ("03", "department"),
                ("05", "department"),
            ):
                agency_id = await conn.fetchval(
                    "INSERT INTO agencies (name, region_id, sector, kind, created_at, updated_at) "
                    "VALUES ($1,$2,$3,$4,$5,$5) RETURNING id",
                    f"{code}-{sector}",
                    code,
                    sector,
                    kind,
                    now,
                )
                agencies.append((agency_id, code, sector))
        started = time.perf_counter()
        officer_rows = []
        certificate_rows = []
        for i in range(1, officers + 1):
            agency_id, code, sector = agencies[i % len(agencies)]
            officer_rows.append(
                (i, f"干部{i}", f"B{i:017d}", date(1980, 1, 1), "male", "13900000000", agency_id,
                 "civil_servant", "执法科员", i % 50 != 0, None, "", 0, GENESIS, now, now)
            )  # fmt: skip
            certificate_rows.append(
                (i, i, None, f"{i:016d}", "active", "辖区", '["市场监管"]', date(2024, 3, 1),
                 date(2029, 2, 28), None, "", None, i - 1, None, None, None, None, None, None,
                 1, now, now)
            )  # fmt: skip
        await conn.copy_records_to_table(
            "officers",
            records=officer_rows,
            columns=[
                "id", "name", "id_number", "birth_date", "gender", "phone", "agency_id",
                "employment_type", "post", "in_post", "photo_path", "notes", "chain_seq",
                "chain_head", "created_at", "updated_at",
            ],
        )  # fmt: skip
        await conn.copy_records_to_table(
            "certificates",
            records=certificate_rows,
            columns=[
                "id", "officer_id", "issuing_agency_id", "number", "status", "enforcement_area",
                "enforcement_categories", "valid_from", "valid_until", "suspended_until",
                "status_reason", "ended_on", "status_index", "last_review_year", "replaces_id",
                "agency_approved_by_id", "agency_approved_at", "bureau_approved_by_id",
                "bureau_approved_at", "version", "created_at", "updated_at",
            ],
        )  # fmt: skip
        del officer_rows, certificate_rows
        per_officer = max(1, entries // officers)
        batch: list[tuple[object, ...]] = []
        written = 0
        for officer_id in range(1, officers + 1):
            # About one officer in five falls short in one category.
            short = rng.random() < 0.2
            for n in range(per_officer):
                category = "public_law" if n % 3 == 0 else "professional"
                tenths = 30 if category == "public_law" else 35
                if short and n == 0:
                    tenths = 5
                batch.append(
                    (officer_id, YEAR, category, tenths, "attendance", "培训", "", None,
                     date(YEAR, 1 + n % 12, 1 + n % 28), now)
                )  # fmt: skip
            if len(batch) >= 200_000:
                written += await _copy_ledger(conn, batch)
                batch = []
        written += await _copy_ledger(conn, batch)
        await conn.execute("ANALYZE")
        print(
            f"generated {officers:,} officers with active certificates and {written:,} ledger "
            f"entries in {time.perf_counter() - started:.1f} s"
        )
    finally:
        await conn.close()


async def _copy_ledger(conn: asyncpg.Connection, batch: list[tuple[object, ...]]) -> int:
    if batch:
        await conn.copy_records_to_table(
            "hour_ledger",
            records=batch,
            columns=[
                "officer_id", "year", "category", "tenths", "source", "title", "reason",
                "actor_id", "occurred_on", "created_at",
            ],
        )  # fmt: skip
    return len(batch)


async def review(url: str, data_dir: str, dry_run: bool) -> None:
    """Run in its own process, so its peak memory is the review's alone."""
    from service.store.database import connected
    from service.store.models import Account
    from service.usecases.annual_review import run_annual_review
    from service.usecases.services import Services

    settings = settings_for(url, data_dir)
    async with connected(settings):
        admin = await Account.get(username="bench")
        principal = Principal(admin.id, admin.username, Role.SUPERADMIN, Scope())
        services = Services.build(settings, FixedClock(REVIEWED_AT))
        baseline = _peak_mb()
        started = time.perf_counter()
        run = await run_annual_review(services, principal, YEAR, "653100", dry_run=dry_run)
        seconds = time.perf_counter() - started
    kind = "dry run" if dry_run else "review"
    print(
        f"{kind:8} {len(run.results):,} certificates: {run.passed:,} passed, "
        f"{run.failed:,} failed in {seconds:.2f} s; peak memory {_peak_mb():.0f} MB "
        f"(the process held {baseline:.0f} MB before)"
    )


async def audit_time(url: str, data_dir: str) -> None:
    from service.store.database import connected
    from service.usecases.audit import verify_chains

    async with connected(settings_for(url, data_dir)):
        started = time.perf_counter()
        report = await verify_chains()
    print(
        f"audit    {report.events:,} events in {report.officers:,} chains verified in "
        f"{time.perf_counter() - started:.2f} s (broken: {report.broken})"
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(asyncpg_url(ADMIN_URL))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--step", choices=["review", "dry-run", "audit"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        if args.step == "audit":
            asyncio.run(audit_time(args.url, args.data_dir))
        else:
            asyncio.run(review(args.url, args.data_dir, args.step == "dry-run"))
        return
    name = f"oc_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = database_url(name)
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            asyncio.run(generate(url, data_dir, args.officers, args.entries))
            for step in ("dry-run", "review", "audit"):
                subprocess.run(  # noqa: S603 - this interpreter, this script
                    [
                        sys.executable,
                        __file__,
                        "--step",
                        step,
                        "--url",
                        url,
                        "--data-dir",
                        data_dir,
                    ],
                    check=True,
                )
    finally:
        if not args.keep:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            print(f"kept database {name}")


if __name__ == "__main__":
    main()
