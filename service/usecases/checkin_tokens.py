"""The rotating session QR: a compact EdDSA JWT naming the session, check-in or check-out
and its time window, inside the URL `{PUBLIC_BASE_URL}/m/c/{token}`."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from service.domain.access import Action, Principal
from service.domain.errors import Conflict
from service.domain.training import (
    ScanKind,
    SessionStatus,
    checkin_refusal,
    code_of,
    window_accepted,
    window_of,
)
from service.usecases.services import Services
from service.usecases.sessions import get_session

_KIND = {ScanKind.CHECKIN: "i", ScanKind.CHECKOUT: "o"}
_KIND_OF = {v: k for k, v in _KIND.items()}


@dataclass(frozen=True, slots=True)
class SessionQr:
    session_id: int
    kind: ScanKind
    token: str
    url: str
    refresh_at: datetime  # when the next window begins: show the next QR then


@dataclass(frozen=True, slots=True)
class Scan:
    session_id: int
    kind: ScanKind
    window: int
    printed: bool = False  # from a printed poster, not the rotating screen


async def current_qr(
    services: Services, principal: Principal, session_id: int, kind: ScanKind
) -> SessionQr:
    """The QR to show now. Raises NotFound, Conflict `session.not_scheduled`, Forbidden."""
    principal.require(Action.MANAGE_TRAINING)
    session = await get_session(principal, session_id)
    if session.status is not SessionStatus.SCHEDULED:
        raise Conflict(f"The session is {session.status}.", code="session.not_scheduled")
    return await issue_qr(services, session.id, kind)


async def issue_qr(services: Services, session_id: int, kind: ScanKind) -> SessionQr:
    seconds = services.settings.qr_rotation_seconds
    now = services.now()
    window = window_of(now, seconds)
    # The window is the token's only time: read_scan accepts it and the next one.
    claims = {"s": session_id, "k": _KIND[kind], "w": window}
    token = await services.checkin_tokens.sign(claims)
    url = f"{services.settings.public_base_url}/m/c/{token}"
    refresh_at = datetime.fromtimestamp((window + 1) * seconds, UTC)
    return SessionQr(session_id, kind, token, url, refresh_at)


@dataclass(frozen=True, slots=True)
class SessionCode:
    code: str  # 6 digits, shown beside the QR
    refresh_at: datetime


async def _code(services: Services, session_id: int, kind: ScanKind, window: int) -> str:
    # An EdDSA signature is the same for the same claims and key: the code is the window's.
    claims = {"s": session_id, "k": _KIND[kind], "w": window, "c": 1}
    return code_of(await services.checkin_tokens.sign(claims))


async def current_code(
    services: Services, principal: Principal, session_id: int, kind: ScanKind
) -> SessionCode:
    """The code to show now beside the QR; it changes with it. Raises as `current_qr`."""
    shown = await current_qr(services, principal, session_id, kind)
    window = window_of(services.now(), services.settings.qr_rotation_seconds)
    return SessionCode(await _code(services, session_id, kind, window), shown.refresh_at)


async def typed_scan(services: Services, session_id: int, code: str) -> Scan | None:
    """The check-in or check-out whose code this is, in the windows a QR is accepted in
    (this one and the one before), or None."""
    now_window = window_of(services.now(), services.settings.qr_rotation_seconds)
    for window in (now_window, now_window - 1):
        for kind in ScanKind:
            expected = await _code(services, session_id, kind, window)
            if hmac.compare_digest(expected, code):
                return Scan(session_id, kind, window)
    return None


async def poster_qr(services: Services, session_id: int, kind: ScanKind) -> str:
    """The URL of a printed poster's QR: it does not rotate, so the scan is accepted in
    the session's hours like any other and flagged `printed_qr` for the organiser."""
    token = await services.checkin_tokens.sign({"s": session_id, "k": _KIND[kind], "p": 1})
    return f"{services.settings.public_base_url}/m/c/{token}"


async def read_scan(services: Services, token: str, *, at: datetime | None = None) -> Scan:
    """What a scanned token says, if it is genuine and was current when scanned (`at`,
    by default now).

    Raises InvalidInput `checkin.token_invalid` (forged, altered, another key or
    algorithm, malformed) or `checkin.token_expired` (older than the previous window).
    """
    at = at or services.now()
    return _scan(services, await services.checkin_tokens.verify(token), at)


def _scan(services: Services, claims: dict[str, Any], at: datetime) -> Scan:
    now_window = window_of(at, services.settings.qr_rotation_seconds)
    try:
        if claims.get("p") == 1:
            return Scan(int(claims["s"]), _KIND_OF[claims["k"]], now_window, printed=True)
        scan = Scan(int(claims["s"]), _KIND_OF[claims["k"]], int(claims["w"]))
    except (KeyError, TypeError, ValueError):
        raise checkin_refusal(False) from None
    if scan.window > now_window:
        raise checkin_refusal(False)
    if not window_accepted(scan.window, now_window):
        raise checkin_refusal(True)
    return scan


PENDING_FOR = timedelta(minutes=10)


async def pending_ticket(services: Services, token: str) -> tuple[Scan, str]:
    """Opening a QR's URL while logged out: the scan is checked now and its time kept in
    a signed ticket for 10 minutes, so logging in first does not lose it."""
    scan = await read_scan(services, token)
    claims = {"s": scan.session_id, "k": _KIND[scan.kind], "t": int(services.now().timestamp())}
    if scan.printed:
        claims["p"] = 1
    return scan, await services.checkin_tokens.sign(claims)


async def accept(services: Services, token: str) -> tuple[Scan, datetime]:
    """A QR token (scanned now) or a pending ticket (scanned when it says, at most 10
    minutes ago): what was scanned, and when. Raises as `read_scan`."""
    now = services.now()
    claims = await services.checkin_tokens.verify(token)
    if "t" not in claims:
        return _scan(services, claims, now), now
    try:
        scan = Scan(int(claims["s"]), _KIND_OF[claims["k"]], 0, printed=claims.get("p") == 1)
        scanned_at = datetime.fromtimestamp(int(claims["t"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        raise checkin_refusal(False) from None
    if not timedelta(0) <= services.now() - scanned_at <= PENDING_FOR:
        raise checkin_refusal(True)
    return scan, scanned_at
