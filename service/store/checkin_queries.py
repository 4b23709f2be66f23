"""The one read a check-in needs: the session's terms and what the flags look at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.domain.training import Geofence, SessionStatus
from service.store import sql

# One EXISTS per device column, each on its (session, device) index (as `checkin_writes`).
_SCAN_CONTEXT = """
SELECT s.status, s.starts_at, s.ends_at, s.geofence_lat, s.geofence_lng, s.geofence_radius_m,
  (EXISTS (SELECT 1 FROM attendance a
           WHERE a.session_id = s.id AND a.checkin_device_id = ? AND a.officer_id <> ?)
   OR EXISTS (SELECT 1 FROM attendance a
              WHERE a.session_id = s.id AND a.checkout_device_id = ? AND a.officer_id <> ?)
  ) AS shared_here,
  EXISTS (SELECT 1 FROM devices d WHERE d.device_id = ? AND d.officer_id <> ?) AS shared_phone,
  (SELECT d.device_id FROM devices d WHERE d.officer_id = ?
   ORDER BY d.first_seen_at, d.id LIMIT 1) AS bound_device
FROM training_sessions s WHERE s.id = ?
"""


@dataclass(frozen=True, slots=True)
class ScanContext:
    status: SessionStatus
    starts_at: datetime
    ends_at: datetime
    geofence: Geofence | None
    device_shared: bool  # another officer used this phone here, or logged in from it
    bound_device: str | None  # the phone the officer first logged in from


async def scan_context(session_id: int, officer_id: int, device_id: str) -> ScanContext | None:
    """One round trip: a check-in is the hot path of a full training room."""
    rows = await sql.fetch(
        _SCAN_CONTEXT,
        [
            device_id,
            officer_id,
            device_id,
            officer_id,
            device_id,
            officer_id,
            officer_id,
            session_id,
        ],
    )
    if not rows:
        return None
    row = rows[0]
    fence = None
    if row["geofence_lat"] is not None and row["geofence_lng"] is not None:
        fence = Geofence(row["geofence_lat"], row["geofence_lng"], row["geofence_radius_m"])
    return ScanContext(
        status=SessionStatus(row["status"]),
        starts_at=sql.as_datetime(row["starts_at"]),
        ends_at=sql.as_datetime(row["ends_at"]),
        geofence=fence,
        device_shared=bool(row["shared_here"]) or bool(row["shared_phone"]),
        bound_device=row["bound_device"],
    )


_TAKE_TRY = """
INSERT INTO typed_code_failures (session_id, officer_id, failures) VALUES (?, ?, 1)
ON CONFLICT (session_id, officer_id) DO UPDATE
SET failures = typed_code_failures.failures + 1
WHERE typed_code_failures.failures < ?
RETURNING failures
"""


async def take_code_try(session_id: int, officer_id: int, tries: int) -> int | None:
    """Count a typed code against the officer's tries for the session before it is
    checked (so concurrent guesses cannot pass the limit): the tries used, or None when
    all are used already. A right code gives its try back (`give_back_try`)."""
    rows = await sql.fetch(_TAKE_TRY, [session_id, officer_id, tries])
    return int(rows[0]["failures"]) if rows else None


async def give_back_try(session_id: int, officer_id: int) -> None:
    await sql.fetch(
        "UPDATE typed_code_failures SET failures = failures - 1 "
        "WHERE session_id = ? AND officer_id = ? AND failures > 0 RETURNING failures",
        [session_id, officer_id],
    )
