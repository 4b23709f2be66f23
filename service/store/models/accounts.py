"""Accounts (staff and officers), refresh tokens, officers' devices, admin sessions.

`accounts` keeps the columns of Piccolo's `BaseUser` (username, password in
`pbkdf2_sha256$iterations$salt$hash` form, first/last name, email, active, admin,
superuser, last_login), so the admin logs in with the same accounts as the API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from service.domain.access import Role

if TYPE_CHECKING:
    from service.store.models.people import Officer
    from service.store.models.reference import Agency, Region


class Account(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=100, unique=True)
    password = fields.CharField(max_length=255)
    first_name = fields.CharField(max_length=255, null=True)
    last_name = fields.CharField(max_length=255, null=True)
    email = fields.CharField(max_length=255, null=True, unique=True)
    active = fields.BooleanField(default=True)
    admin = fields.BooleanField(default=False)
    superuser = fields.BooleanField(default=False)
    last_login = fields.DatetimeField(null=True)
    role = fields.CharEnumField(Role, max_length=16)
    region: fields.ForeignKeyNullableRelation[Region] = fields.ForeignKeyField(
        "models.Region",
        related_name=False,
        null=True,
        on_delete=fields.RESTRICT,
    )
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="accounts", null=True, on_delete=fields.RESTRICT
    )
    officer: fields.OneToOneNullableRelation[Officer] = fields.OneToOneField(
        "models.Officer", related_name="account", null=True, on_delete=fields.CASCADE
    )
    # Moves on whenever the account's sessions must end (a password set or reset, a new
    # role or jurisdiction): every access token names the generation it was issued in.
    session_generation = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "accounts"


class RefreshToken(Model):
    """A refresh token, stored as its SHA-256 only. Rotating it revokes the old one."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    family = fields.CharField(max_length=32, db_index=True)
    issued_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "refresh_tokens"


class Device(Model):
    """A phone an officer logged in from, the first one being the bound device."""

    id = fields.IntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="devices", on_delete=fields.CASCADE
    )
    device_id = fields.CharField(max_length=100, db_index=True)
    first_seen_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()

    class Meta:
        table = "devices"
        unique_together = (("officer", "device_id"),)


class AdminSession(Model):
    """Login sessions of the admin (the columns of SessionsBase in piccolo_api)."""

    id = fields.IntField(primary_key=True)
    token = fields.CharField(max_length=100, db_index=True)
    user_id = fields.IntField()
    expiry_date = fields.DatetimeField()
    max_expiry_date = fields.DatetimeField()

    class Meta:
        table = "admin_sessions"
