"""Complaints and praise from the public about a certificate holder, and the one-time
form tokens their submissions carry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from service.domain.feedback import FeedbackKind, FeedbackStatus

if TYPE_CHECKING:
    from service.store.models.accounts import Account
    from service.store.models.certificates import Certificate
    from service.store.models.people import Officer


class Feedback(Model):
    """A complaint or praise about the holder of a certificate (投诉/表扬)."""

    id = fields.IntField(primary_key=True)
    reference = fields.CharField(max_length=20, unique=True, null=True)
    certificate: fields.ForeignKeyRelation[Certificate] = fields.ForeignKeyField(
        "models.Certificate", related_name=False, on_delete=fields.RESTRICT
    )
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name=False, on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(FeedbackKind, max_length=16)
    text = fields.TextField()
    contact = fields.CharField(max_length=100, null=True)  # staff only, never public
    status = fields.CharEnumField(FeedbackStatus, max_length=16, default=FeedbackStatus.OPEN)
    outcome = fields.CharField(max_length=200, null=True)
    note = fields.TextField(default="")
    resolved_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    resolved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()  # the service's clock: the hourly limit counts on it

    class Meta:
        table = "feedback"
        indexes = (("certificate_id", "created_at"), ("status", "created_at"))


class FeedbackForm(Model):
    """A form token handed to the public: good for 30 minutes and for one submission."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    number = fields.CharField(max_length=32)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "feedback_forms"
