"""The admin's Piccolo tables mirror the tables Tortoise's migrations create: after
migrating, every mirrored column is selected (with rows in the tables), and its type
family and nullability are compared with the Tortoise model's field."""

from __future__ import annotations

from typing import Any

from piccolo.columns import (
    JSON,
    JSONB,
    BigInt,
    BigSerial,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Numeric,
    Real,
    Secret,
    Serial,
    SmallInt,
    Text,
    Timestamp,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import Column
from piccolo.table import Table
from tortoise import Tortoise, fields
from tortoise.models import Model

from admin.tables import MIRRORED
from tests.integration.world import World, issued_certificate

PICCOLO_FAMILY: list[tuple[type[Column], str]] = [
    (ForeignKey, "fk"),
    (Serial, "int"),
    (BigSerial, "int"),
    (SmallInt, "int"),
    (BigInt, "int"),
    (Integer, "int"),
    (Secret, "text"),
    (Varchar, "text"),
    (Text, "text"),
    (Boolean, "bool"),
    (Timestamptz, "datetime"),
    (Timestamp, "datetime"),
    (Date, "date"),
    (Numeric, "decimal"),
    (DoublePrecision, "float"),
    (Real, "float"),
    (JSONB, "json"),
    (JSON, "json"),
]
TORTOISE_FAMILY: list[tuple[type[fields.Field[Any]], str]] = [
    (fields.SmallIntField, "int"),
    (fields.BigIntField, "int"),
    (fields.IntField, "int"),
    (fields.CharField, "text"),
    (fields.TextField, "text"),
    (fields.BooleanField, "bool"),
    (fields.DatetimeField, "datetime"),
    (fields.DateField, "date"),
    (fields.DecimalField, "decimal"),
    (fields.FloatField, "float"),
    (fields.JSONField, "json"),
]


def _family(value: object, table: list[tuple[type, str]]) -> str:
    return next(name for kind, name in table if isinstance(value, kind))


def piccolo_family(column: Column) -> str:
    family = _family(column, PICCOLO_FAMILY)
    if family == "fk":
        assert isinstance(column, ForeignKey)
        return piccolo_family(column._foreign_key_meta.resolved_references._meta.primary_key)
    return family


def tortoise_models() -> dict[str, type[Model]]:
    return {model._meta.db_table: model for model in Tortoise.apps["models"].values()}


def tortoise_columns(model: type[Model]) -> dict[str, tuple[str, bool]]:
    """Each database column of the model: its type family and whether it is nullable."""
    columns = {}
    for name, column in model._meta.fields_db_projection.items():
        field = model._meta.fields_map[name]
        columns[column] = (_family(field, TORTOISE_FAMILY), bool(field.null))
    return columns


async def models_with_rows() -> int:
    return sum([await model.exists() for model in tortoise_models().values()])


def mirror_columns(table: type[Table]) -> dict[str, tuple[str, bool]]:
    return {
        column._meta.db_column_name: (piccolo_family(column), column._meta.null)
        for column in table._meta.columns
    }


NOT_IN_ADMIN = {
    "signing_keys": "sealed private keys: nothing a member of staff reads or edits",
    "evidence_files": "file contents, downloaded per claim through the API",
    "api_keys": "machine clients' key hashes, made and revoked with `officer-cert api-keys`",
    "exchange_changes": "the exchange feed's log, written by triggers, read by the feed",
    "feedback_forms": "one-time form tokens of the public, hashed; nothing to read",
    "training_plans": "set and read through the API (PUT/GET /agencies/{id}/training-plan)",
    "notification_channels": "sealed secrets: set with the form 通知渠道 or PUT .../channels",
    "notification_outbox": "the worker's queue: read with GET /api/v1/notifications",
    "notification_deliveries": "the worker's log of each try, kept for operators",
    "typed_code_failures": "a counter of wrong typed check-in codes per officer and session",
    "offline_scans": "the nonces of uploaded offline scans; the attendance is in the admin",
    "hour_years": "sums of the hours ledger kept by triggers; the ledger is in the admin",
    "hour_months": "sums of the hours ledger kept by triggers; the ledger is in the admin",
}


async def test_every_table_of_the_migrations_is_mirrored_column_for_column(
    world: World,
) -> None:
    await issued_certificate(world)  # rows in most tables, so reading converts values
    assert await models_with_rows() >= 8
    models = tortoise_models()
    mirrored = {table._meta.tablename: table for table in MIRRORED}
    assert set(mirrored) == set(models) - set(NOT_IN_ADMIN)
    for name, table in mirrored.items():
        assert mirror_columns(table) == tortoise_columns(models[name]), name
        rows = await table.select(*table._meta.columns).run()
        assert len(rows) == await models[name].all().count(), name
