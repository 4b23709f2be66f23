"""Certificates, number sequences, annual review results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from service.domain.certificates import CertificateStatus

if TYPE_CHECKING:
    from service.store.models.accounts import Account
    from service.store.models.people import Officer
    from service.store.models.reference import Agency


class Certificate(Model):
    id = fields.IntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="certificates", on_delete=fields.RESTRICT
    )
    issuing_agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    number = fields.CharField(max_length=32, null=True, unique=True)
    legacy = fields.BooleanField(default=False)  # imported, with the number printed elsewhere
    status = fields.CharEnumField(
        CertificateStatus, max_length=16, default=CertificateStatus.PENDING
    )
    enforcement_area = fields.CharField(max_length=200)
    enforcement_categories: Any = fields.JSONField(default=list)
    valid_from = fields.DateField(null=True)
    valid_until = fields.DateField(null=True)
    suspended_until = fields.DateField(null=True)
    status_reason = fields.TextField(default="")  # why it is in its status (the last change)
    ended_on = fields.DateField(null=True)  # revoked, cancelled, expired or void on this day
    # the card taken back (收回) while suspended or ended; cleared when it is active again
    card_returned_on = fields.DateField(null=True)
    status_index = fields.IntField(null=True, unique=True)  # its bit in the public status list
    last_review_year = fields.SmallIntField(null=True)
    replaces: fields.ForeignKeyNullableRelation[Certificate] = fields.ForeignKeyField(
        "models.Certificate", related_name="replaced_by", null=True, on_delete=fields.RESTRICT
    )
    agency_approved_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    agency_approved_at = fields.DatetimeField(null=True)
    bureau_approved_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    bureau_approved_at = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)  # optimistic lock: every change bumps it
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "certificates"
        indexes = (("status", "valid_until"), ("officer_id", "status"))


class NumberSequence(Model):
    """The last sequence used per region + sector + year prefix, so numbers are never reused."""

    prefix = fields.CharField(max_length=10, primary_key=True)
    last_value = fields.IntField(default=0)

    class Meta:
        table = "number_sequences"


class AnnualReviewResult(Model):
    id = fields.IntField(primary_key=True)
    year = fields.SmallIntField()
    certificate: fields.ForeignKeyRelation[Certificate] = fields.ForeignKeyField(
        "models.Certificate", related_name="reviews", on_delete=fields.RESTRICT
    )
    passed = fields.BooleanField()
    reasons: Any = fields.JSONField(default=list)
    reviewed_at = fields.DatetimeField()
    reviewed_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "annual_review_results"
        unique_together = (("certificate", "year"),)
