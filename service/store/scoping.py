"""Querysets limited to what a principal may see; the jurisdiction rule in one place."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from service.domain.access import Principal, Scope
from service.domain.organisation import region_prefix
from service.store.models import Account, Agency, Officer, Region


def scope_of(account: Account, region: Region | None) -> Scope:
    """The jurisdiction an account's role and assignment give it."""
    if account.agency_id is not None:  # type: ignore[attr-defined]
        return Scope(agency_id=account.agency_id)  # type: ignore[attr-defined]
    if region is not None:
        return Scope(region_prefix=region_prefix(region.code, region.level))
    return Scope()


def regions_visible(principal: Principal) -> QuerySet[Region]:
    scope = principal.scope
    if scope.agency_id is not None:
        return Region.filter(agencies__id=scope.agency_id)
    if scope.region_prefix is not None:
        return Region.filter(code__startswith=scope.region_prefix)
    return Region.all()


def agencies_visible(principal: Principal) -> QuerySet[Agency]:
    scope = principal.scope
    if scope.agency_id is not None:
        return Agency.filter(id=scope.agency_id)
    if scope.region_prefix is not None:
        return Agency.filter(region_id__startswith=scope.region_prefix)
    return Agency.all()


def officers_visible(principal: Principal) -> QuerySet[Officer]:
    scope = principal.scope
    if scope.agency_id is not None:
        return Officer.filter(agency_id=scope.agency_id)
    if scope.region_prefix is not None:
        return Officer.filter(agency__region_id__startswith=scope.region_prefix)
    return Officer.all()
