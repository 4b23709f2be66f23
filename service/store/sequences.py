"""Named sequences that never hand out a value twice: one per certificate-number prefix
(region + sector + year), and the public status list's index."""

from __future__ import annotations

from service.store import sql

STATUS_LIST = "statuslist"  # shares the table with the number prefixes

_NEXT_VALUE = (
    "INSERT INTO number_sequences (prefix, last_value) VALUES (?, 1) "
    "ON CONFLICT (prefix) DO UPDATE SET last_value = number_sequences.last_value + 1 "
    "RETURNING last_value"
)


async def next_value(key: str) -> int:
    """Atomically take the next value of a named sequence (1 first): one upsert, which
    row-locks the sequence until the transaction ends."""
    rows = await sql.fetch(_NEXT_VALUE, [key])
    return int(rows[0]["last_value"])
