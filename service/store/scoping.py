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

RowT = TypeVar("RowT", bound=Model)


def scope_of(account: Account, region: Region | None) -> Scope:
    """The jurisdiction an account's role and assignment give it."""
    if account.agency_id is not None:  # type: ignore[attr-defined]
        return Scope(agency_id=account.agency_id)  # type: ignore[attr-defined]
    if region is not None:
        return Scope(region_prefix=region_prefix(region.code, region.level))
    return Scope()


# Per model: the field naming the agency a row belongs to, and the one naming its region.
_PATHS: dict[type[Model], tuple[str, str]] = {
    Region: ("agencies__id", "code"),
    Agency: ("id", "region_id"),
    Officer: ("agency_id", "agency__region_id"),
    Certificate: ("officer__agency_id", "officer__agency__region_id"),
    AnnualReviewResult: (
        "certificate__officer__agency_id",
        "certificate__officer__agency__region_id",
    ),
    TrainingSession: ("organiser_agency_id", "organiser_agency__region_id"),
    ExternalClaim: ("officer__agency_id", "officer__agency__region_id"),
}


def visible(principal: Principal, model: type[RowT]) -> QuerySet[RowT]:
    """Rows of `model` inside the principal's jurisdiction: one agency, a region's code
    prefix, or everything."""
    agency_field, region_field = _PATHS[model]
    scope = principal.scope
    if scope.agency_id is not None:
        return model.filter(**{agency_field: scope.agency_id})
    if scope.region_prefix is not None:
        return model.filter(**{f"{region_field}__startswith": scope.region_prefix})
    return model.all()


def regions_visible(principal: Principal) -> QuerySet[Region]:
    return visible(principal, Region)


def agencies_visible(principal: Principal) -> QuerySet[Agency]:
    return visible(principal, Agency)


def officers_visible(principal: Principal) -> QuerySet[Officer]:
    return visible(principal, Officer)


def certificates_visible(principal: Principal) -> QuerySet[Certificate]:
    return visible(principal, Certificate)


def review_results_visible(principal: Principal) -> QuerySet[AnnualReviewResult]:
    return visible(principal, AnnualReviewResult)


def sessions_visible(principal: Principal) -> QuerySet[TrainingSession]:
    return visible(principal, TrainingSession)


def claims_visible(principal: Principal) -> QuerySet[ExternalClaim]:
    return visible(principal, ExternalClaim)
