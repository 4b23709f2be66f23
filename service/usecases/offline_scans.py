"""Scans the organiser's phone made of officers' personal codes, uploaded when the
network is back: each checked (signature, current when scanned, inside the session's
check-in or check-out times), idempotent per nonce (an upload retried records nothing
twice) and per officer (one attendance row), flagged `offline_sync`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from service.domain.access import Action, Principal
from service.domain.errors import Conflict, DomainError
from service.domain.training import Flag, ScanKind, SessionStatus, check_scan_time
from service.store.models import OfflineScan
from service.usecases.checkins import record_attendance
from service.usecases.personal_codes import holder_of
from service.usecases.services import Services
from service.usecases.sessions import get_session

ACCEPTED_FOR = timedelta(hours=24)  # after the session's end
CLOCK_AHEAD = timedelta(minutes=5)  # a scanning phone's clock may run this far ahead


@dataclass(frozen=True, slots=True)
class ScanIn:
    code: str
    kind: ScanKind
    scanned_at: datetime
    device_id: str
    nonce: str


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    nonce: str
    outcome: str  # recorded, refused
    refusal: str | None  # the error code
    officer_id: int | None
    again: bool  # this nonce was uploaded before: its first outcome, nothing written now


async def upload_scans(
    services: Services, principal: Principal, session_id: int, scans: list[ScanIn]
) -> list[ScanOutcome]:
    """Raises NotFound `session.not_found`, Conflict (`scans.too_late`: more than 24 hours
    after the end; `session.not_scheduled`: cancelled), Forbidden."""
    principal.require(Action.MANAGE_TRAINING)
    session = await get_session(principal, session_id)
    now = services.now()
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("The session was cancelled.", code="session.not_scheduled")
    if now > session.ends_at + ACCEPTED_FOR:
        raise Conflict(
            "Scans are taken up to 24 hours after the session's end.", code="scans.too_late"
        )
    nonces = [scan.nonce for scan in scans]
    uploaded = {
        row.nonce: row for row in await OfflineScan.filter(session_id=session.id, nonce__in=nonces)
    }  # one read for a retried batch, however long
    results = []
    for scan in scans:
        known = uploaded.get(scan.nonce)
        if known is not None:
            results.append(
                ScanOutcome(scan.nonce, known.outcome, known.refusal, known.officer_id, True)
            )
            continue
        results.append(await _one(services, session.id, session.starts_at, session.ends_at, scan))
    return results


async def _one(
    services: Services, session_id: int, starts: datetime, ends: datetime, scan: ScanIn
) -> ScanOutcome:
    officer_id: int | None = None
    refusal: str | None = None
    try:
        if scan.scanned_at > services.now() + CLOCK_AHEAD:
            raise Conflict("The scan is dated in the future.", code="checkin.too_early")
        holder = await holder_of(services, scan.code, scan.scanned_at)
        officer_id = holder.officer_id
        check_scan_time(scan.kind, scan.scanned_at, starts, ends)
    except DomainError as error:
        refusal = error.code
    outcome = "refused" if refusal else "recorded"
    if officer_id is not None and refusal is None:
        # The attendance first (one row per officer, whatever the number of writers), the
        # nonce after: a crash in between leaves a retry to write the nonce, not a lost
        # check-in behind a nonce that says it was recorded.
        await record_attendance(
            session_id, officer_id, scan.kind, scan.scanned_at, scan.device_id,
            [Flag.OFFLINE_SYNC],
        )  # fmt: skip
    try:
        await OfflineScan.create(
            session_id=session_id,
            nonce=scan.nonce,
            officer_id=officer_id,
            kind=scan.kind,
            scanned_at=scan.scanned_at,
            device_id=scan.device_id,
            received_at=services.now(),
            outcome=outcome,
            refusal=refusal,
        )
    except IntegrityError:  # the same nonce in a concurrent upload: its outcome stands
        known = await OfflineScan.get(session_id=session_id, nonce=scan.nonce)
        return ScanOutcome(scan.nonce, known.outcome, known.refusal, known.officer_id, True)
    return ScanOutcome(scan.nonce, outcome, refusal, officer_id, False)
