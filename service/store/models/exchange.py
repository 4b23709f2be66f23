"""Data exchange with provincial and national platforms: the machine clients' API keys,
and the change feed they read.

`exchange_changes` is written by database triggers (migration 0007), not by the code:
every write to an officer, a certificate or the hours ledger notes itself, whichever
path made it (a use case, a bulk insert, the admin's generic edit). On PostgreSQL each
row carries the id of the transaction that wrote it (`xid`), which is what lets the feed
hand out rows in an order no later commit can fall behind (see `store/exchange.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from service.store.models.reference import Region


class ApiKey(Model):
    """The key of a machine client. Only its SHA-256 is kept: the key is shown once, at creation."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50, unique=True)
    key_hash = fields.CharField(max_length=64, unique=True)
    hint = fields.CharField(max_length=12)  # the key's first characters, to tell keys apart
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name=False, on_delete=fields.RESTRICT
    )
    scopes: Any = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_keys"


class ExchangeChange(Model):
    """A write noted by a trigger: to an officer, a certificate or the hours of an officer."""

    # `kind` is `officer`, `certificate` or `hours` (the hours of the officer in `year`).

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=16)
    entity_id = fields.IntField()  # the officer's or the certificate's id
    officer_id = fields.IntField()  # whose: the jurisdiction filter goes through it
    year = fields.SmallIntField(null=True)  # hours: the year they count for
    xid = fields.BigIntField(default=0)  # PostgreSQL: the writing transaction; SQLite: 0

    class Meta:
        table = "exchange_changes"
        indexes = (("xid", "id"),)
