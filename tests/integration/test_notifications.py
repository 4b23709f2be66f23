"""Notifications end to end against real servers on the loopback: channels set and read
without their secrets, messages written with the change they report (and never for one
rolled back), delivered once by the worker to WeCom, DingTalk (加签 checked), a webhook
and SMTP, within the robots' limits, and never twice after a worker stops mid-send."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.clock import SHANGHAI, FixedClock
from service.domain.access import Principal, Role, Scope
from service.domain.events import EventAction
from service.domain.notifications import Answer, Channel, MessageStatus
from service.notify.senders import http_client, senders
from service.settings import Settings
from service.store.models import Account, Delivery, Officer, OfficerEvent, OutboxMessage
from service.usecases.certificates.transitions import change
from service.usecases.notify_worker import Round, deliver_once
from service.usecases.services import Services
from tests.conftest import make_settings
from tests.integration.world import World, id_number, issued_certificate
from tests.receivers import Mailbox, Receiver, http_receiver, smtp_server

SECRET = "SEC0123456789abcdef"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as found:
        yield found


@pytest.fixture
def settings(tmp_path: Path, database_url: str, mailbox: Mailbox) -> Settings:
    """Plain http to the loopback receivers, and the loopback SMTP server."""
    return make_settings(
        tmp_path / "data", database_url, NOTIFY_ALLOW_HTTP="1", SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mailbox.port), SMTP_FROM="通知 <notify@example.gov.cn>",
    )  # fmt: skip


def _channels(receiver: Receiver) -> list[dict[str, Any]]:
    return [
        {"kind": "wecom", "target": receiver.url("/wecom?key=k-yjs")},
        {"kind": "dingtalk", "target": receiver.url("/ding?access_token=t1"), "secret": SECRET},
        {"kind": "webhook", "target": receiver.url("/sms"), "secret": "gateway-token"},
        {"kind": "email", "target": "zhifake@yjs.gov.cn"},
    ]


async def _set(world: World, url: str, body: Any, who: str = "yjs_admin") -> Any:
    response = await world.client.put(url, json=body, headers=world.auth(who))
    assert response.status_code == 200, response.text
    return response.json()


async def _round(world: World, clock: FixedClock, worker: str = "w1") -> Round:
    services = Services.build(world.settings, clock)
    async with http_client() as client:
        return await deliver_once(services, senders(world.settings, client), worker)


async def _suspended(world: World, receiver: Receiver) -> dict[str, Any]:
    cert = await issued_certificate(world, exams_on="2025-01-20", id_number=id_number(seq=81))
    market = world.agencies["yjs_market"]
    await _set(world, f"/api/v1/agencies/{market}/channels", _channels(receiver))
    await _set(
        world,
        f"/api/v1/officers/{cert['officer_id']}/channels",
        [{"kind": "webhook", "target": receiver.url("/officer")}],
    )
    done = await world.client.post(
        f"/api/v1/certificates/{cert['id']}/suspend",
        json={"reason": "涉嫌违规执法，待查"},
        headers=world.auth("yjs_admin"),
    )
    assert done.status_code == 200, done.text
    return cert


async def test_a_suspension_reaches_every_channel_once(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver, mailbox: Mailbox
) -> None:
    world = clocked_town
    cert = await _suspended(world, receiver)
    assert await OutboxMessage.filter(status=MessageStatus.PENDING).count() == 5
    done = await _round(world, fixed_clock)
    assert (done.sent, done.retried, done.given_up) == (5, 0, 0)
    for path in ("/wecom", "/ding", "/sms", "/officer"):
        [text] = receiver.texts(path)
        assert text.startswith("【执法证暂扣】") and str(cert["number"]) in text, path
        assert "涉嫌违规执法" in text and id_number(seq=81) not in text
    [ding] = receiver.to("/ding")
    timestamp, sign = ding.query["timestamp"][0], ding.query["sign"][0]
    expected = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256)
    assert sign == base64.b64encode(expected.digest()).decode()
    [sms] = receiver.to("/sms")
    assert sms.headers["Authorization"] == "Bearer gateway-token"
    assert sms.headers["Idempotency-Key"] == sms.body["key"]
    [mail] = mailbox.messages
    assert (
        mail["To"] == "zhifake@yjs.gov.cn"
        and "【执法证暂扣】" in mail.get_payload(decode=True).decode()
    )
    again = await _round(world, fixed_clock)
    assert again.sent == 0 and len(receiver.requests) == 4
    assert await Delivery.filter(verdict="sent").count() == 5


async def test_channels_are_checked_and_their_secrets_never_answered(
    clocked_town: World, receiver: Receiver
) -> None:
    world = clocked_town
    url = f"/api/v1/agencies/{world.agencies['yjs_market']}/channels"
    stored = await _set(world, url, _channels(receiver))
    read = await world.client.get(url, headers=world.auth("market_admin"))
    assert read.json() == stored and SECRET not in read.text and "gateway-token" not in read.text
    assert [c["has_secret"] for c in stored] == [False, True, True, False]
    kept = await _set(
        world, url, [{k: v for k, v in c.items() if k != "secret"} for c in _channels(receiver)]
    )
    assert [c["has_secret"] for c in kept] == [False, True, True, False]
    assert [c["id"] for c in kept] == [c["id"] for c in stored]  # the same channels, kept
    removed = await _set(world, url, [{**_channels(receiver)[1], "secret": ""}])
    assert [(c["kind"], c["has_secret"]) for c in removed] == [("dingtalk", False)]
    for body, code in (
        ([{"kind": "wecom", "target": receiver.url("/wecom")}], "channel.bad_target"),
        (
            [{"kind": "dingtalk", "target": "ftp://example.com/x?access_token=1"}],
            "channel.bad_target",
        ),
        ([{"kind": "email", "target": "不是邮箱"}], "channel.bad_target"),
        ([{"kind": "email", "target": "a@b.cn", "secret": "x"}], "channel.bad_secret"),
        ([{"kind": "email", "target": "a@b.cn"}] * 2, "channel.duplicate"),
    ):
        refused = await world.client.put(url, json=body, headers=world.auth("yjs_admin"))
        assert (refused.status_code, refused.json()["code"]) == (422, code), body
    assert [
        c["kind"] for c in (await world.client.get(url, headers=world.auth("root"))).json()
    ] == ["dingtalk"]
    stranger = await world.client.put(url, json=[], headers=world.auth("hy_admin"))
    assert stranger.status_code == 404
    organiser = await world.client.put(url, json=[], headers=world.auth("trainer"))
    assert organiser.status_code == 403


async def test_a_change_rolled_back_sends_nothing(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    world = clocked_town
    cert = await issued_certificate(world, exams_on="2025-01-20", id_number=id_number(seq=82))
    await _set(
        world, f"/api/v1/agencies/{world.agencies['yjs_market']}/channels", _channels(receiver)[:1]
    )
    events = await OfficerEvent.all().count()

    async def fails_after_the_event(*_: object) -> None:
        raise RuntimeError("the disk is full")

    root = await Account.get(username="root")
    principal = Principal(root.id, "root", Role.SUPERADMIN, Scope())
    with pytest.raises(RuntimeError):
        await change(
            Services.build(world.settings, fixed_clock), principal, int(cert["id"]),
            EventAction.SUSPEND, reason="涉嫌违规", then=fails_after_the_event,
        )  # fmt: skip
    assert await OfficerEvent.all().count() == events
    assert await OutboxMessage.all().count() == 0
    assert (await _round(world, fixed_clock)).sent == 0 and receiver.requests == []


async def test_robots_are_kept_within_their_limits_and_retried(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    world = clocked_town
    market = world.agencies["yjs_market"]
    await _set(world, f"/api/v1/agencies/{market}/channels", _channels(receiver)[:2])
    receiver.answer("/wecom", (200, {"errcode": 45009, "errmsg": "api freq out of limit"}))
    receiver.answer("/ding", (200, {"errcode": 130101, "errmsg": "send too fast"}))
    for _ in range(3):
        queued = await world.client.post(
            "/api/v1/notifications/test",
            json={"agency_id": market},
            headers=world.auth("yjs_admin"),
        )
        assert (queued.status_code, queued.json()) == (202, {"queued": 2})
        fixed_clock.advance(timedelta(seconds=1))
    first = await _round(world, fixed_clock)
    assert first.sent == 0 and first.deferred == 6  # both robots said: too fast
    assert (await _round(world, fixed_clock)).sent == 0  # and nothing goes before its time
    fixed_clock.advance(timedelta(seconds=61))
    assert (await _round(world, fixed_clock)).sent == 3  # WeCom: a minute later, merged in one
    [_, merged] = receiver.texts("/wecom")
    assert merged.count("【测试消息】") == 3 and len(merged.encode()) <= 2048
    fixed_clock.advance(timedelta(minutes=9))
    assert (await _round(world, fixed_clock)).sent == 3  # DingTalk blocked for 10 minutes
    # Twenty requests a minute to a robot at most: long texts cannot be merged.
    long_text = "【测试消息】" + "执法" * 500
    channel_id = (
        await world.client.get(f"/api/v1/agencies/{market}/channels", headers=world.auth("root"))
    ).json()[0]["id"]
    now = fixed_clock.now()
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                key=f"long-{n}",
                topic="test",
                channel_id=channel_id,
                text=long_text,
                next_attempt_at=now,
                created_at=now,
            )
            for n in range(25)
        ]
    )
    before = len(receiver.to("/wecom"))
    burst = await _round(world, fixed_clock)
    assert (burst.sent, burst.deferred) == (20, 5) and len(receiver.to("/wecom")) - before == 20
    fixed_clock.advance(timedelta(seconds=61))
    assert (await _round(world, fixed_clock)).sent == 5


async def test_errors_are_retried_with_backoff_then_given_up(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    world = clocked_town
    market = world.agencies["yjs_market"]
    await _set(world, f"/api/v1/agencies/{market}/channels", [_channels(receiver)[2]])
    receiver.answer("/sms", (503, {}), (500, {}))
    await world.client.post(
        "/api/v1/notifications/test", json={"agency_id": market}, headers=world.auth("yjs_admin")
    )
    assert (await _round(world, fixed_clock)).retried == 1
    fixed_clock.advance(timedelta(seconds=29))
    assert (await _round(world, fixed_clock)).retried == 0  # 30 s after the first failure
    fixed_clock.advance(timedelta(seconds=2))
    assert (await _round(world, fixed_clock)).retried == 1  # then 60 s
    fixed_clock.advance(timedelta(seconds=61))
    assert (await _round(world, fixed_clock)).sent == 1
    assert [d.verdict for d in await Delivery.all().order_by("id")] == ["retry", "retry", "sent"]
    receiver.answer("/sms", (401, {}))
    await world.client.post(
        "/api/v1/notifications/test", json={"agency_id": market}, headers=world.auth("yjs_admin")
    )
    assert (await _round(world, fixed_clock)).given_up == 1  # refused for good: not retried
    listed = await world.client.get("/api/v1/notifications", headers=world.auth("yjs_admin"))
    assert [m["status"] for m in listed.json()] == ["given_up", "sent"]
    assert (
        await world.client.get("/api/v1/notifications", headers=world.auth("hy_admin"))
    ).json() == []


async def test_two_workers_at_once_deliver_each_message_once(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    world = clocked_town
    for seq, key in ((83, "a"), (84, "b"), (85, "c")):
        cert = await issued_certificate(world, exams_on="2025-01-20", id_number=id_number(seq=seq))
        await _set(
            world,
            f"/api/v1/officers/{cert['officer_id']}/channels",
            [{"kind": "webhook", "target": receiver.url(f"/o-{key}")}],
        )
        await world.client.post(
            f"/api/v1/certificates/{cert['id']}/revoke",
            json={"reason": "违法执法"},
            headers=world.auth("yjs_admin"),
        )
    rounds = await asyncio.gather(*(_round(world, fixed_clock, f"w{n}") for n in range(4)))
    assert sum(r.sent for r in rounds) == 3
    assert sorted(r.path for r in receiver.requests) == ["/o-a", "/o-b", "/o-c"]
    assert all(t.startswith("【执法证吊销】") for t in receiver.texts("/o-a"))


class _StopsAfterSending:
    """A sender that delivers, then the worker dies before it records the answer."""

    def __init__(self, real: Any) -> None:
        self.real = real

    async def send(self, channel: Channel, text: str, key: str) -> Answer:
        await self.real.send(channel, text, key)
        raise asyncio.CancelledError  # the process is killed here


async def test_a_worker_stopped_between_sending_and_recording_sends_no_robot_message_twice(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    world = clocked_town
    await _suspended(world, receiver)
    services = Services.build(world.settings, fixed_clock)
    async with http_client() as client:
        real = senders(world.settings, client)
        dying = {kind: _StopsAfterSending(sender) for kind, sender in real.items()}
        for _ in range(5):  # one channel a round dies after its send
            with pytest.raises(asyncio.CancelledError):
                await deliver_once(services, dying, "dies")
    assert len(receiver.requests) == 4
    assert await OutboxMessage.filter(status=MessageStatus.SENDING).count() == 5
    fixed_clock.advance(timedelta(seconds=61))  # the dead worker's leases run out
    done = await _round(world, fixed_clock)
    # Robots and e-mail cannot drop a repeat: in doubt, they are not sent again. The
    # webhooks get theirs again with the same Idempotency-Key, which the gateway drops.
    assert (done.unconfirmed, done.sent) == (3, 2)
    assert len(receiver.to("/wecom")) == len(receiver.to("/ding")) == 1
    [first, second] = receiver.to("/sms")
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert await OutboxMessage.filter(status=MessageStatus.UNCONFIRMED).count() == 3


async def test_a_claim_decided_is_told_to_the_officer(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    from tests.integration.test_claims_api import file_claim, officer_login, pdf

    world = clocked_town
    me = await officer_login(world)
    officer_id = (await Officer.all().order_by("-id").first()).id  # type: ignore[union-attr]
    await _set(
        world,
        f"/api/v1/officers/{officer_id}/channels",
        [{"kind": "webhook", "target": receiver.url("/me")}],
    )
    claims = [
        (await file_claim(world, me, pdf(), completed_on="2025-01-15", title=t)).json()
        for t in ("普法讲座", "业务培训")
    ]
    url = "/api/v1/external-training"
    await world.client.post(
        f"{url}/{claims[0]['id']}/approve", json={"hours": 12}, headers=world.auth("market_admin")
    )
    await world.client.post(
        f"{url}/{claims[1]['id']}/reject",
        json={"reason": "证书照片不清晰"},
        headers=world.auth("market_admin"),
    )
    assert (await _round(world, fixed_clock)).sent == 2
    approved, rejected = receiver.texts("/me")
    assert approved.startswith("【学时申报通过】") and "普法讲座" in approved
    assert rejected.startswith("【学时申报未通过】") and "证书照片不清晰" in rejected


async def test_the_weekly_digest_goes_once_a_week_and_reminders_once_a_level(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    from service.usecases.notify_schedule import enqueue_scheduled

    world = clocked_town  # Monday 10 February 2025, 09:00 in Beijing
    cert = await issued_certificate(world, exams_on="2025-01-20", id_number=id_number(seq=86))
    await world.client.post(
        f"/api/v1/certificates/{cert['id']}/revoke",
        json={"reason": "违法执法"},
        headers=world.auth("yjs_admin"),
    )
    market = world.agencies["yjs_market"]
    await _set(world, f"/api/v1/agencies/{market}/channels", _channels(receiver)[:1])
    other = await issued_certificate(world, exams_on="2025-01-20", id_number=id_number(seq=87))
    await _set(
        world,
        f"/api/v1/officers/{other['officer_id']}/channels",
        [{"kind": "webhook", "target": receiver.url("/me")}],
    )
    services = Services.build(world.settings, fixed_clock)
    assert await enqueue_scheduled(services) == 2  # the digest, and 2024's hours short (red)
    assert await enqueue_scheduled(services) == 0
    await _round(world, fixed_clock)
    [digest] = [t for t in receiver.texts("/wecom") if t.startswith("【每周通知】")]
    assert "英吉沙县市场监督管理局" in digest and "待收回证件：1 张" in digest
    assert "学时不足：2 人（已逾期 2 人）" in digest
    [red] = receiver.texts("/me")
    assert red.startswith("【提醒】") and "2024" in red
    fixed_clock.advance(timedelta(days=3))
    assert await enqueue_scheduled(services) == 0  # the same week
    fixed_clock.advance(timedelta(days=4))
    assert await enqueue_scheduled(services) == 1  # the next Monday's digest
    fixed_clock.advance(datetime(2025, 11, 15, 9, tzinfo=SHANGHAI) - fixed_clock.now())
    queued = await enqueue_scheduled(services)  # this week's digest, 2025's hours amber
    await _round(world, fixed_clock)
    amber = receiver.texts("/me")[-1]
    assert queued == 2 and "2025" in amber and amber != red


async def test_a_429_is_waited_for_as_long_as_it_asks_without_spending_an_attempt(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    world = clocked_town
    market = world.agencies["yjs_market"]
    await _set(world, f"/api/v1/agencies/{market}/channels", [_channels(receiver)[2]])
    receiver.answer("/sms", (429, {}))
    await world.client.post(
        "/api/v1/notifications/test", json={"agency_id": market}, headers=world.auth("yjs_admin")
    )
    assert (await _round(world, fixed_clock)).deferred == 1
    fixed_clock.advance(timedelta(seconds=59))
    assert len(receiver.to("/sms")) == 1 and (await _round(world, fixed_clock)).sent == 0
    fixed_clock.advance(timedelta(seconds=2))  # the gateway's minute is over
    assert (await _round(world, fixed_clock)).sent == 1
    [message] = await OutboxMessage.all()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 0)
    assert [d.verdict for d in await Delivery.all().order_by("id")] == ["throttled", "sent"]


async def test_the_admin_forms_set_a_channel_and_send_a_test(
    clocked_town: World, fixed_clock: FixedClock, receiver: Receiver
) -> None:
    from tests.integration.test_admin import admin_as, form

    world = clocked_town
    market = world.agencies["yjs_market"]
    target = receiver.url("/ding?access_token=admin")
    async with admin_as(world, "yjs_admin") as admin:
        saved = await form(
            admin, "notification-channel", agency_id=market, kind="钉钉群机器人", target=target,
            secret=SECRET,
        )  # fmt: skip
        assert saved.status_code == 200, saved.text
        assert "钉钉群机器人" in saved.text and SECRET not in saved.text
        queued = await form(admin, "notification-test", agency_id=market)
        assert "已排队 1 条" in queued.text
        stranger = await form(admin, "notification-test", agency_id=world.agencies["hy_justice"])
        assert stranger.status_code == 422 and "agency.not_found" in stranger.text
    assert (await _round(world, fixed_clock)).sent == 1
    [ding] = receiver.to("/ding")
    assert ding.query["access_token"] == ["admin"] and "sign" in ding.query
    async with admin_as(world, "yjs_admin") as admin:
        await form(
            admin,
            "notification-channel",
            agency_id=market,
            kind="钉钉群机器人",
            target=target,
            remove=True,
        )
    channels = await world.client.get(
        f"/api/v1/agencies/{market}/channels", headers=world.auth("root")
    )
    assert channels.json() == []
