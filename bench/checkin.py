"""Benchmark: officers scanning one session's QR at once, against a bare INSERT (the ceiling).

    python bench/checkin.py [--backend postgres|sqlite|both] [--clients 50] [--seconds 15]
                            [--workers 1]

For each backend it prepares a fresh database (officers, one session under way), starts the
real server (`officer-cert serve`, one worker unless told) with BENCH_ENDPOINTS=1, and
drives it from wrk, a separate process, with a Lua script: every request is a different
officer's first check-in. The same wrk run against `POST /bench/ceiling` (one INSERT
through the same driver and pool, no auth) gives the ceiling. Prints requests per second
and p50/p99 latency of both, and the ratio.

Target: check-ins at least half the ceiling, p99 under 100 ms at 50 concurrent clients.
Needs `wrk` (apt-get install wrk) and, for PostgreSQL, BENCH_POSTGRES_URL (default the
local server). The QR rotation is set to 300 s so one token lasts the run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.domain.training import AttendanceMethod, SessionStatus
from service.settings import Settings
from tests.load import CheckinLoad, prepare_checkin_load

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
LUA = """
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local qr = os.getenv("BENCH_QR")
local counter = 0
function request()
  counter = counter + 1
  local i = ((counter - 1) * threads + id) % #tokens + 1
  local body = '{"token":"' .. qr .. '","device_id":"bench-device-' .. i .. '"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                                  ["Authorization"] = "Bearer " .. tokens[i]}, body)
end
"""
SETUP_LUA = """
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  thread:set("threads", %d)
  next_id = next_id + 1
end
"""
CEILING_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "{}"
"""


def env_for(url: str, data_dir: Path, port: int) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "DATA_DIR": str(data_dir),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PASSWORD_ITERATIONS": "1000",
        "BENCH_ENDPOINTS": "1",
        "QR_ROTATION_SECONDS": "300",
        "LOG_LEVEL": "warning",
        "ADMIN_USERNAME": "bench",
        "ADMIN_PASSWORD": secrets.token_urlsafe(16),
    }


async def prepare(env: dict[str, str], officers: int, *, history: bool = True) -> CheckinLoad:
    """Schema, officers with logins, a session under way, the ceiling's table; with
    `history`, what a bureau's database holds once in use (see `_history`)."""
    from tortoise import connections

    from service.store.database import connected

    settings = Settings.from_env(env)
    load = await prepare_checkin_load(settings, officers, admin_password=env["ADMIN_PASSWORD"])
    async with connected(settings):
        client = connections.get("default")
        if settings.is_sqlite:
            ddl = "CREATE TABLE bench_ceiling (id INTEGER PRIMARY KEY AUTOINCREMENT, n INT)"
        else:
            ddl = "CREATE TABLE bench_ceiling (id SERIAL PRIMARY KEY, n INT)"
        await client.execute_script(ddl)
        if history:
            await _history(client, load)
    return load


PAST_SESSIONS = 10


async def _history(client: Any, load: CheckinLoad) -> None:
    """A database in use: each officer's phone known from the login on it (the device
    the Lua script sends for that officer), PAST_SESSIONS closed sessions a tenth of
    the officers each attended, and the vacuuming and statistics autovacuum keeps
    (which it would otherwise do during the runs).
    A brand-new database (`--no-history`) has none of these: PostgreSQL then plans the
    scan's statement for an empty attendance table."""
    from service.store.models import Attendance, Device, TrainingSession

    now = datetime.now(UTC)
    await Device.bulk_create(
        [
            Device(
                officer_id=oid, device_id=f"bench-device-{i}", first_seen_at=now, last_seen_at=now
            )
            for i, oid in enumerate(load.officer_ids, 1)
        ],
        batch_size=2_000,
    )
    current = await TrainingSession.get(id=load.session_id)
    for week in range(1, PAST_SESSIONS + 1):
        past = await TrainingSession.create(
            title=f"往期培训{week}",
            category=current.category,
            credit_tenths=current.credit_tenths,
            starts_at=current.starts_at - timedelta(weeks=week),
            ends_at=current.ends_at - timedelta(weeks=week),
            organiser_agency_id=current.organiser_agency_id,
            status=SessionStatus.CLOSED,
            closed_at=current.ends_at - timedelta(weeks=week),
        )
        await Attendance.bulk_create(
            [
                Attendance(
                    session_id=past.id,
                    officer_id=oid,
                    method=AttendanceMethod.QR,
                    flags=[],
                    checked_in_at=past.starts_at,
                    checked_out_at=past.ends_at,
                    checkin_device_id=f"bench-device-{i}",
                    checkout_device_id=f"bench-device-{i}",
                )
                for i, oid in enumerate(load.officer_ids, 1)
                if i % PAST_SESSIONS == week % PAST_SESSIONS
            ],
            batch_size=2_000,
        )
    sqlite = client.capabilities.dialect == "sqlite"
    await client.execute_script("ANALYZE" if sqlite else "VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wrk(
    url: str, script: Path, clients: int, seconds: int, env: dict[str, str]
) -> dict[str, float]:
    wrk_bin = shutil.which("wrk")
    if wrk_bin is None:
        sys.exit("wrk is missing: apt-get install wrk")
    out = subprocess.run(  # noqa: S603 - wrk on our own server
        [wrk_bin, "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        result[f"p{pct}"] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["errors"] = float(errors.group(1)) if errors else 0.0
    result["requests"] = float(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return result


def run_backend(
    backend: str, clients: int, seconds: int, officers: int, workers: int, *, history: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        name = f"oc_bench_{uuid.uuid4().hex[:8]}"
        if backend == "postgres":
            asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
            url = urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))
        else:
            url = f"sqlite://{data_dir / 'bench.sqlite3'}"
        port = free_port()
        env = env_for(url, data_dir, port)
        tokens_file = data_dir / "tokens.txt"
        try:
            load = asyncio.run(prepare(env, officers, history=history))
            tokens_file.write_text("".join(token + "\n" for token in load.tokens))
            with serving(env, workers) as base:
                checkin_lua = data_dir / "checkin.lua"
                checkin_lua.write_text(SETUP_LUA % 2 + LUA)
                ceiling_lua = data_dir / "ceiling.lua"
                ceiling_lua.write_text(CEILING_LUA)
                load_env = {"BENCH_TOKENS": str(tokens_file), "BENCH_QR": load.checkin_qr}
                wrk(f"{base}/bench/ceiling", ceiling_lua, clients, 3, load_env)  # warm up
                ceiling = wrk(f"{base}/bench/ceiling", ceiling_lua, clients, seconds, load_env)
                checkins = wrk(
                    f"{base}/mobile/v1/checkins", checkin_lua, clients, seconds, load_env
                )
            rows = asyncio.run(_count_rows(env, load.session_id))
        finally:
            if backend == "postgres":
                asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    state = "a database in use" if history else "a brand-new database"
    print(f"\n{backend}, {state}, {clients} clients, {seconds} s, {workers} server process(es):")
    print_run("ceiling (1 INSERT)", ceiling)
    print_run("check-in", checkins)
    print(
        f"  check-ins / ceiling: {checkins['rps'] / ceiling['rps']:.0%}; "
        f"attendance rows written: {rows} for {checkins['requests']:.0f} requests"
    )


async def _count_rows(env: dict[str, str], session_id: int) -> int:
    from service.store.database import connected
    from service.store.models import Attendance

    async with connected(Settings.from_env(env)):
        return await Attendance.filter(session_id=session_id).count()


@contextmanager
def serving(env: dict[str, str], workers: int, pids: list[int] | None = None) -> Iterator[str]:
    """`officer-cert serve` on these settings; yields its base URL once it answers. With
    one worker the server is that process, whose id goes into `pids` if given."""
    server = subprocess.Popen(  # noqa: S603 - our own server
        [sys.executable, "-m", "service.cli", "serve", "--workers", str(workers)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if pids is not None:
        pids.append(server.pid)
    try:
        base = f"http://{env['HOST']}:{env['PORT']}"
        wait_for_health(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def print_run(label: str, r: dict[str, float]) -> None:
    print(
        f"  {label:20} {r['rps']:8.0f} req/s   p50 {r['p50']:7.2f} ms   p99 {r['p99']:7.2f} ms"
        f"   non-2xx {r['errors']:.0f}"
    )


def wait_for_health(
    base: str, process: subprocess.Popen[bytes] | None = None, seconds: float = 60
) -> None:
    """Return once `/health` answers 200; exit if it does not within `seconds`, or if the
    process serving it ends first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit(f"the server exited with status {process.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    sys.exit("the server did not start")


async def _admin(statement: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--officers", type=int, default=40_000)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--no-history",
        dest="history",
        action="store_false",
        help="a brand-new database: no known phones, no past sessions, no statistics",
    )
    args = parser.parse_args()
    backends = ["postgres", "sqlite"] if args.backend == "both" else [args.backend]
    for backend in backends:
        run_backend(
            backend,
            args.clients,
            args.seconds,
            args.officers,
            args.workers,
            history=args.history,
        )


if __name__ == "__main__":
    main()
