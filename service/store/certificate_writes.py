"""Writing certificates' rows: one change checked against the version the writer read, or
many at once (the annual review), one statement on PostgreSQL (arrays unnested), one
prepared statement run over the rows on SQLite. Only `usecases.certificates.transitions`
calls these: it decides the statuses, with the state machine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.domain.certificates import CertificateStatus
from service.store import sql
from service.store.models import Certificate


async def write_if_version(
    certificate_id: int, version: int, values: dict[str, Any], now: datetime
) -> bool:
    """Save `values` and bump the version if the row still has `version`; False when
    another writer got there first."""
    updated = await Certificate.filter(id=certificate_id, version=version).update(
        **values, version=version + 1, updated_at=now
    )
    return bool(updated)


@dataclass(frozen=True, slots=True)
class RowWrite:
    """A certificate's new status after one or more changes (`changes`: how many events
    were chained for it, so its version moves on as far)."""

    certificate_id: int
    status: CertificateStatus
    status_reason: str | None  # None: keep the stored reason
    last_review_year: int | None
    changes: int


_PG_ROWS = """
UPDATE certificates AS c
SET status = v.status, status_reason = COALESCE(v.reason, c.status_reason),
    last_review_year = v.review_year, suspended_until = NULL,
    card_returned_on = CASE WHEN v.status = 'active' THEN NULL ELSE c.card_returned_on END,
    version = c.version + v.changes, updated_at = $1
FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::int[])
     AS v(id, status, reason, review_year, changes)
WHERE c.id = v.id
"""
_SQLITE_ROWS = """
UPDATE certificates
SET status = ?, status_reason = COALESCE(?, status_reason), last_review_year = ?,
    suspended_until = NULL,
    card_returned_on = CASE WHEN ? = 'active' THEN NULL ELSE card_returned_on END,
    version = version + ?, updated_at = ?
WHERE id = ?
"""


async def write_rows(rows: Sequence[RowWrite], now: datetime) -> None:
    """Set each certificate's status, reason and last review year; a suspension's end
    date is cleared (none of these rows is left suspended with one), and so is a returned
    card's day where the certificate is active again (the card went back to its holder)."""
    if not rows:
        return
    client = sql.connection()
    if sql.is_postgres(client):
        await client.execute_query(
            _PG_ROWS,
            [
                now,
                [r.certificate_id for r in rows],
                [r.status.value for r in rows],
                [r.status_reason for r in rows],
                [r.last_review_year for r in rows],
                [r.changes for r in rows],
            ],
        )
    else:
        await client.execute_many(
            _SQLITE_ROWS,
            [
                [
                    r.status.value,
                    r.status_reason,
                    r.last_review_year,
                    r.status.value,
                    r.changes,
                    now,
                    r.certificate_id,
                ]
                for r in rows
            ],
        )
