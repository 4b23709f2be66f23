"""The yearly report of enforcement training and certificate work (行政执法工作年度报告):
per agency and in total, over the caller's jurisdiction or one region in it.

Where each figure comes from:
- officers in post, trained at all (全员轮训) and compliant, and the hours per category:
  the compliance report's rows (in-post officers, the requirement of their region);
- holders: in-post officers with a certificate in force at the year's end (or today, for
  the running year), suspended ones included;
- sessions held and attendances: sessions the agency organised that started in the year
  and were not cancelled, and the attendances recorded at them (whoever attended);
- certificates issued, suspended, revoked, cancelled and reissued: the events of the year
  on the holders' chains (an agency's are those of its officers today); a certificate
  taken in by import counts as issued in the year of its issue date;
- the annual review: the year's results; complaints and praise: received in the year,
  complaints resolved in the year;
- the training plan (年度学习培训计划) per category against the sessions held.

A few grouped queries whatever the number of agencies; the officers' hours are read in
slices, as the compliance report reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from service.domain.access import Principal
from service.domain.events import EventAction
from service.domain.feedback import FeedbackKind
from service.domain.hours import HourCategory
from service.domain.organisation import region_prefix
from service.store import annual_figures as figures_of
from service.store.annual_figures import Scope, Window
from service.store.models import Account, Agency
from service.store.scoping import agencies_visible
from service.usecases.regions import region_in_scope
from service.usecases.reports import KEYS, compliance_rows
from service.usecases.services import Services

# The lifecycle's events the report counts, by the figure they count in.
_COUNTED = {
    EventAction.ISSUE: "issued",
    EventAction.SUSPEND: "suspended",
    EventAction.REVOKE: "revoked",
    EventAction.CANCEL: "cancelled",
    EventAction.REISSUE: "reissued",
}


@dataclass(slots=True)
class PlanLine:
    """One category of an agency's year: planned and held sessions and hours (tenths)."""

    planned_sessions: int = 0
    planned_tenths: int = 0
    held_sessions: int = 0
    held_tenths: int = 0

    def add(self, other: PlanLine) -> None:
        for name in _PLAN_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


_PLAN_FIELDS = [f.name for f in fields(PlanLine)]


def _no_hours() -> dict[str, int]:
    return dict.fromkeys(KEYS, 0)


def _no_plan() -> dict[HourCategory, PlanLine]:
    return {category: PlanLine() for category in HourCategory}


@dataclass(slots=True)
class Figures:
    """An agency's year, or the sum of several."""

    officers_in_post: int = 0
    holders: int = 0
    trained: int = 0  # in post, with any hours in the year
    compliant: int = 0
    sessions_held: int = 0
    attendances: int = 0
    issued: int = 0
    suspended: int = 0
    revoked: int = 0
    cancelled: int = 0
    reissued: int = 0
    review_passed: int = 0
    review_failed: int = 0
    complaints_received: int = 0
    complaints_resolved: int = 0
    praise_received: int = 0
    hours: dict[str, int] = field(default_factory=_no_hours)  # tenths, per category, total
    plan: dict[HourCategory, PlanLine] = field(default_factory=_no_plan)

    @property
    def coverage(self) -> float | None:
        """The share of officers in post trained at all (全员轮训); None for none."""
        return self.trained / self.officers_in_post if self.officers_in_post else None

    @property
    def compliance(self) -> float | None:
        return self.compliant / self.officers_in_post if self.officers_in_post else None

    def add(self, other: Figures) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, tenths in other.hours.items():
            self.hours[key] += tenths
        for category, line in other.plan.items():
            self.plan[category].add(line)


COUNTS = [f.name for f in fields(Figures) if f.name not in ("hours", "plan")]


@dataclass(frozen=True, slots=True)
class AgencyYear:
    agency_id: int
    agency_name: str
    region_code: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class AnnualReport:
    year: int
    region_code: str | None  # the region asked for; None: the whole jurisdiction
    scope_name: str  # the region's, the agency's or 全部辖区: the report's title says it
    as_of: date  # the year's last day, or today while the year runs
    generated_at: datetime
    agencies: list[AgencyYear]
    total: Figures


async def annual_report(
    services: Services, principal: Principal, year: int, *, region_code: str | None = None
) -> AnnualReport:
    """Raises InvalidInput (`report.bad_year`, `report.bad_region`), Forbidden."""
    # The compliance rows check the role, the year and the region before anything is read.
    rows = await compliance_rows(services, principal, year, region_code=region_code)
    prefix: str | None = None
    if region_code is not None:
        region = await region_in_scope(principal, region_code, error_code="report.bad_region")
        prefix = region_prefix(region.code, region.level)
        scope_name = region.name
    else:
        scope_name = await _jurisdiction_name(principal)
    window = Window(year, services.today(), services.now())

    agencies = agencies_visible(principal)
    if prefix is not None:
        agencies = agencies.filter(region_id__startswith=prefix)
    listed = await agencies.order_by("region_id", "id").values("id", "name", "region_id")
    by_agency: dict[int, Figures] = {int(a["id"]): Figures() for a in listed}

    def figures(agency_id: Any) -> Figures:
        # A row of an agency outside the list cannot come (the queries are scoped as the
        # list is); a stray one is kept apart rather than added to a listed agency.
        return by_agency.get(int(agency_id)) or Figures()

    async for row in rows:
        into = figures(row.agency_id)
        into.officers_in_post += 1
        into.trained += row.trained
        into.compliant += row.compliant
        for key in KEYS:
            into.hours[key] += row.earned[key]

    scope = Scope(principal, prefix)
    for agency_id, holders in await figures_of.holders(scope, window):
        figures(agency_id).holders = int(holders)
    for agency_id, action, count in await figures_of.lifecycle(scope, window, _COUNTED):
        into = figures(agency_id)
        name = _COUNTED[EventAction(action)]
        setattr(into, name, getattr(into, name) + int(count))
    for agency_id, count in await figures_of.imported(scope, window):
        figures(agency_id).issued += int(count)
    for agency_id, passed, count in await figures_of.reviews(scope, year):
        into = figures(agency_id)
        if passed:
            into.review_passed += int(count)
        else:
            into.review_failed += int(count)
    for agency_id, kind, count in await figures_of.feedback_received(scope, window):
        into = figures(agency_id)
        if kind == FeedbackKind.COMPLAINT:
            into.complaints_received += int(count)
        else:
            into.praise_received += int(count)
    for agency_id, count in await figures_of.complaints_resolved(scope, window):
        figures(agency_id).complaints_resolved += int(count)
    held = figures_of.held(scope, window)
    for agency_id, category, sessions, tenths in await figures_of.sessions(held):
        into = figures(agency_id)
        into.sessions_held += int(sessions)
        line = into.plan[HourCategory(category)]
        line.held_sessions += int(sessions)
        line.held_tenths += int(tenths or 0)
    for agency_id, count in await figures_of.attendances(held):
        figures(agency_id).attendances += int(count)
    for agency_id, items in await figures_of.plans(agencies, year):
        into = figures(agency_id)
        for item in items:
            line = into.plan[HourCategory(item["category"])]
            line.planned_sessions += int(item["sessions"])
            line.planned_tenths += int(item["tenths"])

    report_rows = [
        AgencyYear(int(a["id"]), str(a["name"]), str(a["region_id"]), by_agency[int(a["id"])])
        for a in listed
    ]
    return AnnualReport(
        year=year,
        region_code=region_code,
        scope_name=scope_name,
        as_of=window.as_of,
        generated_at=services.now(),
        agencies=report_rows,
        total=total_of(r.figures for r in report_rows),
    )


def total_of(figures: Iterable[Figures]) -> Figures:
    total = Figures()
    for one in figures:
        total.add(one)
    return total


async def _jurisdiction_name(principal: Principal) -> str:
    if principal.scope.agency_id is not None:
        agency = await Agency.get_or_none(id=principal.scope.agency_id)
        return agency.name if agency else "本单位"
    if principal.scope.region_prefix is not None:
        names = await Account.filter(id=principal.account_id).values_list("region__name", flat=True)
        return str(names[0]) if names and names[0] else "本辖区"
    return "全部辖区"
