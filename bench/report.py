"""Benchmark: the compliance report over 100,000 officers and 2,000,000 ledger entries.

    python bench/report.py [--officers 100000] [--entries 2000000]

Fills a fresh PostgreSQL database (BENCH_POSTGRES_URL, default the local server) with
regions, 200 agencies, the officers and their hours of last year (COPY), then for each
format starts the real server (`officer-cert serve`, one process, so the measurement is
that process alone), asks `GET /api/v1/reports/compliance?year=...&format=...` as the
superadmin, reads the streamed body to the end and prints the seconds to the last byte,
the size, and the server's peak resident memory (VmHWM) before and after. The dashboard's
data and the alerts (every officer is short of this year's hours) are timed the same way.

Targets: CSV under 10 s; every format under 300 MB peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkin import ADMIN_URL, _admin, free_port, serving
from service.domain.hours import HourCategory, LedgerSource
from service.domain.organisation import AgencyKind
from service.settings import Settings

COUNTIES = [f"6531{n:02d}" for n in range(21, 31)]  # ten counties of one prefecture
AGENCIES = 200
BATCH = 100_000


async def prepare(env: dict[str, str], officers: int, entries: int, year: int) -> None:
    from service.store.database import apply_migrations

    await apply_migrations(Settings.from_env(env))
    url = env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    db = await asyncpg.connect(url)
    try:
        now = datetime.now(UTC)
        await db.execute(
            "INSERT INTO regions (code, name, level, parent_id, created_at) VALUES "
            "('650000', '新疆维吾尔自治区', 'province', NULL, $1), "
            "('653100', '喀什地区', 'city', '650000', $1)",
            now,
        )
        await db.executemany(
            "INSERT INTO regions (code, name, level, parent_id, created_at) "
            "VALUES ($1, $2, 'county', '653100', $3)",
            [(code, f"第{i}县", now) for i, code in enumerate(COUNTIES, 1)],
        )
        await db.copy_records_to_table(
            "agencies",
            columns=["name", "region_id", "sector", "kind", "created_at", "updated_at"],
            records=[
                (
                    f"第{n}执法局",
                    COUNTIES[n % len(COUNTIES)],
                    "03",
                    str(AgencyKind.DEPARTMENT),
                    now,
                    now,
                )
                for n in range(1, AGENCIES + 1)
            ],
        )
        agency_ids = [r["id"] for r in await db.fetch("SELECT id FROM agencies ORDER BY id")]
        columns = [
            "name", "id_number", "birth_date", "gender", "agency_id", "employment_type",
            "post", "in_post", "notes", "chain_seq", "chain_head", "created_at", "updated_at",
        ]  # fmt: skip
        for start in range(0, officers, BATCH):
            await db.copy_records_to_table(
                "officers",
                columns=columns,
                records=[
                    (f"干部{i}", f"B{i:017d}", date(1985, 1, 1), "male",
                     agency_ids[i % AGENCIES], "civil_servant", "", True, "", 0, "0" * 64, now, now)
                    for i in range(start, min(start + BATCH, officers))
                ],
            )  # fmt: skip
        officer_ids = [r["id"] for r in await db.fetch("SELECT id FROM officers ORDER BY id")]
        rng = random.Random(2026)
        categories = [str(c) for c in HourCategory]
        ledger = [
            "officer_id", "year", "category", "tenths", "source", "title", "reason",
            "occurred_on", "created_at",
        ]  # fmt: skip
        for start in range(0, entries, BATCH):
            await db.copy_records_to_table(
                "hour_ledger",
                columns=ledger,
                records=[
                    (officer_ids[n % len(officer_ids)], year, rng.choice(categories),
                     rng.choice((20, 30, 40, 60)), str(LedgerSource.ADJUSTMENT), "培训", "",
                     date(year, 1 + n % 12, 1 + n % 28), now)
                    for n in range(start, min(start + BATCH, entries))
                ],
            )  # fmt: skip
        await db.execute("ANALYZE")
    finally:
        await db.close()


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


ENDPOINTS = {
    "dashboard": ("/api/v1/reports/dashboard", {}),
    "alerts": ("/api/v1/reports/alerts", {}),
}


def run_format(env: dict[str, str], fmt: str, year: int) -> tuple[float, int, float, float]:
    """One report (or the dashboard's or the alerts' JSON) from a fresh server: seconds to
    the last byte, bytes, the server's peak RSS before and after."""
    path, params = ENDPOINTS.get(fmt, ("/api/v1/reports/compliance", {"format": fmt}))
    pids: list[int] = []
    with serving(env, 1, pids) as base:
        http = httpx.Client(base_url=base, timeout=600)
        token = http.post(
            "/api/v1/auth/token",
            json={"username": env["ADMIN_USERNAME"], "password": env["ADMIN_PASSWORD"]},
        ).json()["access_token"]
        before = peak_memory_mb(pids[0])
        started = time.perf_counter()
        size = 0
        with http.stream(
            "GET",
            path,
            params={"year": year, **params},
            headers={"Authorization": f"Bearer {token}"},
        ) as response:
            response.raise_for_status()
            for chunk in response.iter_bytes():
                size += len(chunk)
        seconds = time.perf_counter() - started
        return seconds, size, before, peak_memory_mb(pids[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=2_000_000)
    parser.add_argument("--formats", default="csv,json,xlsx,dashboard,alerts")
    args = parser.parse_args()
    year = date.today().year - 1
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        name = f"oc_bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
        env = {
            "DATABASE_URL": urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}")),
            "DATA_DIR": tmp,
            "HOST": "127.0.0.1",
            "PORT": str(free_port()),
            "PASSWORD_ITERATIONS": "1000",
            "LOG_LEVEL": "warning",
            "ADMIN_USERNAME": "bench",
            "ADMIN_PASSWORD": secrets.token_urlsafe(16),
        }
        try:
            loading = time.perf_counter()
            asyncio.run(prepare(env, args.officers, args.entries, year))
            print(f"loaded in {time.perf_counter() - loading:.0f} s", file=sys.stderr)
            for fmt in args.formats.split(","):
                results[fmt] = run_format(env, fmt, year)
        finally:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"\npostgres, {args.officers:,} officers, {args.entries:,} ledger entries, year {year}:")
    for fmt, (seconds, size, before, peak) in results.items():
        print(
            f"  {fmt:9} {seconds:6.2f} s   {size / 1e6:7.1f} MB sent   "
            f"server peak RSS {peak:6.0f} MB (before the report {before:.0f} MB)"
        )


if __name__ == "__main__":
    main()
