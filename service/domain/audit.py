"""The hash-chained event log: how a link's hash is made, and how a chain is checked.

Each officer has one chain: events numbered 1, 2, 3, ... where each event's hash covers
its content and the previous event's hash. The officer's row keeps the chain's head (last
seq and hash), so cutting events off the end is detected too. Editing any field of any
event, deleting or inserting one breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec

GENESIS = "0" * 64


def timestamp(at: datetime) -> str:
    """The one spelling of an event's time inside its hash: UTC, microseconds."""
    if at.tzinfo is None:
        raise ValueError("event times are timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def link_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical JSON of the event's content:
    keys sorted at every level, no spaces, UTF-8 (the bytes `json.dumps(sort_keys=True,
    ensure_ascii=False, separators=(",", ":"))` gives, eight times faster)."""
    body = msgspec.json.encode(content, order="sorted")
    return hashlib.sha256(prev_hash.encode() + b"\n" + body).hexdigest()


@dataclass(frozen=True, slots=True)
class Link:
    """One stored event, as the verifier sees it."""

    event_id: int
    seq: int
    prev_hash: str
    hash: str
    content: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Broken:
    officer_id: int
    event_id: int | None
    seq: int
    problem: str

    def __str__(self) -> str:
        where = f"event {self.event_id}" if self.event_id is not None else "chain head"
        return f"officer {self.officer_id}, seq {self.seq} ({where}): {self.problem}"


def check_chain(
    officer_id: int, links: Iterable[Link], head_seq: int, head_hash: str
) -> Broken | None:
    """The first broken link of one officer's chain (links in seq order), or None."""
    expected_seq, prev = 1, GENESIS
    for link in links:
        if link.seq != expected_seq:
            return Broken(
                officer_id,
                link.event_id,
                expected_seq,
                f"expected seq {expected_seq}, found"
                f" {link.seq}: an event is missing or was inserted",
            )
        if link.prev_hash != prev:
            return Broken(
                officer_id, link.event_id, link.seq, "prev_hash does not match the event before"
            )
        if link_hash(prev, link.content) != link.hash:
            return Broken(
                officer_id, link.event_id, link.seq, "content does not match its hash (edited)"
            )
        expected_seq, prev = expected_seq + 1, link.hash
    if (expected_seq - 1, prev) != (head_seq, head_hash):
        return Broken(
            officer_id,
            None,
            head_seq,
            f"the chain ends at seq {expected_seq - 1} but its head says {head_seq}: "
            "events were removed or the head was changed",
        )
    return None
