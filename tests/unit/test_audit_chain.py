"""The hash chain of events: any edit, removal or insertion is found."""

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from service.domain.audit import GENESIS, Link, check_chain, link_hash, timestamp


def build(n: int) -> list[Link]:
    links, prev = [], GENESIS
    for seq in range(1, n + 1):
        content = {"seq": seq, "action": "suspend", "reason": f"第{seq}次", "before": {"a": 1}}
        digest = link_hash(prev, content)
        links.append(Link(100 + seq, seq, prev, digest, content))
        prev = digest
    return links


def test_intact_chain_checks() -> None:
    links = build(4)
    assert check_chain(7, links, 4, links[-1].hash) is None
    assert check_chain(7, [], 0, GENESIS) is None


def test_edited_content_is_found_at_that_event() -> None:
    links = build(4)
    links[1] = replace(links[1], content={**links[1].content, "reason": "改过"})
    broken = check_chain(7, links, 4, links[-1].hash)
    assert broken is not None
    assert (broken.event_id, broken.seq) == (102, 2)
    assert "edited" in str(broken)


def test_removed_middle_event_is_found() -> None:
    links = build(4)
    broken = check_chain(7, links[:1] + links[2:], 4, links[-1].hash)
    assert broken is not None
    assert broken.seq == 2


def test_removed_last_event_is_found_by_the_head() -> None:
    links = build(4)
    broken = check_chain(7, links[:3], 4, links[-1].hash)
    assert broken is not None
    assert broken.event_id is None


def test_hash_ignores_key_order_but_not_values() -> None:
    assert link_hash(GENESIS, {"a": 1, "b": "二"}) == link_hash(GENESIS, {"b": "二", "a": 1})
    assert link_hash(GENESIS, {"a": 1}) != link_hash(GENESIS, {"a": 2})


def test_hash_is_over_the_documented_canonical_json() -> None:
    content = {"b": [1, {"y": None, "x": "暂扣"}], "a": True}
    body = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    expected = hashlib.sha256(f"{GENESIS}\n{body}".encode()).hexdigest()
    assert link_hash(GENESIS, content) == expected


def test_timestamp_is_the_same_instant_whatever_the_zone() -> None:
    at = datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert timestamp(at) == timestamp(at.astimezone(UTC)) == "2026-11-23T01:30:00.000000+00:00"
