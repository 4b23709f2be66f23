"""Regions and agencies."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from service.domain.organisation import AgencyKind, RegionLevel


class Region(Model):
    """An administrative region, keyed by its GB/T 2260 code."""

    code = fields.CharField(max_length=9, primary_key=True)
    name = fields.CharField(max_length=100)
    level = fields.CharEnumField(RegionLevel, max_length=16)
    parent: fields.ForeignKeyNullableRelation[Region] = fields.ForeignKeyField(
        "models.Region",
        related_name="children",
        null=True,
        on_delete=fields.RESTRICT,
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "regions"


class Agency(Model):
    """A justice bureau, a sector department or a township enforcement team."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="agencies", on_delete=fields.RESTRICT
    )
    sector = fields.CharField(max_length=2)
    kind = fields.CharEnumField(AgencyKind, max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "agencies"
        unique_together = (("region", "name"),)
