"""Benchmark: public certificate lookups against `/health` in the same server (the ceiling).

    python bench/public.py [--certificates 20000] [--clients 50] [--seconds 15] [--workers 1]

Prepares a fresh PostgreSQL database (BENCH_POSTGRES_URL, default the local server) with
that many officers holding active certificates, starts the real server
(`officer-cert serve`) with its default public rate limit (120 per minute per client), and
drives it from wrk (a separate process) as 20,000 clients (X-Forwarded-For, trusted from
127.0.0.1 as behind a reverse proxy): every request looks up a number drawn round-robin
from all of them, through the real endpoint `GET /api/v1/public/certificates/{number}` (check
character, cache, database, live status). `/health` runs `SELECT 1` through the same pool
and is the ceiling. Prints requests per second and p50/p99 of both, and the ratio.

Two lookup runs: "cold", every number looked up once (100,000 numbers outlast the run, so
each lookup reads the database and fills the cache), and "warm", the same 2,000 numbers
over and over after a warm-up (a card checked again within the cache's lifetime).

Target: lookups at least 70% of the ceiling. Needs `wrk` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkin import ADMIN_URL, SETUP_LUA, _admin, free_port, print_run, serving, wrk
from service.domain.certificates import CertificateStatus
from service.domain.numbering import format_number, number_prefix
from service.domain.organisation import AgencyKind, RegionLevel
from service.settings import Settings
from tests.load import bulk_officers

LOOKUP_LUA = """
local numbers = {}
for line in io.lines(os.getenv("BENCH_NUMBERS")) do numbers[#numbers + 1] = line end
local counter = 0
function request()
  counter = counter + 1
  local n = (counter - 1) * threads + id
  local i = n % #numbers + 1
  -- Many citizens, not one: each request comes from one of 20,000 addresses (the server
  -- trusts X-Forwarded-For from 127.0.0.1, as behind a local reverse proxy), so the
  -- per-client rate limit stays on, at its default, without throttling the load.
  local client = n % 20000
  local address = "10.1." .. math.floor(client / 250) .. "." .. (client % 250 + 1)
  return wrk.format("GET", "/api/v1/public/certificates/" .. numbers[i],
                    {["X-Forwarded-For"] = address})
end
"""


async def prepare(env: dict[str, str], count: int) -> list[str]:
    """Regions, a bureau and a department, `count` officers each with an active
    certificate; returns their numbers."""
    from service.store.database import apply_migrations, connected
    from service.store.models import Agency, Certificate, Officer, Region

    settings = Settings.from_env(env)
    await apply_migrations(settings)
    async with connected(settings):
        for code, name, level, parent in (
            ("650000", "新疆维吾尔自治区", RegionLevel.PROVINCE, None),
            ("653100", "喀什地区", RegionLevel.CITY, "650000"),
            ("653123", "英吉沙县", RegionLevel.COUNTY, "653100"),
        ):
            await Region.create(code=code, name=name, level=level, parent_id=parent)
        bureau = await Agency.create(
            name="英吉沙县司法局", region_id="653123", sector="01", kind=AgencyKind.JUSTICE_BUREAU
        )
        market = await Agency.create(
            name="英吉沙县市场监督管理局",
            region_id="653123",
            sector="03",
            kind=AgencyKind.DEPARTMENT,
        )
        await bulk_officers(market.id, count)
        ids = await Officer.all().order_by("id").values_list("id", flat=True)
        per_prefix = 99_999  # a number's sequence has five digits: spread over sectors
        numbers = [
            format_number(
                number_prefix("653123", f"{3 + n // per_prefix:02d}", 2026), n % per_prefix + 1
            )
            for n in range(count)
        ]
        today = date.today()
        await Certificate.bulk_create(
            [
                Certificate(
                    officer_id=officer_id,
                    issuing_agency_id=bureau.id,
                    number=number,
                    status=CertificateStatus.ACTIVE,
                    enforcement_area="英吉沙县",
                    enforcement_categories=["市场监管"],
                    valid_from=today - timedelta(days=200),
                    valid_until=today + timedelta(days=1_600),
                    status_index=index,
                    last_review_year=today.year - 1,
                )
                for index, (officer_id, number) in enumerate(zip(ids, numbers, strict=True))
            ],
            batch_size=2_000,
        )
        # Vacuumed and its statistics taken, as autovacuum keeps a database in use (and
        # would otherwise do now, during the runs).
        await Certificate._meta.db.execute_script("VACUUM ANALYZE")
        return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--hot", type=int, default=2_000, help="numbers in the warm run")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        name = f"oc_bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
        port = free_port()
        env = {
            "DATABASE_URL": urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}")),
            "DATA_DIR": str(data_dir),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "PASSWORD_ITERATIONS": "1000",
            "PUBLIC_CACHE_SECONDS": "600",
            "LOG_LEVEL": "warning",
            "ADMIN_USERNAME": "bench",
            "ADMIN_PASSWORD": secrets.token_urlsafe(16),
        }
        numbers_file = data_dir / "numbers.txt"
        try:
            numbers = asyncio.run(prepare(env, args.certificates))
            numbers_file.write_text("\n".join(numbers) + "\n")
            with serving(env, args.workers) as base:
                lookup_lua = data_dir / "lookup.lua"
                lookup_lua.write_text(SETUP_LUA % 2 + LOOKUP_LUA)
                plain_lua = data_dir / "plain.lua"
                plain_lua.write_text("")
                hot_file = data_dir / "hot.txt"
                hot_file.write_text("\n".join(numbers[-args.hot :]) + "\n")
                load_env = {"BENCH_NUMBERS": str(numbers_file)}
                hot_env = {"BENCH_NUMBERS": str(hot_file)}
                wrk(f"{base}/health", plain_lua, args.clients, 3, load_env)  # warm up
                ceiling = wrk(f"{base}/health", plain_lua, args.clients, args.seconds, load_env)
                first = wrk(base, lookup_lua, args.clients, args.seconds, load_env)
                wrk(base, lookup_lua, args.clients, 3, hot_env)  # fill the cache
                steady = wrk(base, lookup_lua, args.clients, args.seconds, hot_env)
        finally:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(
        f"\npostgres, {args.certificates} certificates, {args.clients} clients, "
        f"{args.seconds} s, {args.workers} server process(es):"
    )
    print_run("ceiling (/health)", ceiling)
    print_run("lookup, cold", first)
    print_run("lookup, warm", steady)
    print(
        f"  lookups / ceiling: cold {first['rps'] / ceiling['rps']:.0%}, "
        f"warm {steady['rps'] / ceiling['rps']:.0%}"
    )


if __name__ == "__main__":
    main()
