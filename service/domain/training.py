"""Training sessions, attendance and external training claims: states and the rules on a
session's schedule, credit and geofence."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from service.domain.errors import Conflict, DomainError, InvalidInput

MAX_SESSION = timedelta(days=31)
MAX_CREDIT_TENTHS = 1_000  # 100 h: a month-long course at most


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class AttendanceMethod(StrEnum):
    QR = "qr"
    MANUAL = "manual"


class ClaimStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def validate_schedule(starts_at: datetime, ends_at: datetime) -> None:
    """Timezone-aware, ending after it starts, at most a month long."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput(
            "Give times with their offset, e.g. 2026-11-23T09:00:00+08:00.",
            code="session.bad_schedule",
            field="starts_at",
        )
    if not timedelta(0) < ends_at - starts_at <= MAX_SESSION:
        raise InvalidInput(
            "A session ends after it starts, at most 31 days later.",
            code="session.bad_schedule",
            field="ends_at",
        )


def validate_credit(tenths: int) -> int:
    """Sessions credit whole or half hours: 0.5 to 100."""
    if tenths % 5 or not 0 < tenths <= MAX_CREDIT_TENTHS:
        raise InvalidInput(
            "credit_hours is 0.5 to 100, in steps of 0.5.",
            code="session.bad_credit",
            field="credit_hours",
        )
    return tenths


@dataclass(frozen=True, slots=True)
class Geofence:
    lat: float
    lng: float
    radius_m: int

    def __post_init__(self) -> None:
        if not (-90 <= self.lat <= 90 and -180 <= self.lng <= 180 and 10 <= self.radius_m <= 5000):
            raise InvalidInput(
                "A geofence has lat -90..90, lng -180..180 and radius_m 10..5000.",
                code="session.bad_geofence",
                field="geofence",
            )

    def contains(self, lat: float, lng: float) -> bool:
        return distance_m(self.lat, self.lng, lat, lng) <= self.radius_m


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


class ScanKind(StrEnum):
    """What a session QR records; the short values keep the QR small."""

    CHECKIN = "checkin"
    CHECKOUT = "checkout"


def window_of(at: datetime, seconds: int) -> int:
    """The rotation window an instant falls in: a new QR every `seconds`."""
    return int(at.timestamp()) // seconds


def window_accepted(token_window: int, now_window: int) -> bool:
    """The current and the previous window are accepted (a scan just after the QR turned
    over still counts); anything older is expired."""
    return now_window - 1 <= token_window <= now_window


def checkin_refusal(expired: bool) -> DomainError:
    """The error for a scanned token that is not accepted."""
    if expired:
        return InvalidInput(
            "This QR code has expired: scan the one on the screen now.",
            code="checkin.token_expired",
        )
    return InvalidInput("This is not a valid session QR code.", code="checkin.token_invalid")


CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
CHECKOUT_CLOSES_AFTER = timedelta(minutes=30)


class Flag(StrEnum):
    """What the organiser is shown about a scan: recorded, never blocking."""

    SHARED_DEVICE = "shared_device"  # another officer used this phone for the session
    UNBOUND_DEVICE = "unbound_device"  # not the phone the officer first logged in from
    OUTSIDE_GEOFENCE = "outside_geofence"
    NO_POSITION = "no_position"  # the session has a geofence, the scan sent no position
    CHECKOUT_WITHOUT_CHECKIN = "checkout_without_checkin"
    PRINTED_QR = "printed_qr"  # scanned from a printed poster, which anyone can photograph
    TYPED_CODE = "typed_code"  # the 6-digit code on the screen, typed instead of a scan
    OFFLINE_SYNC = "offline_sync"  # the organiser's phone scanned the officer's code offline


CODE_TRIES = 5  # wrong typed codes an officer may send for a session, then no more


def code_of(signature: str) -> str:
    """The 6 digits shown beside the QR, from the signed token of its window (only the
    service can sign it, so only the screen can show it)."""
    digest = hashlib.sha256(f"typed-code:{signature}".encode()).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def scan_bounds(kind: ScanKind, at: datetime) -> tuple[datetime, datetime]:
    """A scan at `at` is in time for a session starting at or before the first instant
    and ending at or after the second: check-in from 30 minutes before the start to the
    end, check-out from the start to 30 minutes after the end. The store's one-statement
    check-in compares a session with these bounds; `check_scan_time` says why not."""
    if kind is ScanKind.CHECKIN:
        return at + CHECKIN_OPENS_BEFORE, at
    return at, at - CHECKOUT_CLOSES_AFTER


def check_scan_time(kind: ScanKind, at: datetime, starts_at: datetime, ends_at: datetime) -> None:
    """Raises Conflict `checkin.too_early` / `checkin.too_late` for a scan outside the
    session's `scan_bounds`."""
    latest_start, earliest_end = scan_bounds(kind, at)
    if starts_at > latest_start:
        opens = starts_at - (latest_start - at)
        raise Conflict(f"{kind} opens at {opens.isoformat()}.", code="checkin.too_early")
    if ends_at < earliest_end:
        closes = ends_at + (at - earliest_end)
        raise Conflict(f"{kind} closed at {closes.isoformat()}.", code="checkin.too_late")


@dataclass(frozen=True, slots=True)
class ScanFacts:
    """What the flags of a scan look at, as the store finds them."""

    device_shared: bool  # another officer used this phone here, or logged in from it
    unbound_device: bool  # the officer first logged in from another phone
    off_fence: bool  # the session has a geofence and the scan is outside it or has no position


ALL_FACTS = tuple(
    ScanFacts(shared, unbound, off)
    for shared in (False, True)
    for unbound in (False, True)
    for off in (False, True)
)  # in the order of `facts_index`


def facts_index(facts: ScanFacts) -> int:
    return 4 * facts.device_shared + 2 * facts.unbound_device + facts.off_fence


def scan_flags(facts: ScanFacts, *, has_position: bool, extra: tuple[Flag, ...] = ()) -> list[str]:
    """The flags a scan is recorded with, sorted (a row keeps the union of its scans')."""
    flags = set(extra)
    if facts.device_shared:
        flags.add(Flag.SHARED_DEVICE)
    if facts.unbound_device:
        flags.add(Flag.UNBOUND_DEVICE)
    if facts.off_fence:
        flags.add(Flag.OUTSIDE_GEOFENCE if has_position else Flag.NO_POSITION)
    return sorted(str(flag) for flag in flags)


@dataclass(frozen=True, slots=True)
class CreditDecision:
    credited: bool
    reason: str | None  # 中文, when not credited: what the officer and organiser read


def credit_decision(
    checked_in_at: datetime | None,
    checked_out_at: datetime | None,
    starts_at: datetime,
    ends_at: datetime,
    *,
    requires_checkout: bool,
) -> CreditDecision:
    """Credit when checked in (and out, where required) and present for at least 6/7 of
    the scheduled time (absence of at most 1/7, as in the cadre-training regulation).
    Presence counts only inside the scheduled time."""
    if checked_in_at is None:
        return CreditDecision(False, "未签到")
    if checked_out_at is None and requires_checkout:
        return CreditDecision(False, "未签退")
    present_from = max(checked_in_at, starts_at)
    present_until = min(checked_out_at or ends_at, ends_at)
    present = max(timedelta(0), present_until - present_from)
    scheduled = ends_at - starts_at
    if 7 * present >= 6 * scheduled:
        return CreditDecision(True, None)
    needed = math.ceil(scheduled.total_seconds() * 6 / 7 / 60)
    got = int(present.total_seconds() // 60)
    return CreditDecision(False, f"在场{got}分钟，不足应到时长的6/7（{needed}分钟）")
