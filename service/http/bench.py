"""`POST /bench/ceiling`, mounted only with BENCH_ENDPOINTS=1: one INSERT through the same
driver and pool as the real endpoints, so a benchmark can compare them with what the
server and database can do at best. The table is the benchmark's own (bench/checkin.py)."""

from __future__ import annotations

from litestar import post

from service.store import sql


@post("/bench/ceiling", status_code=200, include_in_schema=False)
async def ceiling() -> dict[str, int]:
    rows = await sql.fetch("INSERT INTO bench_ceiling (n) VALUES (?) RETURNING id", [1])
    return {"id": int(rows[0]["id"])}
