"""Data exchange for provincial and national platforms: the change feed since a cursor,
and the snapshot of the current state, in the shapes `domain.exchange.FIELDS` lists.

Each change names a record (an officer, a certificate, an officer's hours of a year);
the line carries the record's state as it is when the feed is read, so a record changed
twice between two reads shows its newest state on both lines. Only records of officers
of the key's region are given; an application not yet issued (no number) is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from service.domain.certificates import CertificateStatus, effective_status
from service.domain.errors import InvalidInput
from service.domain.exchange import Cursor, RecordKind
from service.domain.hours import HourCategory, as_hours
from service.store import exchange as store
from service.store import sql
from service.store.certificates import categories
from service.usecases.api_keys import ApiClient
from service.usecases.services import Services

SCOPE = "exchange:read"
MAX_LIMIT = 1_000
PAGE = 500  # the snapshot reads this many records at a time


@dataclass(frozen=True, slots=True)
class Changes:
    lines: list[dict[str, Any]]
    next_cursor: Cursor
    more: bool  # the page was full: ask again at once


async def changes(services: Services, client: ApiClient, since: str | None, limit: int) -> Changes:
    """Up to `limit` changes after the cursor `since`, oldest first, each with its
    cursor; `next_cursor` is where to ask next. No change is ever skipped.

    Raises InvalidInput `exchange.bad_cursor`, `exchange.bad_limit`; Forbidden
    `auth.scope_missing`.
    """
    client.require(SCOPE)
    cursor = Cursor.parse(since)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit is 1 to {MAX_LIMIT}.", code="exchange.bad_limit", field="limit")
    rows = await store.changes_after(cursor, client.region_prefix, limit)
    states = await _states(services.today(), client.region_prefix, rows)
    lines = []
    for row in rows:
        kind = RecordKind(row["kind"])
        key = (kind, row["entity_id"], row["year"] if kind is RecordKind.HOURS else None)
        if (state := states.get(key)) is None:
            continue
        line: dict[str, Any] = {
            "cursor": str(Cursor(int(row["xid"]), int(row["id"]))),
            "kind": str(kind),
            "id": row["entity_id"],
        }
        if kind is RecordKind.HOURS:
            line["year"] = row["year"]
        lines.append({**line, "state": state})
    last = Cursor(int(rows[-1]["xid"]), int(rows[-1]["id"])) if rows else cursor
    return Changes(lines, last, more=len(rows) == limit)


async def snapshot(services: Services, client: ApiClient) -> AsyncIterator[dict[str, Any]]:
    """Every record of the region, kind by kind, then `{"next_cursor"}`: the feed from
    there gives what changed since the snapshot was begun."""
    client.require(SCOPE)
    since = await store.latest()
    today = services.today()
    for kind in (RecordKind.OFFICER, RecordKind.CERTIFICATE):
        after = 0
        while rows := await store.every(str(kind), client.region_prefix, after, PAGE):
            for row in rows:
                state = _officer(row) if kind is RecordKind.OFFICER else _certificate(row, today)
                yield {"kind": str(kind), "id": row["id"], "state": state}
            after = int(rows[-1]["id"])
    after = 0
    while officers := await store.every("officer", client.region_prefix, after, PAGE):
        ids = [int(row["id"]) for row in officers]
        for (officer_id, year), state in _hours(
            await store.hours(client.region_prefix, ids)
        ).items():
            yield {"kind": "hours", "id": officer_id, "year": year, "state": state}
        after = ids[-1]
    yield {"next_cursor": str(since)}


async def _states(
    today: date, prefix: str, rows: Iterable[Mapping[str, Any]]
) -> dict[tuple[RecordKind, int, int | None], dict[str, Any]]:
    wanted: dict[str, set[Any]] = defaultdict(set)
    for row in rows:
        if row["kind"] == RecordKind.HOURS:
            wanted["hours"].add((row["entity_id"], row["year"]))
        else:
            wanted[row["kind"]].add(row["entity_id"])
    states: dict[tuple[RecordKind, int, int | None], dict[str, Any]] = {}
    for row in await store.officers(prefix, sorted(wanted["officer"])):
        states[(RecordKind.OFFICER, row["id"], None)] = _officer(row)
    for row in await store.certificates(prefix, sorted(wanted["certificate"])):
        states[(RecordKind.CERTIFICATE, row["id"], None)] = _certificate(row, today)
    pairs = wanted["hours"]
    if pairs:
        found = await store.hours(
            prefix, sorted({o for o, _ in pairs}), sorted({y for _, y in pairs})
        )
        for (officer_id, year), state in _hours(found).items():
            if (officer_id, year) in pairs:
                states[(RecordKind.HOURS, officer_id, year)] = state
    return states


def _officer(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "in_post": bool(row["in_post"])}


def _day(value: Any) -> str | None:
    day = sql.maybe_date(value)
    return day.isoformat() if day else None


def _certificate(row: Mapping[str, Any], today: date) -> dict[str, Any]:
    until = sql.maybe_date(row["valid_until"])
    suspended = sql.maybe_date(row["suspended_until"])
    status = effective_status(CertificateStatus(row["status"]), until, suspended, today)
    return {
        **row,
        "legacy": bool(row["legacy"]),
        "enforcement_categories": categories(row["enforcement_categories"]),
        "valid_from": _day(row["valid_from"]),
        "valid_until": _day(until),
        "status": str(status),
        "status_label": status.label,
        "suspended_until": _day(suspended) if status is CertificateStatus.SUSPENDED else None,
    }


def _hours(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[int, int], dict[str, Any]]:
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows:
        key = (int(row["officer_id"]), int(row["year"]))
        state = found.setdefault(
            key,
            {
                "officer_id": key[0],
                "name": row["name"],
                "id_number": row["id_number"],
                "region_code": row["region_code"],
                "year": key[1],
                **{str(category): 0.0 for category in HourCategory},
                "total": 0.0,
            },
        )
        hours = as_hours(int(row["tenths"] or 0))
        state[str(HourCategory(row["category"]))] = hours
        state["total"] = round(state["total"] + hours, 1)
    return found
