"""Officers' event logs as stored (see `service.domain.events`): one event appended under
the chain's lock, or many at once for a set-based use case, and the chains read back.

The SQL of the set-based insert is built from the one list of an event's fields
(`domain.events.COLUMNS`) and the model's column types; every value is bound.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import msgspec
from tortoise.fields import JSONField

from service.domain.events import COLUMNS, Change, Event, chain
from service.store import outbox, sql
from service.store.models import Officer, OfficerEvent
from service.store.officers import lock_officer

BATCH = 500


async def append(officer_id: int, change: Change) -> Event:
    """Append one event to the officer's chain. Call inside a unit of work.

    The officer's row is locked first (on PostgreSQL; SQLite serialises transactions), so
    concurrent appends queue up instead of forking the chain; (officer, seq) is unique as
    a last guard. Raises NotFound `officer.not_found`.
    """
    head = await lock_officer(officer_id)
    event = chain(officer_id, head.chain_seq, head.chain_head, change)
    await OfficerEvent.create(**{name: getattr(event, name) for name in COLUMNS})
    await Officer.filter(id=officer_id).update(chain_seq=event.seq, chain_head=event.hash)
    await outbox.enqueue_for_events([event])
    return event


async def append_many(events: Sequence[Event]) -> None:
    """Store events chained already (their officers' rows locked by the caller), and move
    each officer's head to its last one: one statement each on PostgreSQL, one prepared
    statement run over the rows on SQLite."""
    if not events:
        return
    client = sql.connection()
    heads: dict[int, tuple[int, str]] = {}
    for event in events:
        heads[event.officer_id] = max(heads.get(event.officer_id, (0, "")), (event.seq, event.hash))
    statements = _statements()
    if sql.is_postgres(client):
        columns = [[statements.value(n, getattr(e, n)) for e in events] for n in COLUMNS]
        await client.execute_query(statements.pg_insert, columns)
        ids = list(heads)
        await client.execute_query(
            _PG_HEADS, [ids, [heads[i][0] for i in ids], [heads[i][1] for i in ids]]
        )
    else:
        rows = [[statements.value(n, getattr(e, n)) for n in COLUMNS] for e in events]
        await client.execute_many(statements.sqlite_insert, rows)
        await client.execute_many(_SQLITE_HEADS, [[s, h, i] for i, (s, h) in heads.items()])
    await outbox.enqueue_for_events(events)


async def chains(
    after_officer: int = 0, officers: int = BATCH
) -> AsyncIterator[tuple[list[tuple[int, int, str]], list[dict[str, Any]]]]:
    """Officers' chain heads `(id, chain_seq, chain_head)` in batches by id, each with
    the batch's stored events in chain order (every column and the id)."""
    last_id = after_officer
    while True:
        heads = (
            await Officer.filter(id__gt=last_id)
            .order_by("id")
            .limit(officers)
            .values_list("id", "chain_seq", "chain_head")
        )
        if not heads:
            return
        last_id = heads[-1][0]
        rows = (
            await OfficerEvent.filter(officer_id__in=[h[0] for h in heads])
            .order_by("officer_id", "seq")
            .values("id", *COLUMNS)
        )
        yield list(heads), rows


@dataclass(frozen=True, slots=True)
class _Statements:
    json_columns: frozenset[str]
    pg_insert: str
    sqlite_insert: str

    def value(self, name: str, value: Any) -> Any:
        return msgspec.json.encode(value).decode() if name in self.json_columns else value


@cache
def _statements() -> _Statements:
    """Built once the models are initialised (foreign keys' id columns appear then)."""
    fields = {name: OfficerEvent._meta.fields_map[name] for name in COLUMNS}
    json = frozenset(name for name, field in fields.items() if isinstance(field, JSONField))

    def array_type(name: str) -> str:  # JSON goes as text and is cast in the SELECT
        if name in json:
            return "TEXT[]"
        return str(fields[name].get_for_dialect("postgres", "SQL_TYPE")) + "[]"

    table, listed = OfficerEvent._meta.db_table, ", ".join(COLUMNS)
    selected = ", ".join(f"v.{n}::JSONB" if n in json else f"v.{n}" for n in COLUMNS)
    arrays = ", ".join(f"${i}::{array_type(n)}" for i, n in enumerate(COLUMNS, 1))
    # Table and column names are constants of the model; every value is bound.
    return _Statements(
        json_columns=json,
        pg_insert=f"INSERT INTO {table} ({listed}) SELECT {selected} FROM unnest({arrays}) "  # noqa: S608
        f"AS v({listed})",
        sqlite_insert=f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' * len(COLUMNS))})",  # noqa: S608
    )


_PG_HEADS = """
UPDATE officers AS o SET chain_seq = v.seq, chain_head = v.head
FROM unnest($1::int[], $2::int[], $3::text[]) AS v(id, seq, head)
WHERE o.id = v.id
"""
_SQLITE_HEADS = "UPDATE officers SET chain_seq = ?, chain_head = ? WHERE id = ?"
