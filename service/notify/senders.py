"""The senders behind each channel kind: WeCom and DingTalk group robots, SMTP e-mail and
a generic JSON webhook (an SMS gateway). Each answers a `notifications.Answer` and never
raises; the answer's detail names the status and the channel's own code, never the text
or a secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import smtplib
import time
from collections.abc import Mapping
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any
from urllib.parse import quote_plus

import anyio
import httpx

from service.domain.notifications import (
    DINGTALK_BLOCK,
    Answer,
    Channel,
    ChannelKind,
    Sender,
    Verdict,
)
from service.settings import Settings

TIMEOUT = httpx.Timeout(10.0)
WECOM_TOO_FAST = 45009
DINGTALK_TOO_FAST = 130101
SUBJECT = "【行政执法证件与培训学时管理】通知"


def _retry_after(response: httpx.Response, default: timedelta) -> timedelta:
    raw = response.headers.get("Retry-After", "")
    return timedelta(seconds=min(int(raw), 3600)) if raw.isdigit() else default


def _http_answer(response: httpx.Response, default_wait: timedelta) -> Answer | None:
    """The answer an HTTP status gives on its own, or None for a 2xx to read further."""
    detail = f"HTTP {response.status_code}"
    if response.status_code == 429:
        return Answer(Verdict.THROTTLED, detail, _retry_after(response, default_wait))
    if response.status_code >= 500:
        return Answer(Verdict.RETRY, detail)
    if response.status_code >= 400:
        return Answer(Verdict.REFUSED, detail)
    return None


class RobotSender:
    """A group robot of WeCom (企业微信) or DingTalk (钉钉): `{"msgtype": "text"}`, then
    the JSON answer's `errcode`. DingTalk's 加签: `timestamp` (ms) and `sign`, the base64
    HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, on the query."""

    def __init__(self, client: httpx.AsyncClient, kind: ChannelKind) -> None:
        self.client = client
        self.kind = kind

    async def send(self, channel: Channel, text: str, key: str) -> Answer:
        url = channel.target
        if self.kind is ChannelKind.DINGTALK and channel.secret:
            url += ("&" if "?" in url else "?") + dingtalk_signature(channel.secret)
        wait = DINGTALK_BLOCK if self.kind is ChannelKind.DINGTALK else timedelta(minutes=1)
        try:
            response = await self.client.post(
                url, json={"msgtype": "text", "text": {"content": text}}
            )
        except httpx.HTTPError as error:
            return Answer(Verdict.RETRY, type(error).__name__)
        answered = _http_answer(response, wait)
        if answered is not None:
            return answered
        try:
            body: Any = response.json()
            code = int(body.get("errcode", -1))
        except (ValueError, AttributeError, TypeError):
            return Answer(Verdict.RETRY, f"HTTP {response.status_code}, not JSON")
        detail = f"errcode {code}"
        if code == 0:
            return Answer(Verdict.SENT, detail)
        if code in (WECOM_TOO_FAST, DINGTALK_TOO_FAST):
            return Answer(Verdict.THROTTLED, detail, wait)
        return Answer(Verdict.RETRY, detail)


def dingtalk_signature(secret: str, now_ms: int | None = None) -> str:
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return f"timestamp={timestamp}&sign={quote_plus(base64.b64encode(digest))}"


class WebhookSender:
    """A JSON POST `{"key", "text"}` with `Idempotency-Key` (the receiver drops repeats)
    and, when the channel has a secret, `Authorization: Bearer <secret>`; any 2xx is sent."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def send(self, channel: Channel, text: str, key: str) -> Answer:
        headers = {"Idempotency-Key": key}
        if channel.secret:
            headers["Authorization"] = f"Bearer {channel.secret}"
        try:
            response = await self.client.post(
                channel.target, json={"key": key, "text": text}, headers=headers
            )
        except httpx.HTTPError as error:
            return Answer(Verdict.RETRY, type(error).__name__)
        return _http_answer(response, timedelta(minutes=1)) or Answer(
            Verdict.SENT, f"HTTP {response.status_code}"
        )


class EmailSender:
    """Plain-text mail through SMTP_HOST (STARTTLS and a login when set), off the loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, channel: Channel, text: str, key: str) -> Answer:
        if not self.settings.smtp_host:
            return Answer(Verdict.REFUSED, "SMTP_HOST is not set")
        message = EmailMessage()
        message["Subject"] = SUBJECT
        message["From"] = self.settings.smtp_from
        message["To"] = channel.target
        message["Message-ID"] = make_msgid(idstring=key.replace(":", "."), domain="officer-cert")
        message.set_content(text)
        return await anyio.to_thread.run_sync(self._deliver, message)

    def _deliver(self, message: EmailMessage) -> Answer:
        settings = self.settings
        try:
            with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=15) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls()
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            return Answer(Verdict.REFUSED, "recipient refused")
        except smtplib.SMTPResponseException as error:
            verdict = Verdict.REFUSED if 500 <= error.smtp_code < 600 else Verdict.RETRY
            return Answer(verdict, f"SMTP {error.smtp_code}")
        except (OSError, smtplib.SMTPException) as error:
            return Answer(Verdict.RETRY, type(error).__name__)
        return Answer(Verdict.SENT, "SMTP 250")


def senders(settings: Settings, client: httpx.AsyncClient) -> Mapping[ChannelKind, Sender]:
    return {
        ChannelKind.WECOM: RobotSender(client, ChannelKind.WECOM),
        ChannelKind.DINGTALK: RobotSender(client, ChannelKind.DINGTALK),
        ChannelKind.WEBHOOK: WebhookSender(client),
        ChannelKind.EMAIL: EmailSender(settings),
    }


def http_client() -> httpx.AsyncClient:
    """No redirects followed (a robot's URL does not move), no proxy from the environment."""
    return httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, trust_env=False)
