"""Notification channels of agencies and officers, the outbox of messages to deliver, and
the log of every delivery tried."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from service.domain.notifications import ChannelKind, MessageStatus, Topic

if TYPE_CHECKING:
    from service.store.models.people import Officer
    from service.store.models.reference import Agency


class NotificationChannel(Model):
    """Where an agency or an officer is told things: a robot, an address or a webhook."""

    id = fields.IntField(primary_key=True)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name=False, null=True, on_delete=fields.CASCADE
    )
    officer: fields.ForeignKeyNullableRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name=False, null=True, on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ChannelKind, max_length=16)
    target = fields.CharField(max_length=500)
    secret_sealed = fields.BinaryField(null=True)  # AES-GCM under the key-encryption key
    blocked_until = fields.DatetimeField(null=True)  # the channel asked us to wait
    claimed_by = fields.CharField(max_length=64, null=True)  # the worker delivering to it
    lease_until = fields.DatetimeField(null=True)  # ... until then, unless it renews
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "notification_channels"
        indexes = (("agency_id",), ("officer_id",))


class OutboxMessage(Model):
    """One message for one channel, written with the change it reports."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True)  # idempotency key
    topic = fields.CharEnumField(Topic, max_length=32)
    channel: fields.ForeignKeyNullableRelation[NotificationChannel] = fields.ForeignKeyField(
        "models.NotificationChannel", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    text = fields.TextField()
    status = fields.CharEnumField(MessageStatus, max_length=16, default=MessageStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    lease_until = fields.DatetimeField(null=True)  # while `sending`: its worker's lease
    sent_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "notification_outbox"
        indexes = (("status", "next_attempt_at"), ("channel_id", "status"))


class Delivery(Model):
    """One try at delivering messages (several, when merged) to a channel, and its answer."""

    id = fields.BigIntField(primary_key=True)
    channel: fields.ForeignKeyNullableRelation[NotificationChannel] = fields.ForeignKeyField(
        "models.NotificationChannel", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    message_ids: Any = fields.JSONField(default=list)
    at = fields.DatetimeField()
    verdict = fields.CharField(max_length=16)  # a `notifications.Verdict`, or `unconfirmed`
    detail = fields.CharField(max_length=300, default="")
    worker = fields.CharField(max_length=64, default="")

    class Meta:
        table = "notification_deliveries"
        indexes = (("channel_id", "at"),)
