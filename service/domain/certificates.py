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
from service.domain.events import EventAction
from service.domain.text import required


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


TRANSITIONS: dict[tuple[CertificateStatus, EventAction], CertificateStatus] = {
    (CertificateStatus.PENDING, EventAction.ISSUE): CertificateStatus.ACTIVE,
    # an application withdrawn before issue
    (CertificateStatus.PENDING, EventAction.CANCEL): CertificateStatus.CANCELLED,
    (CertificateStatus.ACTIVE, EventAction.SUSPEND): CertificateStatus.SUSPENDED,
    (CertificateStatus.ACTIVE, EventAction.REVOKE): CertificateStatus.REVOKED,
    (CertificateStatus.ACTIVE, EventAction.CANCEL): CertificateStatus.CANCELLED,
    (CertificateStatus.ACTIVE, EventAction.REISSUE): CertificateStatus.VOID,
    (CertificateStatus.ACTIVE, EventAction.RENEW): CertificateStatus.VOID,
    (CertificateStatus.ACTIVE, EventAction.EXPIRE): CertificateStatus.EXPIRED,
    (CertificateStatus.ACTIVE, EventAction.REVIEW): CertificateStatus.ACTIVE,
    (CertificateStatus.SUSPENDED, EventAction.REINSTATE): CertificateStatus.ACTIVE,
    (CertificateStatus.SUSPENDED, EventAction.REVOKE): CertificateStatus.REVOKED,
    (CertificateStatus.SUSPENDED, EventAction.CANCEL): CertificateStatus.CANCELLED,
    (CertificateStatus.SUSPENDED, EventAction.EXPIRE): CertificateStatus.EXPIRED,
}
# The actions of a certificate's life: applying creates it, the rest move it on.
LIFECYCLE: tuple[EventAction, ...] = (
    EventAction.APPLY,
    *dict.fromkeys(action for _, action in TRANSITIONS),
)


def transition(status: CertificateStatus, action: EventAction) -> CertificateStatus:
    """The state after `action`, or Conflict `certificate.invalid_transition`."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise Conflict(
            f"A certificate that is {status} ({status.label}) cannot be {action.past}.",
            code="certificate.invalid_transition",
            from_status=str(status),
            action=str(action),
        ) from None


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
    return required(
        reason, code="certificate.reason_required", field=field, message="Give a reason."
    )


def validate_area(raw: str) -> str:
    """An enforcement area (执法区域) of 1 to 200 characters."""
    return required(
        raw,
        code="certificate.bad_area",
        field="enforcement_area",
        message="The enforcement area has 1 to 200 characters.",
        max_length=200,
    )


def validate_categories(categories: list[str]) -> list[str]:
    """Enforcement categories (执法类别): 1 to 20 distinct names of up to 50 characters."""
    cleaned: list[str] = []
    for raw in categories:
        name = required(
            raw,
            code="certificate.bad_categories",
            field="enforcement_categories",
            message="Each enforcement category has 1 to 50 characters.",
            max_length=50,
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
