"""A check-in or check-out in one statement: the session's terms, the facts the flags look
at and, where the caller's login is not known to hold yet, the login itself are read by
the statement that writes the attendance row.

The domain decides the flags (`scan_flags`): the caller gives the flags for each of the
eight combinations of facts (`ALL_FACTS`), and the statement picks the one its facts
make. A scan the statement does not write (a repeated scan, a session not under way, an
ended login, a check-out without check-in) takes the slow path, which says why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from service.domain.training import AttendanceMethod, ScanKind, SessionStatus
from service.store import sql


@dataclass(frozen=True, slots=True)
class LoginGuard:
    """An officer's login as its access token names it: the statement writes only while
    it holds (the account active, of this generation, an officer's with no jurisdiction,
    its refresh family unrevoked), as `login_sessions` would decide."""

    account_id: int
    generation: int
    family: str


@dataclass(frozen=True, slots=True)
class FastScan:
    session_id: int
    officer_id: int
    at: datetime
    device_id: str
    lat: float | None
    lng: float | None
    latest_start: datetime  # the session starts at or before (`scan_bounds`)
    earliest_end: datetime  # and ends at or after
    flags: Sequence[str]  # per `facts_index`, each a JSON list
    login: LoginGuard | None  # None: the caller's login is known to hold


@dataclass(frozen=True, slots=True)
class Written:
    at: datetime  # the check-in's (or check-out's) time as recorded
    flags: list[str]


# Great-circle distance (haversine), as `distance_m` computes it.
_DISTANCE = """2 * 6371000 * ASIN(SQRT(
  POWER(SIN((RADIANS(:lat) - RADIANS(s.geofence_lat)) / 2), 2)
  + COS(RADIANS(s.geofence_lat)) * COS(RADIANS(:lat))
  * POWER(SIN(RADIANS(:lng - s.geofence_lng) / 2), 2)))"""

# `facts_index`: 4 × device shared + 2 × unbound device + off the geofence.
# The shared-phone test is one EXISTS per device column, so that each reads its own
# (session, device) index whatever the planner knows of the table: with an OR in one
# EXISTS it may scan every attendee of the session instead.
_FACTS = f"""(CASE WHEN EXISTS (SELECT 1 FROM attendance o
               WHERE o.session_id = s.id AND o.checkin_device_id = :device
                 AND o.officer_id <> :officer)
            OR EXISTS (SELECT 1 FROM attendance o
               WHERE o.session_id = s.id AND o.checkout_device_id = :device
                 AND o.officer_id <> :officer)
            OR EXISTS (SELECT 1 FROM devices d WHERE d.device_id = :device
                       AND d.officer_id <> :officer) THEN 4 ELSE 0 END
  + CASE WHEN COALESCE((SELECT d.device_id FROM devices d WHERE d.officer_id = :officer
                        ORDER BY d.first_seen_at, d.id LIMIT 1), :device) <> :device
         THEN 2 ELSE 0 END
  + CASE WHEN s.geofence_lat IS NULL OR s.geofence_lng IS NULL THEN 0
         WHEN :lat IS NULL THEN 1
         WHEN {_DISTANCE} > s.geofence_radius_m THEN 1 ELSE 0 END)"""  # noqa: S608 - constants

_FLAGS = "CASE " + _FACTS + " ".join(f" WHEN {i} THEN :flags{i}" for i in range(8)) + " END"

_TERMS = """s.id = :session AND s.status = :scheduled
  AND s.starts_at <= :latest_start AND s.ends_at >= :earliest_end"""

_LOGIN = """AND EXISTS (SELECT 1 FROM accounts a
  WHERE a.id = :account AND a.active AND a.session_generation = :generation
    AND a.role = 'officer' AND a.officer_id = :officer
    AND a.agency_id IS NULL AND a.region_id IS NULL
    AND EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.account_id = a.id
                AND r.family = :family AND r.revoked_at IS NULL))"""

_CHECK_IN = """
INSERT INTO attendance (session_id, officer_id, method, flags, checked_in_at,
  checkin_device_id, checkin_lat, checkin_lng, note, created_at)
SELECT s.id, :officer, :method, {flags}, :at, :device, :lat, :lng, '', :at
FROM training_sessions s WHERE {terms} {login}
ON CONFLICT (session_id, officer_id) DO NOTHING
RETURNING checked_in_at AS at, flags
"""

# The check-in's row gets its check-out; its flags become the union of both scans'.
_CHECK_OUT = """
UPDATE attendance SET checked_out_at = :at, checkout_device_id = :device, flags = {flags}
FROM training_sessions s
WHERE attendance.session_id = s.id AND attendance.officer_id = :officer
  AND attendance.checked_out_at IS NULL AND {terms} {login}
RETURNING attendance.checked_out_at AS at, attendance.flags AS flags
"""

_MERGED = {
    "postgres": """(SELECT COALESCE(jsonb_agg(f ORDER BY f COLLATE "C"), '[]'::jsonb) FROM (
      SELECT jsonb_array_elements_text(attendance.flags) AS f
      UNION SELECT jsonb_array_elements_text(CAST(({flags}) AS jsonb))) u)""",
    "sqlite": """(SELECT json_group_array(f) FROM (
      SELECT value AS f FROM json_each(attendance.flags)
      UNION SELECT value FROM json_each({flags}) ORDER BY f))""",
}

# Parameters whose type PostgreSQL cannot infer from where they stand, or infers
# differently from one place to another (a value is bound once, wherever it is used).
_TYPED = {
    "lat": "DOUBLE PRECISION",
    "lng": "DOUBLE PRECISION",
    **dict.fromkeys(("device", "method", "scheduled", "family"), "VARCHAR"),
}
_NAME = re.compile(r"(?<!:):([a-z_0-9]+)")


async def check_in(scan: FastScan) -> Written | None:
    """The officer's attendance row, created with the check-in; None if the statement
    wrote nothing (see the module's note)."""
    return await _write(ScanKind.CHECKIN, scan)


async def check_out(scan: FastScan) -> Written | None:
    """The check-out written on the officer's checked-in row; None if it was not."""
    return await _write(ScanKind.CHECKOUT, scan)


async def _write(kind: ScanKind, scan: FastScan) -> Written | None:
    postgres = sql.is_postgres(sql.connection())
    statement, names = _statement(kind, postgres=postgres, guarded=scan.login is not None)
    values: dict[str, Any] = {
        "session": scan.session_id,
        "officer": scan.officer_id,
        "method": AttendanceMethod.QR.value,
        "scheduled": SessionStatus.SCHEDULED.value,
        "at": scan.at,
        "device": scan.device_id,
        "lat": scan.lat,
        "lng": scan.lng,
        "latest_start": scan.latest_start,
        "earliest_end": scan.earliest_end,
        **{f"flags{i}": flags for i, flags in enumerate(scan.flags)},
    }
    if scan.login is not None:
        values |= {
            "account": scan.login.account_id,
            "generation": scan.login.generation,
            "family": scan.login.family,
        }
    rows = await sql.fetch_numbered(statement, [values[name] for name in names])
    if not rows:
        return None
    flags_value = rows[0]["flags"]
    return Written(
        sql.as_datetime(rows[0]["at"]),
        json.loads(flags_value) if isinstance(flags_value, str) else list(flags_value),
    )


@cache
def _statement(kind: ScanKind, *, postgres: bool, guarded: bool) -> tuple[str, tuple[str, ...]]:
    """The statement with numbered placeholders (`$1`, or `?1` for SQLite), and the
    names of the values they take in order, each bound once however often the
    statement uses it; made once per kind, dialect and guard."""
    login = _LOGIN if guarded else ""
    if kind is ScanKind.CHECKIN:
        flags = f"CAST(({_FLAGS}) AS jsonb)" if postgres else _FLAGS
        statement = _CHECK_IN.format(flags=flags, terms=_TERMS, login=login)
    else:
        merged = _MERGED["postgres" if postgres else "sqlite"].replace("{flags}", _FLAGS)
        statement = _CHECK_OUT.format(flags=merged, terms=_TERMS, login=login)
    names: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            names.append(name)
        number = f"${names.index(name) + 1}" if postgres else f"?{names.index(name) + 1}"
        typed = _TYPED.get(name) if postgres else None
        return f"CAST({number} AS {typed})" if typed else number

    return _NAME.sub(placeholder, statement), tuple(names)
