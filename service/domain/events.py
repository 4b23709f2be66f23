"""The officer's event log: what can happen (one enum), who did it, and the one list of an
event's fields.

Every change to an officer or to one of their certificates is an `Event` on the officer's
hash-chained log (see `audit` for how a link's hash is made and checked). `Event`'s fields
are the columns of the `officer_events` table but the row id; the store builds its SQL
from them and a test holds the model to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from service.domain.access import Principal
from service.domain.audit import link_hash, timestamp


class EventAction(StrEnum):
    """What an event records. The certificate lifecycle's members are the actions the
    state machine (`certificates.TRANSITIONS`) moves on."""

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
    OFFICER_UPDATE = "officer_update"  # name, agency, post, employment type, phone
    EXAM = "exam"
    ASSESSMENT = "assessment"
    SANCTION = "sanction"
    MANUAL_ATTENDANCE = "manual_attendance"  # from a paper sign-in sheet
    EXTERNAL_APPROVED = "external_approved"
    EXTERNAL_REJECTED = "external_rejected"
    IMPORT = "import"  # a certificate, exam or hours taken in from a file
    CARD_RETURNED = "card_returned"  # the physical card taken back (收回)
    FEEDBACK = "feedback"  # a complaint or praise from the public
    FEEDBACK_RESOLVED = "feedback_resolved"

    @property
    def label(self) -> str:
        """The action in Chinese, as the admin and the timeline show it."""
        return _LABELS[self]

    @property
    def past(self) -> str:
        """The action in English, as a past participle ("cannot be suspended")."""
        return _PAST[self]


_LABELS = {
    EventAction.APPLY: "申领",
    EventAction.ISSUE: "发证",
    EventAction.SUSPEND: "暂扣",
    EventAction.REINSTATE: "恢复",
    EventAction.REVOKE: "吊销",
    EventAction.CANCEL: "注销",
    EventAction.REISSUE: "补换发",
    EventAction.RENEW: "换证",
    EventAction.EXPIRE: "过期",
    EventAction.REVIEW: "年审",
    EventAction.OFFICER_UPDATE: "修改人员信息",
    EventAction.EXAM: "录入考试成绩",
    EventAction.ASSESSMENT: "录入年度考核",
    EventAction.SANCTION: "录入处分",
    EventAction.MANUAL_ATTENDANCE: "补录签到",
    EventAction.EXTERNAL_APPROVED: "外部学习通过",
    EventAction.EXTERNAL_REJECTED: "外部学习驳回",
    EventAction.IMPORT: "导入",
    EventAction.CARD_RETURNED: "收回证件",
    EventAction.FEEDBACK: "收到投诉或表扬",
    EventAction.FEEDBACK_RESOLVED: "处理投诉或表扬",
}
_PAST = {
    EventAction.APPLY: "applied for",
    EventAction.ISSUE: "issued",
    EventAction.SUSPEND: "suspended",
    EventAction.REINSTATE: "reinstated",
    EventAction.REVOKE: "revoked",
    EventAction.CANCEL: "cancelled",
    EventAction.REISSUE: "reissued",
    EventAction.RENEW: "renewed",
    EventAction.EXPIRE: "expired",
    EventAction.REVIEW: "reviewed",
    EventAction.OFFICER_UPDATE: "changed",
    EventAction.EXAM: "examined",
    EventAction.ASSESSMENT: "assessed",
    EventAction.SANCTION: "sanctioned",
    EventAction.MANUAL_ATTENDANCE: "recorded as present",
    EventAction.EXTERNAL_APPROVED: "approved",
    EventAction.EXTERNAL_REJECTED: "rejected",
    EventAction.IMPORT: "imported",
    EventAction.CARD_RETURNED: "recorded as returned",
    EventAction.FEEDBACK: "commented on",
    EventAction.FEEDBACK_RESOLVED: "resolved",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: a staff account, or the service itself (expiry, lapses)."""

    account_id: int | None
    name: str

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.account_id, principal.username)


SYSTEM = Actor(None, "system")


@dataclass(frozen=True, slots=True)
class Change:
    """What happened, before it has its place on a chain."""

    action: EventAction
    actor: Actor
    at: datetime
    certificate_id: int | None = None
    reason: str = ""
    before: Any = None
    after: Any = None


@dataclass(frozen=True, slots=True)
class Event:
    """One link of an officer's chain: every column of `officer_events` but the row id.
    The hash covers every field but the two hashes."""

    officer_id: int
    certificate_id: int | None
    seq: int
    action: str
    actor_id: int | None
    actor_name: str
    at: datetime
    reason: str
    before: Any
    after: Any
    prev_hash: str
    hash: str


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Event))
HASHED: tuple[str, ...] = tuple(name for name in COLUMNS if name not in ("prev_hash", "hash"))


def content(values: Mapping[str, Any] | Event) -> dict[str, Any]:
    """What an event's hash covers, from an `Event` or a stored row: every hashed field,
    the time in its one spelling."""
    if isinstance(values, Mapping):
        found = {name: values[name] for name in HASHED}
    else:
        found = {name: getattr(values, name) for name in HASHED}
    found["action"] = str(found["action"])
    found["at"] = timestamp(found["at"])
    return found


def chain(officer_id: int, head_seq: int, head_hash: str, change: Change) -> Event:
    """The event after the chain's head (not saved); the caller moves the head to it."""
    draft = {
        "officer_id": officer_id,
        "certificate_id": change.certificate_id,
        "seq": head_seq + 1,
        "action": str(change.action),
        "actor_id": change.actor.account_id,
        "actor_name": change.actor.name,
        "at": change.at,
        "reason": change.reason,
        "before": change.before,
        "after": change.after,
    }
    return Event(**draft, prev_hash=head_hash, hash=link_hash(head_hash, content(draft)))
