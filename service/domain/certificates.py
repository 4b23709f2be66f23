"""Certificates: their states. The transitions and their rules live beside them."""

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

    @property
    def label(self) -> str:
        """The status in words, as the public sees it."""
        return _LABELS[self]


_LABELS = {
    CertificateStatus.PENDING: "申领中",
    CertificateStatus.ACTIVE: "有效",
    CertificateStatus.SUSPENDED: "暂扣",
    CertificateStatus.REVOKED: "已吊销",
    CertificateStatus.CANCELLED: "已注销",
    CertificateStatus.EXPIRED: "已过期",
    CertificateStatus.VOID: "已作废",
}
