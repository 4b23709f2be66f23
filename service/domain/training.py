"""Training sessions, attendance and external training claims: their states."""

from __future__ import annotations

from enum import StrEnum


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
