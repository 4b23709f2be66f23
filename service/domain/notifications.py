"""Notifications: the channels a message can go out on, what is worth telling, and the
rules of delivery (texts that fit a robot, merging, backing off, a channel's own limits).

A message is written to the outbox in the transaction of the change it reports, and a
worker delivers it; nothing here does any I/O (the senders are `service.notify`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from service.domain.errors import InvalidInput
from service.domain.events import EventAction

TEXT_BYTES = 2_048  # a WeCom or DingTalk robot's text, in UTF-8 bytes
ROBOT_PER_MINUTE = 20  # both robots' limit per webhook
DINGTALK_BLOCK = timedelta(minutes=10)  # DingTalk's penalty for going over it
MAX_CHANNELS = 10  # per agency or officer
MAX_ATTEMPTS = 8
_FIRST_RETRY = timedelta(seconds=30)
_LAST_RETRY = timedelta(hours=1)


class ChannelKind(StrEnum):
    WECOM = "wecom"  # 企业微信群机器人
    DINGTALK = "dingtalk"  # 钉钉群机器人, optionally with 加签
    EMAIL = "email"
    WEBHOOK = "webhook"  # a JSON POST, e.g. to an SMS gateway

    @property
    def is_robot(self) -> bool:
        return self in (ChannelKind.WECOM, ChannelKind.DINGTALK)

    @property
    def deduplicates(self) -> bool:
        """Whether the receiver drops a repeat of a message by its idempotency key (our
        webhook sends it as `Idempotency-Key`), so a delivery in doubt may be sent again."""
        return self is ChannelKind.WEBHOOK


class Topic(StrEnum):
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    REVIEW_FAILED = "review_failed"
    CLAIM_APPROVED = "claim_approved"
    CLAIM_REJECTED = "claim_rejected"
    DIGEST = "digest"  # an agency's weekly digest
    REMINDER = "reminder"  # an officer's own, when it turns amber and when red
    TEST = "test"


class MessageStatus(StrEnum):
    PENDING = "pending"  # waiting for its turn (or a retry)
    SENDING = "sending"  # handed to the channel; the worker has not recorded the answer yet
    SENT = "sent"
    UNCONFIRMED = "unconfirmed"  # a worker stopped while sending: maybe sent, never resent
    GIVEN_UP = "given_up"  # refused for good, or out of attempts


REVIEW_FAILED_MARK = "年度审验不合格"  # how the annual review's suspensions begin their reason
TO_AGENCY = frozenset({Topic.SUSPENDED, Topic.REVOKED, Topic.REVIEW_FAILED})


_TOLD = {
    EventAction.REVOKE: Topic.REVOKED,
    EventAction.EXTERNAL_APPROVED: Topic.CLAIM_APPROVED,
    EventAction.EXTERNAL_REJECTED: Topic.CLAIM_REJECTED,
}


def topic_of(action: str, reason: str) -> Topic | None:
    """What an event is worth telling, if anything."""
    if action == EventAction.SUSPEND:
        return Topic.REVIEW_FAILED if REVIEW_FAILED_MARK in reason else Topic.SUSPENDED
    return next((topic for told, topic in _TOLD.items() if told == action), None)


@dataclass(frozen=True, slots=True)
class Facts:
    """What a message about an event names: no ID number, no contact."""

    name: str
    agency: str
    number: str  # the certificate's, or "" for a claim
    day: str  # the event's day in Beijing, YYYY-MM-DD
    reason: str
    title: str = ""  # a claim's training


def text_of(topic: Topic, facts: Facts) -> str:
    who = f"{facts.name}（{facts.agency}）"
    card = f"行政执法证 {facts.number}"
    why = f"原因：{facts.reason}" if facts.reason else ""
    texts = {
        Topic.SUSPENDED: f"【执法证暂扣】{who}的{card}已于 {facts.day} 暂扣。{why}",
        Topic.REVIEW_FAILED: f"【年审未通过】{who}的{card}已于 {facts.day} 暂扣。{facts.reason}",
        Topic.REVOKED: f"【执法证吊销】{who}的{card}已于 {facts.day} 吊销。{why}",
        Topic.CLAIM_APPROVED: (
            f"【学时申报通过】{facts.name}：“{facts.title}”已于 {facts.day} 审核通过。"
        ),
        Topic.CLAIM_REJECTED: (
            f"【学时申报未通过】{facts.name}：“{facts.title}”未通过审核（{facts.day}）。{why}"
        ),
        Topic.TEST: f"【测试消息】{facts.agency}的通知渠道可以收到消息（{facts.day}）。",
    }
    return fit(texts[topic])


@dataclass(frozen=True, slots=True)
class Channel:
    kind: ChannelKind
    target: str  # the robot's or webhook's URL, or an e-mail address
    # DingTalk's 加签 secret, or the webhook's bearer token; when set: None keeps the one
    # stored, "" removes it
    secret: str | None = None


def validate_channel(channel: Channel, *, allow_http: bool) -> Channel:
    """The channel with its target checked for its kind. Raises InvalidInput
    `channel.bad_target` (`channel.bad_secret` for a secret on a channel that takes
    none)."""
    target = channel.target.strip()
    if channel.kind is ChannelKind.EMAIL:
        local, _, domain = target.partition("@")
        if not local or "." not in domain or len(target) > 254 or any(c in target for c in " <>,;"):
            raise _bad_target(f"{target!r} is not an e-mail address.")
        if channel.secret:
            raise InvalidInput(
                "An e-mail channel takes no secret.", code="channel.bad_secret", field="secret"
            )
        return Channel(channel.kind, target)
    schemes = ("https", "http") if allow_http else ("https",)
    try:
        parts = urlsplit(target)
        host = parts.hostname
    except ValueError:  # a bracketed host that is no IPv6 address, say
        raise _bad_target(f"{target!r} is not a URL.") from None
    if parts.scheme not in schemes or not host or len(target) > 500 or not target.isprintable():
        raise _bad_target(f"{target!r} is not an {' or '.join(schemes)} URL.")
    query = parse_qs(parts.query)
    if channel.kind is ChannelKind.WECOM and not query.get("key"):
        raise _bad_target("A WeCom robot's webhook URL carries its key= parameter.")
    if channel.kind is ChannelKind.DINGTALK and not query.get("access_token"):
        raise _bad_target("A DingTalk robot's webhook URL carries its access_token= parameter.")
    if channel.kind is ChannelKind.WECOM and channel.secret:
        raise InvalidInput(
            "A WeCom robot takes no secret.", code="channel.bad_secret", field="secret"
        )
    # None keeps the secret a stored channel has; "" removes it.
    secret = None if channel.secret is None else channel.secret.strip()
    if secret is not None and len(secret) > 200:
        raise InvalidInput("A secret is at most 200 characters.", code="channel.bad_secret")
    return Channel(channel.kind, target, secret)


def _bad_target(message: str) -> InvalidInput:
    return InvalidInput(message, code="channel.bad_target", field="target")


def fit(text: str, limit: int = TEXT_BYTES) -> str:
    """The text cut to `limit` UTF-8 bytes, with an ellipsis when cut (never mid-character)."""
    if len(text.encode()) <= limit:
        return text
    room = limit - len("…".encode())
    cut = text.encode()[:room].decode(errors="ignore")
    return cut + "…"


def merged(texts: Sequence[str], limit: int = TEXT_BYTES) -> list[list[int]]:
    """Indexes of `texts` grouped into messages of at most `limit` bytes each, in order,
    joined by a blank line: several messages queued for one robot go out as one."""
    groups: list[list[int]] = []
    size = 0
    for index, text in enumerate(texts):
        length = len(fit(text, limit).encode())
        if groups and size + 2 + length <= limit:
            groups[-1].append(index)
            size += 2 + length
        else:
            groups.append([index])
            size = length
    return groups


def joined(texts: Iterable[str], limit: int = TEXT_BYTES) -> str:
    return fit("\n\n".join(fit(t, limit) for t in texts), limit)


def retry_after(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 30 s, doubling, at most an hour."""
    factor: int = 2 ** min(max(0, attempts - 1), 16)
    return min(_FIRST_RETRY * factor, _LAST_RETRY)


class Verdict(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # failed this time: try again later
    THROTTLED = "throttled"  # the channel says too many: wait, without counting an attempt
    REFUSED = "refused"  # the channel refuses it for good (bad key, bad address)


@dataclass(frozen=True, slots=True)
class Answer:
    """What a channel answered one delivery."""

    verdict: Verdict
    detail: str = ""  # the status, the channel's errcode and message; never the text
    wait: timedelta | None = None  # for THROTTLED: how long the channel asks for


class Sender(Protocol):
    async def send(self, channel: Channel, text: str, key: str) -> Answer:
        """Deliver `text`; `key` is the message's idempotency key. Never raises."""
        ...


def next_try(now: datetime, attempts: int) -> datetime:
    return now + retry_after(attempts)
