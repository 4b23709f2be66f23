"""Officers and the records kept on them: exams, annual assessments, sanctions, and the
officer's hash-chained event log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from service.domain.people import (
    AssessmentResult,
    EmploymentType,
    ExamKind,
    Gender,
    SanctionKind,
)

if TYPE_CHECKING:
    from service.store.models.accounts import Account
    from service.store.models.certificates import Certificate
    from service.store.models.reference import Agency


class Officer(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
    id_number = fields.CharField(max_length=18, unique=True)
    birth_date = fields.DateField()
    gender = fields.CharEnumField(Gender, max_length=8)
    phone = fields.CharField(max_length=20, null=True)
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="officers", on_delete=fields.RESTRICT
    )
    employment_type = fields.CharEnumField(EmploymentType, max_length=32)
    post = fields.CharField(max_length=100, default="")
    in_post = fields.BooleanField(default=True)
    photo_path = fields.CharField(max_length=255, null=True)
    notes = fields.TextField(default="")
    # Head of the officer's event chain; appending locks this row, so chains never fork.
    chain_seq = fields.IntField(default=0)
    chain_head = fields.CharField(max_length=64, default="0" * 64)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "officers"
        indexes = (("agency_id", "name"),)


class Exam(Model):
    id = fields.IntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="exams", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ExamKind, max_length=16)
    score = fields.DecimalField(max_digits=4, decimal_places=1)
    taken_on = fields.DateField()
    source_file = fields.CharField(max_length=64, default="")  # SHA-256 of an imported file
    recorded_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "exams"
        indexes = (("officer_id", "kind", "taken_on"),)


class Assessment(Model):
    """The annual assessment (年度考核) of one officer for one year."""

    id = fields.IntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="assessments", on_delete=fields.CASCADE
    )
    year = fields.SmallIntField()
    result = fields.CharEnumField(AssessmentResult, max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "assessments"
        unique_together = (("officer", "year"),)


class Sanction(Model):
    id = fields.IntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="sanctions", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(SanctionKind, max_length=32)
    effective_on = fields.DateField()
    ends_on = fields.DateField(null=True)
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "sanctions"
        indexes = (("officer_id", "effective_on"),)


class OfficerEvent(Model):
    """One change to an officer or their certificates, append-only, hash-chained per officer."""

    # The columns are those of `service.domain.events.Event` (and the id); `hash` covers
    # the event and `prev_hash`; (officer, seq) is unique, so two writers cannot fork a
    # chain.

    id = fields.BigIntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="events", on_delete=fields.RESTRICT
    )
    certificate: fields.ForeignKeyNullableRelation[Certificate] = fields.ForeignKeyField(
        "models.Certificate", related_name="events", null=True, on_delete=fields.RESTRICT
    )
    seq = fields.IntField()
    action = fields.CharField(max_length=32)  # an `EventAction`
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    actor_name = fields.CharField(max_length=100)
    at = fields.DatetimeField()
    reason = fields.TextField(default="")
    before: Any = fields.JSONField(null=True)
    after: Any = fields.JSONField(null=True)
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "officer_events"
        unique_together = (("officer", "seq"),)
