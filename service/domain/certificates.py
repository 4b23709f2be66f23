"""Certificates: their states."""

from __future__ import annotations

from enum import StrEnum


class CertificateStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    VOID = "void"
