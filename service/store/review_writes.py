"""The annual review's writes, set-based: one statement per kind on PostgreSQL (arrays
unnested), one prepared statement run over every row on SQLite. Table and column names
are constants here; every value is bound."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec

from service.domain.certificates import CertificateStatus
from service.store import sql

_PG_PASSED = """
UPDATE certificates SET last_review_year = $1, version = version + 1, updated_at = $2
WHERE id = ANY($3::int[])
"""
_SQLITE_PASSED = """
UPDATE certificates SET last_review_year = ?, version = version + 1, updated_at = ?
WHERE id = ?
"""
_PG_SUSPENDED = """
UPDATE certificates AS c
SET status = $1, suspended_until = NULL, status_reason = v.reason,
    version = c.version + 1, updated_at = $2
FROM unnest($3::int[], $4::text[]) AS v(id, reason)
WHERE c.id = v.id
"""
_SQLITE_SUSPENDED = """
UPDATE certificates
SET status = ?, suspended_until = NULL, status_reason = ?, version = version + 1,
    updated_at = ?
WHERE id = ?
"""
_PG_RESULTS = """
INSERT INTO annual_review_results (year, certificate_id, passed, reasons, reviewed_at,
                                   reviewed_by_id)
SELECT $1, v.certificate_id, v.passed, v.reasons::jsonb, $2, $3
FROM unnest($4::int[], $5::bool[], $6::text[]) AS v(certificate_id, passed, reasons)
"""
_SQLITE_RESULTS = """
INSERT INTO annual_review_results (year, certificate_id, passed, reasons, reviewed_at,
                                   reviewed_by_id)
VALUES (?, ?, ?, ?, ?, ?)
"""
_PG_EVENTS = """
INSERT INTO certificate_events (officer_id, certificate_id, seq, action, actor_id,
                                actor_name, at, reason, before, after, prev_hash, hash)
SELECT v.officer_id, v.certificate_id, v.seq, v.action, $1, $2, $3, v.reason,
       v.before::jsonb, v.after::jsonb, v.prev_hash, v.hash
FROM unnest($4::int[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[],
            $10::text[], $11::text[], $12::text[])
     AS v(officer_id, certificate_id, seq, action, reason, before, after, prev_hash, hash)
"""
_SQLITE_EVENTS = """
INSERT INTO certificate_events (officer_id, certificate_id, seq, action, actor_id,
                                actor_name, at, reason, before, after, prev_hash, hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_PG_HEADS = """
UPDATE officers AS o SET chain_seq = v.seq, chain_head = v.head
FROM unnest($1::int[], $2::int[], $3::text[]) AS v(id, seq, head)
WHERE o.id = v.id
"""
_SQLITE_HEADS = "UPDATE officers SET chain_seq = ?, chain_head = ? WHERE id = ?"


def _dump(value: Any) -> str:
    return msgspec.json.encode(value).decode()


async def mark_passed(ids: Sequence[int], year: int, now: datetime) -> None:
    client = sql.connection()
    if sql.is_postgres(client):
        await client.execute_query(_PG_PASSED, [year, now, list(ids)])
    else:
        await client.execute_many(_SQLITE_PASSED, [[year, now, i] for i in ids])


async def mark_suspended(reasons: dict[int, str], now: datetime) -> None:
    """Suspend each certificate with its own reason text."""
    client = sql.connection()
    status = CertificateStatus.SUSPENDED.value
    if sql.is_postgres(client):
        await client.execute_query(
            _PG_SUSPENDED, [status, now, list(reasons), list(reasons.values())]
        )
    else:
        rows = [[status, reason, now, i] for i, reason in reasons.items()]
        await client.execute_many(_SQLITE_SUSPENDED, rows)


async def insert_results(
    year: int,
    now: datetime,
    reviewer_id: int | None,
    rows: Sequence[tuple[int, bool, list[dict[str, str]]]],
) -> None:
    """(certificate_id, passed, reasons) per certificate."""
    client = sql.connection()
    if sql.is_postgres(client):
        ids, passed, reasons = zip(*rows, strict=True) if rows else ((), (), ())
        await client.execute_query(
            _PG_RESULTS,
            [year, now, reviewer_id, list(ids), list(passed), [_dump(r) for r in reasons]],
        )
    else:
        await client.execute_many(
            _SQLITE_RESULTS,
            [[year, i, passed, _dump(r), now, reviewer_id] for i, passed, r in rows],
        )


async def insert_events(
    actor_id: int | None, actor_name: str, at: datetime, events: Sequence[Any]
) -> None:
    """`NewEvent`s that all share one actor and time."""
    client = sql.connection()
    if sql.is_postgres(client):
        columns: list[list[Any]] = [[] for _ in range(9)]
        for e in events:
            for column, value in zip(
                columns,
                (e.officer_id, e.certificate_id, e.seq, e.action, e.reason, _dump(e.before),
                 _dump(e.after), e.prev_hash, e.hash),
                strict=True,
            ):  # fmt: skip
                column.append(value)
        await client.execute_query(_PG_EVENTS, [actor_id, actor_name, at, *columns])
    else:
        await client.execute_many(
            _SQLITE_EVENTS,
            [
                [e.officer_id, e.certificate_id, e.seq, e.action, actor_id, actor_name, at,
                 e.reason, _dump(e.before), _dump(e.after), e.prev_hash, e.hash]
                for e in events
            ],
        )  # fmt: skip


async def move_heads(heads: dict[int, tuple[int, str]]) -> None:
    """Officer id -> (chain_seq, chain_head)."""
    client = sql.connection()
    if sql.is_postgres(client):
        ids = list(heads)
        await client.execute_query(
            _PG_HEADS, [ids, [heads[i][0] for i in ids], [heads[i][1] for i in ids]]
        )
    else:
        await client.execute_many(_SQLITE_HEADS, [[s, h, i] for i, (s, h) in heads.items()])
