"""Querysets limited to what a principal may see; the jurisdiction rule in one place."""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from service.domain.access import Principal, Scope
from service.domain.organisation import region_prefix
from service.store.models import (
    Account,
    Agency,
    AnnualReviewResult,
    Certificate,
    ExternalClaim,
    Officer,
    Region,
    TrainingSession,
)

M = TypeVar("M", bound=Model)


def scope_of(account: Account, region: Region | None) -> Scope:
    """The jurisdiction an account's role and assignment give it."""
    if account.agency_id is not None:  # type: ignore[attr-defined]
        return Scope(agency_id=account.agency_id)  # type: ignore[attr-defined]
    if region is not None:
        return Scope(region_prefix=region_prefix(region.code, region.level))
    return Scope()


def _within(
    principal: Principal, model: type[M], *, agency_field: str, region_field: str
) -> QuerySet[M]:
    """Rows of `model` inside the principal's jurisdiction: one agency, a region's code
    prefix, or everything."""
    scope = principal.scope
    if scope.agency_id is not None:
        return model.filter(**{agency_field: scope.agency_id})
    if scope.region_prefix is not None:
        return model.filter(**{f"{region_field}__startswith": scope.region_prefix})
    return model.all()


def regions_visible(principal: Principal) -> QuerySet[Region]:
    return _within(principal, Region, agency_field="agencies__id", region_field="code")


def agencies_visible(principal: Principal) -> QuerySet[Agency]:
    return _within(principal, Agency, agency_field="id", region_field="region_id")


def officers_visible(principal: Principal) -> QuerySet[Officer]:
    return _within(principal, Officer, agency_field="agency_id", region_field="agency__region_id")


def certificates_visible(principal: Principal) -> QuerySet[Certificate]:
    return _within(
        principal,
        Certificate,
        agency_field="officer__agency_id",
        region_field="officer__agency__region_id",
    )


def review_results_visible(principal: Principal) -> QuerySet[AnnualReviewResult]:
    return _within(
        principal,
        AnnualReviewResult,
        agency_field="certificate__officer__agency_id",
        region_field="certificate__officer__agency__region_id",
    )


def sessions_visible(principal: Principal) -> QuerySet[TrainingSession]:
    return _within(
        principal,
        TrainingSession,
        agency_field="organiser_agency_id",
        region_field="organiser_agency__region_id",
    )


def claims_visible(principal: Principal) -> QuerySet[ExternalClaim]:
    return _within(
        principal,
        ExternalClaim,
        agency_field="officer__agency_id",
        region_field="officer__agency__region_id",
    )
