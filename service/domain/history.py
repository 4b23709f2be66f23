"""A certificate on a past day, read from its events: the status it had, and whether its
holder could act in an area and category that day (for administrative reviews and
lawsuits, where the question is the day of the act).

The chain is the source. Each certificate event records the certificate as it was after
the change (`after`); the state on a day is that of the last event recorded by the end
of the day (Asia/Shanghai), with the lapses that need no event (the end of the validity,
the end of a suspension) applied for that day. A certificate taken in from a file has no
events before its import: its status before then is unknown here, and said so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from service.domain.certificates import CertificateStatus, effective_status
from service.domain.errors import InvalidInput
from service.domain.events import EventAction
from service.domain.text import collapse


@dataclass(frozen=True, slots=True)
class Step:
    """One event of a certificate: the day it was recorded and the state it left."""

    on: date
    action: EventAction
    after: Mapping[str, Any] | None


class Unknown(StrEnum):
    NOT_ISSUED = "not_issued"  # not yet issued that day (or no certificate yet)
    BEFORE_IMPORT = "before_import"  # issued elsewhere; its history here starts at the import


_UNKNOWN_LABELS = {Unknown.NOT_ISSUED: "尚未发证", Unknown.BEFORE_IMPORT: "导入前状态无记录"}


@dataclass(frozen=True, slots=True)
class OnDay:
    day: date
    status: CertificateStatus | None  # None: see `unknown`
    unknown: Unknown | None
    area: str | None
    categories: list[str]
    decided_by: list[Step] = field(default_factory=list)  # the events up to that day

    @property
    def label(self) -> str:
        if self.status is not None:
            return self.status.label
        return _UNKNOWN_LABELS[self.unknown or Unknown.NOT_ISSUED]

    @property
    def in_force(self) -> bool:
        return self.status is CertificateStatus.ACTIVE


def check_day(day: date, today: date) -> None:
    """A day to ask about: not in the future (what will be is not known yet), from 2000.

    Raises InvalidInput `certificate.bad_day`.
    """
    if day > today:
        raise InvalidInput(
            f"{day.isoformat()} is in the future: the status of a day is known once it came.",
            code="certificate.bad_day",
            field="at",
        )
    if day.year < 2000:
        raise InvalidInput("Ask about a day from 2000.", code="certificate.bad_day", field="at")


def status_on(steps: Sequence[Step], day: date) -> OnDay:
    """The certificate on `day`, from its events in order (see the module's docstring)."""
    known = [s for s in steps if s.on <= day and s.after and "status" in s.after]
    if not known:
        imported = any(s.action is EventAction.IMPORT for s in steps)
        issued_by = _first_valid_from(steps)
        if imported and issued_by is not None and issued_by <= day:
            return OnDay(day, None, Unknown.BEFORE_IMPORT, None, [])
        return OnDay(day, None, Unknown.NOT_ISSUED, None, [])
    last = known[-1].after or {}
    stored = CertificateStatus(last["status"])
    valid_from = _day(last.get("valid_from"))
    if stored is CertificateStatus.PENDING or (valid_from is not None and day < valid_from):
        return OnDay(day, None, Unknown.NOT_ISSUED, None, [], _decisive(steps, day))
    status = effective_status(
        stored, _day(last.get("valid_until")), _day(last.get("suspended_until")), day
    )
    categories = list(last.get("enforcement_categories") or [])
    return OnDay(day, status, None, last.get("enforcement_area"), categories, _decisive(steps, day))


class NotAuthorised(StrEnum):
    NOT_IN_FORCE = "not_in_force"
    AREA_NOT_COVERED = "area_not_covered"
    CATEGORY_NOT_COVERED = "category_not_covered"


AUTHORITY_MESSAGES = {
    NotAuthorised.NOT_IN_FORCE: "当日证件不在有效状态",
    NotAuthorised.AREA_NOT_COVERED: "执法区域不在证件范围内",
    NotAuthorised.CATEGORY_NOT_COVERED: "执法类别不在证件范围内",
}


def authority(on_day: OnDay, area: str | None, category: str | None) -> list[NotAuthorised]:
    """Why the holder could not act that day in `area` and `category` (each checked when
    given); empty: authorised. An area is covered by the certificate's area or lies within
    it (英吉沙县芒辛镇 within 英吉沙县); a category must be one of the certificate's. With no
    known certificate that day, the one reason is NOT_IN_FORCE."""
    reasons: list[NotAuthorised] = []
    if not on_day.in_force:
        reasons.append(NotAuthorised.NOT_IN_FORCE)
    if on_day.status is None:
        return reasons  # no certificate that day to hold an area or a category against
    held_area = collapse(on_day.area or "")
    if area is not None and not (held_area and collapse(area).startswith(held_area)):
        reasons.append(NotAuthorised.AREA_NOT_COVERED)
    held = {collapse(c) for c in on_day.categories}
    if category is not None and collapse(category) not in held:
        reasons.append(NotAuthorised.CATEGORY_NOT_COVERED)
    return reasons


def _decisive(steps: Sequence[Step], day: date) -> list[Step]:
    return [s for s in steps if s.on <= day]


def _first_valid_from(steps: Sequence[Step]) -> date | None:
    for step in steps:
        if step.after and step.after.get("valid_from"):
            return _day(step.after["valid_from"])
    return None


def _day(value: Any) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))
