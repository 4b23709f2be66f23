"""Certificates: their states, the actions that move between them, and their validity.

The state machine is one table, `TRANSITIONS`: anything not in it is refused with
`certificate.invalid_transition`, whatever the action and the state.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from service.domain.errors import Conflict, InvalidInput


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
        """The status in words, as the card and the public page say it."""
        return _LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL

    @property
    def is_current(self) -> bool:
        """Issued and not ended: the holder has a certificate, perhaps suspended."""
        return self in (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED)


_LABELS = {
    CertificateStatus.PENDING: "申领中",
    CertificateStatus.ACTIVE: "有效",
    CertificateStatus.SUSPENDED: "暂扣",
    CertificateStatus.REVOKED: "已吊销",
    CertificateStatus.CANCELLED: "已注销",
    CertificateStatus.EXPIRED: "已过期",
    CertificateStatus.VOID: "已作废",
}
_TERMINAL = frozenset(
    {
        CertificateStatus.REVOKED,
        CertificateStatus.CANCELLED,
        CertificateStatus.EXPIRED,
        CertificateStatus.VOID,
    }
)


class CertificateAction(StrEnum):
    """What can happen to a certificate. Each writes one event with this name."""

    APPLY = "apply"
    ISSUE = "issue"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    CANCEL = "cancel"
    REISSUE = "reissue"  # the old certificate becomes void, a new one is issued
    RENEW = "renew"  # a renewal was issued: the old certificate becomes void
    EXPIRE = "expire"
    REVIEW = "annual_review"  # passed: nothing but the last review year changes


S, A = CertificateStatus, CertificateAction
TRANSITIONS: dict[tuple[CertificateStatus, CertificateAction], CertificateStatus] = {
    (S.PENDING, A.ISSUE): S.ACTIVE,
    (S.PENDING, A.CANCEL): S.CANCELLED,  # an application withdrawn before issue
    (S.ACTIVE, A.SUSPEND): S.SUSPENDED,
    (S.ACTIVE, A.REVOKE): S.REVOKED,
    (S.ACTIVE, A.CANCEL): S.CANCELLED,
    (S.ACTIVE, A.REISSUE): S.VOID,
    (S.ACTIVE, A.RENEW): S.VOID,
    (S.ACTIVE, A.EXPIRE): S.EXPIRED,
    (S.ACTIVE, A.REVIEW): S.ACTIVE,
    (S.SUSPENDED, A.REINSTATE): S.ACTIVE,
    (S.SUSPENDED, A.REVOKE): S.REVOKED,
    (S.SUSPENDED, A.CANCEL): S.CANCELLED,
    (S.SUSPENDED, A.EXPIRE): S.EXPIRED,
}
del S, A


def transition(status: CertificateStatus, action: CertificateAction) -> CertificateStatus:
    """The state after `action`, or Conflict `certificate.invalid_transition`."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise Conflict(
            f"A certificate that is {status} ({status.label}) cannot be {_PAST[action]}.",
            code="certificate.invalid_transition",
            from_status=str(status),
            action=str(action),
        ) from None


_PAST = {
    CertificateAction.APPLY: "applied for",
    CertificateAction.ISSUE: "issued",
    CertificateAction.SUSPEND: "suspended",
    CertificateAction.REINSTATE: "reinstated",
    CertificateAction.REVOKE: "revoked",
    CertificateAction.CANCEL: "cancelled",
    CertificateAction.REISSUE: "reissued",
    CertificateAction.RENEW: "renewed",
    CertificateAction.EXPIRE: "expired",
    CertificateAction.REVIEW: "reviewed",
}


def effective_status(
    status: CertificateStatus,
    valid_until: date | None,
    suspended_until: date | None,
    today: date,
) -> CertificateStatus:
    """The status as of `today`, so that a lapsed certificate never reads as active.

    The stored status lags until the sweep (`officer-cert certificates sweep`) writes the
    change; readers use this instead. `valid_until` and `suspended_until` are inclusive.
    """
    if status.is_current and valid_until is not None and valid_until < today:
        return CertificateStatus.EXPIRED
    if status is CertificateStatus.SUSPENDED and suspended_until and suspended_until < today:
        return CertificateStatus.ACTIVE
    return status


class CancelReason(StrEnum):
    RETIRED = "retired"
    TRANSFERRED = "transferred"  # out of an enforcement post
    RESIGNED = "resigned"
    DISMISSED = "dismissed"
    DECEASED = "deceased"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CANCEL_LABELS[self]


_CANCEL_LABELS = {
    CancelReason.RETIRED: "退休",
    CancelReason.TRANSFERRED: "调离执法岗位",
    CancelReason.RESIGNED: "辞职",
    CancelReason.DISMISSED: "辞退或开除",
    CancelReason.DECEASED: "死亡",
    CancelReason.OTHER: "其他",
}


@dataclass(frozen=True, slots=True)
class CertificateRules:
    """The configurable numbers of the certificate rules (defaults from DESIGN.md)."""

    validity_years: int = 5
    pass_score: int = 60
    revocation_bar_years: int = 2
    renewal_window_months: int = 6  # renew, with a fresh exam, in the months before expiry

    def valid_until(self, valid_from: date) -> date:
        """The last valid day: the day before the anniversary (29 Feb -> 28 Feb)."""
        return add_years(valid_from, self.validity_years) - timedelta(days=1)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day))


def require_reason(reason: str, *, field: str = "reason") -> str:
    """A non-empty reason, which every suspension, revocation and reissue needs."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("Give a reason.", code="certificate.reason_required", field=field)
    return reason


def validate_categories(categories: list[str]) -> list[str]:
    """Enforcement categories (执法类别): 1 to 20 distinct names of up to 50 characters."""
    cleaned: list[str] = []
    for raw in categories:
        name = " ".join(raw.split())
        if not 1 <= len(name) <= 50:
            raise InvalidInput(
                "Each enforcement category has 1 to 50 characters.",
                code="certificate.bad_categories",
                field="enforcement_categories",
            )
        if name not in cleaned:
            cleaned.append(name)
    if not 1 <= len(cleaned) <= 20:
        raise InvalidInput(
            "Name 1 to 20 enforcement categories.",
            code="certificate.bad_categories",
            field="enforcement_categories",
        )
    return cleaned
