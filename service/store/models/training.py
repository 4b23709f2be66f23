"""Hour requirements, training sessions, attendance, the hours ledger, external claims.

Hours are integer tenths everywhere (`*_tenths`): 12.5 h is 125.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from service.domain.hours import HourCategory, LedgerSource
from service.domain.training import AttendanceMethod, ClaimStatus, ScanKind, SessionStatus

if TYPE_CHECKING:
    from service.store.models.accounts import Account
    from service.store.models.people import Officer
    from service.store.models.reference import Agency, Region


class Requirement(Model):
    """Minimum hours for a region and year. A null minimum means not required here."""

    id = fields.IntField(primary_key=True)
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="requirements", on_delete=fields.CASCADE
    )
    year = fields.SmallIntField()
    min_public_law_tenths = fields.IntField(null=True)
    min_professional_tenths = fields.IntField(null=True)
    min_political_tenths = fields.IntField(null=True)
    min_total_tenths = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "requirements"
        unique_together = (("region", "year"),)


class TrainingPlan(Model):
    """The training plan of an agency for a year (年度学习培训计划)."""

    # `items`: the planned sessions and hours per category, [{"category", "sessions", "tenths"}]

    id = fields.IntField(primary_key=True)
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name=False, on_delete=fields.RESTRICT
    )
    year = fields.SmallIntField()
    items: Any = fields.JSONField(default=list)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "training_plans"
        unique_together = (("agency", "year"),)


class TrainingSession(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    category = fields.CharEnumField(HourCategory, max_length=16)
    credit_tenths = fields.IntField()
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    location = fields.CharField(max_length=200, default="")
    organiser_agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="sessions", on_delete=fields.RESTRICT
    )
    requires_checkout = fields.BooleanField(default=True)
    geofence_lat = fields.FloatField(null=True)
    geofence_lng = fields.FloatField(null=True)
    geofence_radius_m = fields.IntField(null=True)
    status = fields.CharEnumField(SessionStatus, max_length=16, default=SessionStatus.SCHEDULED)
    closed_at = fields.DatetimeField(null=True)
    created_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "training_sessions"
        indexes = (("organiser_agency_id", "starts_at"),)


class Attendance(Model):
    """One officer at one session. The unique pair makes repeated scans idempotent."""

    id = fields.IntField(primary_key=True)
    session: fields.ForeignKeyRelation[TrainingSession] = fields.ForeignKeyField(
        "models.TrainingSession", related_name="attendance", on_delete=fields.RESTRICT
    )
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="attendance", on_delete=fields.RESTRICT
    )
    method = fields.CharEnumField(AttendanceMethod, max_length=8)
    checked_in_at = fields.DatetimeField(null=True)
    checked_out_at = fields.DatetimeField(null=True)
    checkin_device_id = fields.CharField(max_length=100, null=True)
    checkout_device_id = fields.CharField(max_length=100, null=True)
    checkin_lat = fields.FloatField(null=True)
    checkin_lng = fields.FloatField(null=True)
    flags: Any = fields.JSONField(default=list)
    credited_tenths = fields.IntField(null=True)
    no_credit_reason = fields.TextField(null=True)
    note = fields.TextField(default="")
    recorded_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "attendance"
        unique_together = (("session", "officer"),)
        # The shared-phone flag looks up who else scanned with this phone at the session.
        indexes = (("session_id", "checkin_device_id"), ("session_id", "checkout_device_id"))


class OfflineScan(Model):
    """A personal check-in code scanned by the organiser, perhaps offline, as uploaded."""

    id = fields.IntField(primary_key=True)
    session: fields.ForeignKeyRelation[TrainingSession] = fields.ForeignKeyField(
        "models.TrainingSession", related_name=False, on_delete=fields.CASCADE
    )
    nonce = fields.CharField(max_length=64)  # the scanning phone's id for this scan
    officer_id = fields.IntField(null=True)  # whose code it was (none when refused)
    kind = fields.CharEnumField(ScanKind, max_length=16)
    scanned_at = fields.DatetimeField()
    device_id = fields.CharField(max_length=100)
    received_at = fields.DatetimeField()
    outcome = fields.CharField(max_length=16)  # recorded, refused
    refusal = fields.CharField(max_length=64, null=True)  # the error code, when refused

    class Meta:
        table = "offline_scans"
        unique_together = (("session", "nonce"),)


class TypedCodeFailure(Model):
    """Wrong typed check-in codes an officer sent for a session (at most 5 are heard)."""

    id = fields.IntField(primary_key=True)
    session: fields.ForeignKeyRelation[TrainingSession] = fields.ForeignKeyField(
        "models.TrainingSession", related_name=False, on_delete=fields.CASCADE
    )
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name=False, on_delete=fields.CASCADE
    )
    failures = fields.IntField(default=0)

    class Meta:
        table = "typed_code_failures"
        unique_together = (("session", "officer"),)


class ExternalClaim(Model):
    """Training taken elsewhere (外部学习申报), with evidence, waiting for approval."""

    id = fields.IntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="external_claims", on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    category = fields.CharEnumField(HourCategory, max_length=16)
    claimed_tenths = fields.IntField()
    approved_tenths = fields.IntField(null=True)
    completed_on = fields.DateField()
    evidence_path = fields.CharField(max_length=255)
    evidence_mime = fields.CharField(max_length=64)
    evidence_sha256 = fields.CharField(max_length=64)
    status = fields.CharEnumField(ClaimStatus, max_length=16, default=ClaimStatus.PENDING)
    reviewed_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    reviewed_at = fields.DatetimeField(null=True)
    reject_reason = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "external_claims"
        indexes = (("status", "created_at"),)


class HourEntry(Model):
    """The append-only hours ledger. A correction is a new, possibly negative, entry."""

    id = fields.BigIntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name="hour_entries", on_delete=fields.RESTRICT
    )
    year = fields.SmallIntField()  # calendar year in Asia/Shanghai of `occurred_on`
    category = fields.CharEnumField(HourCategory, max_length=16)
    tenths = fields.IntField()
    source = fields.CharEnumField(LedgerSource, max_length=16)
    session: fields.ForeignKeyNullableRelation[TrainingSession] = fields.ForeignKeyField(
        "models.TrainingSession", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    external_claim: fields.ForeignKeyNullableRelation[ExternalClaim] = fields.ForeignKeyField(
        "models.ExternalClaim", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    provider = fields.CharField(max_length=200, default="")  # who trained: 党校, a platform
    source_file = fields.CharField(max_length=64, default="")  # SHA-256 of an imported file
    reason = fields.TextField(default="")
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    occurred_on = fields.DateField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "hour_ledger"
        # One attendance credit per officer and session, one approval per claim.
        unique_together = (("officer", "session"), ("external_claim",))
        indexes = (("year", "officer_id", "category"),)


class HourYear(Model):
    """The hours of an officer in a year, per category: the sums of the ledger entries."""

    # Kept by triggers on the ledger (migration 0013), in the transaction of every write,
    # whoever writes: one row per officer and year, a column per category (`HourCategory`,
    # which a test holds to these columns), so that the reports and the dashboard read
    # one narrow row per officer instead of summing the ledger; `officer-cert audit
    # verify` checks them against it.

    id = fields.BigIntField(primary_key=True)
    officer: fields.ForeignKeyRelation[Officer] = fields.ForeignKeyField(
        "models.Officer", related_name=False, on_delete=fields.CASCADE
    )
    year = fields.SmallIntField()
    public_law = fields.IntField(default=0)  # tenths of an hour
    professional = fields.IntField(default=0)
    political = fields.IntField(default=0)
    entries = fields.IntField(default=0)  # the ledger's entries summed here

    class Meta:
        table = "hour_years"
        unique_together = (("officer", "year"),)
        indexes = (("year", "officer_id"),)


class HourMonth(Model):
    """The hours the officers of an agency earned in a month: the sum of their entries."""

    # Kept by triggers (migration 0013) on the ledger and on an officer's move to another
    # agency, so that an agency's months are always those of the officers it has now;
    # the dashboard's chart reads them, `officer-cert audit verify` checks them.

    id = fields.BigIntField(primary_key=True)
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name=False, on_delete=fields.CASCADE
    )
    year = fields.SmallIntField()
    month = fields.SmallIntField()  # 1 to 12, of the entries' `occurred_on`
    tenths = fields.IntField(default=0)
    entries = fields.IntField(default=0)

    class Meta:
        table = "hour_months"
        unique_together = (("agency", "year", "month"),)
