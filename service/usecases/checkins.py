"""Check-in and check-out by scanning the session QR: one row per officer and session,
whatever the number of scans, also under concurrent scans (the unique pair decides)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from tortoise.exceptions import IntegrityError

from service.domain.access import Principal, Scope
from service.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, TooMany
from service.domain.training import (
    ALL_FACTS,
    CODE_TRIES,
    AttendanceMethod,
    Flag,
    ScanFacts,
    ScanKind,
    SessionStatus,
    check_scan_time,
    checkin_refusal,
    scan_bounds,
    scan_flags,
)
from service.store import checkin_writes
from service.store.checkin_queries import (
    ScanContext,
    give_back_try,
    scan_context,
    take_code_try,
)
from service.store.models import Attendance, TrainingSession
from service.usecases.checkin_tokens import Scan, accept, typed_scan
from service.usecases.login_sessions import Login
from service.usecases.services import Services

# Who scans: an officer whose login was checked already, or an officer's verified token
# whose login the scan's own statement checks (the hot path of a full training room).
Caller = Principal | Login


@dataclass(frozen=True, slots=True)
class Position:
    lat: float
    lng: float


@dataclass(frozen=True, slots=True)
class ScanResult:
    session_id: int
    kind: ScanKind
    at: datetime  # when the officer checked in (or out): the first scan's time
    flags: list[str]


async def record_scan(
    services: Services,
    caller: Caller,
    token: str,
    device_id: str,
    position: Position | None,
    *,
    expected_session: int | None = None,
) -> ScanResult:
    """Record the officer's check-in or check-out from a scanned session QR.

    `token` is the QR's token, or the pending ticket the check-in page kept while the
    officer logged in (then the scan's time is the one recorded). A repeated scan
    returns the first result and records nothing new. Odd scans are
    flagged, never refused. Raises InvalidInput (`checkin.token_invalid`,
    `checkin.token_expired`), Conflict (`checkin.too_early`, `checkin.too_late`,
    `session.not_scheduled`), NotFound (`session.not_found`), Forbidden (not an officer),
    Unauthenticated (`auth.session_ended`).
    """
    _officer_of(caller)
    scan, at = await accept(services, token)
    if expected_session is not None and scan.session_id != expected_session:
        raise checkin_refusal(False)  # a genuine QR, but of another session
    return await _record(services, caller, scan, at, device_id, position)


async def record_typed_code(
    services: Services,
    caller: Caller,
    session_id: int,
    code: str,
    device_id: str,
    position: Position | None,
) -> ScanResult:
    """Check in or out with the 6-digit code shown beside the QR, for an officer whose
    camera fails: accepted in the QR's windows, flagged `typed_code`. Each officer has
    CODE_TRIES wrong codes a session. Raises InvalidInput `checkin.bad_code`, TooMany
    `checkin.too_many_codes`, and as `record_scan`."""
    officer_id = _officer_of(caller)
    if isinstance(caller, Login):
        caller = await services.session_checks.require(caller)
    if not await TrainingSession.exists(id=session_id):
        raise NotFound("The session no longer exists.", code="session.not_found")
    async with services.unit_of_work():
        used = await take_code_try(session_id, officer_id, CODE_TRIES)
    if used is None:
        raise TooMany(
            f"{CODE_TRIES} wrong codes were sent for this session: scan the QR, or ask the "
            "organiser to record you.",
            code="checkin.too_many_codes",
        )
    scan = await typed_scan(services, session_id, code)
    if scan is None:
        raise InvalidInput(
            f"The code is not the one on the screen ({CODE_TRIES - used} tries left).",
            code="checkin.bad_code",
            field="code",
        )
    async with services.unit_of_work():
        await give_back_try(session_id, officer_id)
    return await _record(
        services, caller, scan, services.now(), device_id, position, Flag.TYPED_CODE
    )


def _officer_of(caller: Caller) -> int:
    principal = caller.principal if isinstance(caller, Login) else caller
    if principal.officer_id is None:
        raise Forbidden("Only officers check in.", code="auth.wrong_kind")
    return principal.officer_id


async def _record(
    services: Services,
    caller: Caller,
    scan: Scan,
    at: datetime,
    device_id: str,
    position: Position | None,
    *extra: Flag,
) -> ScanResult:
    officer_id = _officer_of(caller)
    if scan.printed:
        extra = (*extra, Flag.PRINTED_QR)
    written = await _in_one_statement(services, caller, scan, at, device_id, position, extra)
    if written is not None:
        return ScanResult(scan.session_id, scan.kind, written.at, written.flags)
    if isinstance(caller, Login):
        await services.session_checks.require(caller)
    context = await scan_context(scan.session_id, officer_id, device_id)
    if context is None:
        raise NotFound("The session no longer exists.", code="session.not_found")
    if context.status is not SessionStatus.SCHEDULED:
        raise Conflict(f"The session is {context.status}.", code="session.not_scheduled")
    check_scan_time(scan.kind, at, context.starts_at, context.ends_at)
    facts = _facts(context, device_id, position)
    flags = scan_flags(facts, has_position=position is not None, extra=extra)
    if scan.kind is ScanKind.CHECKIN:
        row = await _check_in(scan.session_id, officer_id, at, device_id, position, flags)
        first = row.checked_in_at
    else:
        row = await _check_out(scan.session_id, officer_id, at, device_id, flags)
        first = row.checked_out_at
    if first is None:  # pragma: no cover - both paths set it
        raise AssertionError("scan recorded without its time")
    return ScanResult(scan.session_id, scan.kind, first, list(row.flags))


async def record_attendance(
    session_id: int,
    officer_id: int,
    kind: ScanKind,
    at: datetime,
    device_id: str,
    flags: list[str],
) -> Attendance:
    """The officer's check-in or check-out at `at`, as a scan records it (the first one
    stands), with `flags`; for scans uploaded later by the organiser's phone."""
    if kind is ScanKind.CHECKIN:
        return await _check_in(session_id, officer_id, at, device_id, None, flags)
    return await _check_out(session_id, officer_id, at, device_id, flags)


async def _check_in(
    session_id: int,
    officer_id: int,
    at: datetime,
    device_id: str,
    position: Position | None,
    flags: list[str],
) -> Attendance:
    values: dict[str, Any] = {
        "checked_in_at": at,
        "checkin_device_id": device_id,
        "checkin_lat": position.lat if position else None,
        "checkin_lng": position.lng if position else None,
    }
    row = await _first_row(session_id, officer_id, values, flags)
    if row.checked_in_at is None:  # a check-out came first: fill the check-in in once
        await Attendance.filter(id=row.id, checked_in_at__isnull=True).update(**values)
        row = await _merge_flags(row.id, flags)
    return row


async def _check_out(
    session_id: int, officer_id: int, at: datetime, device_id: str, flags: list[str]
) -> Attendance:
    values: dict[str, Any] = {"checked_out_at": at, "checkout_device_id": device_id}
    without = [*flags, Flag.CHECKOUT_WITHOUT_CHECKIN]
    row = await _first_row(session_id, officer_id, values, without)
    if row.checked_out_at is None:
        await Attendance.filter(id=row.id, checked_out_at__isnull=True).update(**values)
        row = await _merge_flags(row.id, flags)
    return row


async def _first_row(
    session_id: int, officer_id: int, values: dict[str, Any], flags: list[str]
) -> Attendance:
    """The officer's row for the session: created by this scan if it is the first, else
    the one a concurrent or earlier scan created (the unique pair decides, not a read)."""
    try:
        return await Attendance.create(
            session_id=session_id,
            officer_id=officer_id,
            method=AttendanceMethod.QR,
            flags=sorted(set(flags)),
            **values,
        )
    except IntegrityError:
        return await Attendance.get(session_id=session_id, officer_id=officer_id)


async def _merge_flags(row_id: int, flags: list[str]) -> Attendance:
    row = await Attendance.get(id=row_id)
    merged = sorted(set(row.flags) | set(flags))
    if merged != row.flags:
        await Attendance.filter(id=row_id).update(flags=merged)
        row.flags = merged
    return row


@cache
def _all_flags(has_position: bool, extra: tuple[Flag, ...]) -> tuple[str, ...]:
    """The flags of a scan for each combination of facts, as JSON (`checkin_writes`)."""
    return tuple(
        json.dumps(scan_flags(facts, has_position=has_position, extra=extra)) for facts in ALL_FACTS
    )


def _facts(context: ScanContext, device_id: str, position: Position | None) -> ScanFacts:
    fence = context.geofence
    return ScanFacts(
        device_shared=context.device_shared,
        unbound_device=context.bound_device is not None and context.bound_device != device_id,
        off_fence=fence is not None
        and (position is None or not fence.contains(position.lat, position.lng)),
    )


async def _in_one_statement(
    services: Services,
    caller: Caller,
    scan: Scan,
    at: datetime,
    device_id: str,
    position: Position | None,
    extra: tuple[Flag, ...],
) -> checkin_writes.Written | None:
    """The scan written by one statement (`checkin_writes`), or None for the slow path,
    which writes what this could not and says why not."""
    guard, vouched = None, None  # the login the statement checks, if it checks one
    if isinstance(caller, Login):
        holds = services.session_checks.known(caller)
        if holds is False or (holds is None and caller.principal.scope != Scope()):
            return None
        if holds is None:
            guard = checkin_writes.LoginGuard(
                caller.principal.account_id, caller.generation, caller.family
            )
            vouched = caller
    latest_start, earliest_end = scan_bounds(scan.kind, at)
    has_position = position is not None
    fast = checkin_writes.FastScan(
        session_id=scan.session_id,
        officer_id=_officer_of(caller),
        at=at,
        device_id=device_id,
        lat=position.lat if position else None,
        lng=position.lng if position else None,
        latest_start=latest_start,
        earliest_end=earliest_end,
        flags=_all_flags(has_position, extra),
        login=guard,
    )
    write = checkin_writes.check_in if scan.kind is ScanKind.CHECKIN else checkin_writes.check_out
    written = await write(fast)
    if written is not None and vouched is not None:
        services.session_checks.vouch(vouched)
    return written
