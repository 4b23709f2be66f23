"""Reports for staff: `/api/v1/reports/alerts`, `/dashboard`, `/compliance` (the yearly
compliance report as JSON, CSV or XLSX, streamed as the rows are read), `/cards-owed`,
and `/cleanup`; `/annual` is in `annual_report`."""

from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.response import Stream

from service.documents import charts
from service.documents import compliance as compliance_report
from service.documents.compliance import Format
from service.domain.hours import as_hours
from service.domain.requirements import TOTAL, missing
from service.usecases import cleanup, reminders
from service.usecases import dashboard as dashboards
from service.usecases.certificates import custody
from service.usecases.reports import compliance_rows
from service.web.certificates import CertificateOut, certificate_out
from service.web.deps import ServicesDep, StaffDep
from service.web.openapi import also_answers
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import (
    OptionalRegionCode,
    OptionalYear,
    QueryId,
    QueryYear,
    YearField,
)
from service.web.progress import ReminderOut, reminder_out


class AlertOut(ReminderOut):
    officer_id: int = 0
    officer_name: str = ""
    agency_name: str = ""
    certificate_id: int | None = None
    number: str | None = None


class AlertsOut(msgspec.Struct):
    counts: dict[str, dict[str, int]]  # kind -> {"amber": n, "red": n}
    alerts: list[AlertOut]


class ShortOut(msgspec.Struct):
    officer_id: int
    name: str
    agency_name: str
    short_hours: float
    earned_hours: float


class DashboardOut(msgspec.Struct):
    year: int
    officers: int
    compliant: int
    untrained: int
    certificates: dict[str, int]  # by status as of today
    most_short: list[ShortOut]
    cards_owed: int  # suspended or ended certificates whose card was not taken back
    open_complaints: dict[str, int]  # per agency, complaints not yet resolved
    charts: dict[str, str]  # name -> SVG


class CleanupItemOut(msgspec.Struct):
    certificate_id: int
    number: str
    officer_id: int
    officer_name: str
    agency_name: str
    status: str
    status_label: str
    reasons: list[
        str
    ]  # not_in_post, not_eligible, outside_area, duplicate, long_suspension, lapsed
    messages: list[str]  # 中文, one per reason


class CleanupOut(msgspec.Struct):
    year: int
    items: list[CleanupItemOut]


class CleanupIn(msgspec.Struct, forbid_unknown_fields=True):
    year: YearField
    certificate_ids: Annotated[list[int], msgspec.Meta(min_length=1, max_length=5_000)]
    dry_run: bool = True


class CleanupResultOut(msgspec.Struct):
    certificate_id: int
    outcome: str  # cancelled, would_cancel, expired, refused, not_listed
    code: str | None
    message: str


class CleanupRunOut(msgspec.Struct):
    year: int
    dry_run: bool
    results: list[CleanupResultOut]


def cleanup_items(found: list[cleanup.Finding]) -> list[CleanupItemOut]:
    return [
        CleanupItemOut(
            f.certificate_id, f.number, f.officer_id, f.officer_name, f.agency_name,
            str(f.status), f.status.label, [str(r) for r in f.reasons],
            [r.message for r in f.reasons],
        )
        for f in found
    ]  # fmt: skip


class ReportController(Controller):
    path = "/api/v1/reports"
    tags: ClassVar[list[str]] = ["reports"]

    @get("/alerts", summary="Hours short, annual reviews and expiries coming up or overdue")
    async def alerts(
        self,
        staff: StaffDep,
        services: ServicesDep,
        limit: Annotated[int, QueryParameter(ge=1, le=5_000)] = 500,
    ) -> AlertsOut:
        """In the caller's jurisdiction: officers short of hours in the year's last 60 days
        (amber) and after it until that year's review deadline (red); certificates whose
        annual review or expiry is within 60 days (amber) or past (red). `counts` covers
        all of them; `alerts` lists the first `limit`, red first, then by deadline."""
        found = await reminders.alerts(services, staff, limit=limit)
        return AlertsOut(
            counts=found.counts,
            alerts=[
                AlertOut(
                    **msgspec.structs.asdict(reminder_out(a.reminder)),
                    officer_id=a.officer_id,
                    officer_name=a.officer_name,
                    agency_name=a.agency_name,
                    certificate_id=a.certificate_id,
                    number=a.number,
                )
                for a in found.items
            ],
        )

    @get("/cards-owed", summary="Cards to take back (收回): suspended or ended, not returned")
    async def cards_owed(
        self,
        staff: StaffDep,
        services: ServicesDep,
        page: PageNumber = 1,
        page_size: PageSize = 50,
    ) -> PageOut[CertificateOut]:
        """Certificates of the caller's jurisdiction that are suspended, revoked, cancelled
        or void (reissued or renewed) and whose card is still with its holder, oldest change
        first; `POST /api/v1/certificates/{id}/card-returned` takes one off the list."""
        found = await custody.cards_owed(services, staff, page=page, page_size=page_size)
        return page_out(found, lambda c: certificate_out(services, c))

    @get("/cleanup", summary="The yearly cleanup of qualifications (资格清理)")
    async def cleanup_list(
        self, staff: StaffDep, services: ServicesDep, year: QueryYear
    ) -> CleanupOut:
        """Every live certificate of the caller's jurisdiction whose holder should no
        longer hold it, with every reason: `not_in_post`, `not_eligible` (employment type),
        `outside_area` (moved to an agency outside the issuing authority's region),
        `duplicate` (another, newer live certificate), `long_suspension` (over
        CLEANUP_SUSPENSION_MONTHS), `lapsed` (expired but never closed)."""
        found = await cleanup.cleanup_list(services, staff, year)
        return CleanupOut(year, cleanup_items(found))

    @post("/cleanup", status_code=200, summary="Cancel the certificates the cleanup lists")
    async def cleanup_run(
        self, data: JSONBody[CleanupIn], staff: StaffDep, services: ServicesDep
    ) -> CleanupRunOut:
        """Cancels each chosen certificate of the cleanup list with its listed reasons,
        through the lifecycle (one event each); a lapsed one is closed as expired. A refused
        one is reported (`refused` with its code), not fatal; an id not on the list is
        `not_listed`. `dry_run` (the default) says what would happen and writes nothing."""
        results = await cleanup.run_cleanup(
            services, staff, data.year, list(data.certificate_ids), dry_run=data.dry_run
        )
        return CleanupRunOut(
            data.year,
            data.dry_run,
            [CleanupResultOut(r.certificate_id, r.outcome, r.code, r.message) for r in results],
        )

    @get("/dashboard", summary="The dashboard's figures and charts (SVG) for a year")
    async def dashboard(
        self, staff: StaffDep, services: ServicesDep, year: OptionalYear = None
    ) -> DashboardOut:
        """Compliance rate per agency, hours earned per month, certificates by status (SVG
        charts drawn by pygal), and the officers most short of hours; over the caller's
        jurisdiction. `year` defaults to this year."""
        board = await dashboards.dashboard(services, staff, year or services.today().year)
        overall = board.summary.overall
        return DashboardOut(
            year=board.year,
            officers=overall.officers,
            compliant=overall.compliant,
            untrained=overall.untrained,
            certificates={str(status): n for status, n in board.statuses.items()},
            most_short=[
                ShortOut(
                    r.officer_id,
                    r.name,
                    r.agency_name,
                    as_hours(missing(r.short)),
                    as_hours(r.earned[TOTAL]),
                )
                for r in board.most_short
            ],
            cards_owed=board.cards_owed,
            open_complaints=board.open_complaints,
            charts={
                "compliance": charts.compliance_chart(board),
                "months": charts.months_chart(board),
                "statuses": charts.statuses_chart(board),
            },
        )

    @get(
        "/compliance",
        summary="Yearly hours compliance, per officer, with totals",
        operation_class=also_answers(
            compliance_report.MEDIA_TYPES[Format.CSV], compliance_report.MEDIA_TYPES[Format.XLSX]
        ),
    )
    async def compliance(
        self,
        staff: StaffDep,
        services: ServicesDep,
        year: QueryYear,
        region_code: OptionalRegionCode = None,
        agency_id: QueryId = None,
        format: FromQuery[Format] = Format.JSON,
    ) -> Stream:
        """Every in-post officer of the caller's jurisdiction (narrowed to a region or an
        agency): required, earned and short hours per category and in total, compliant,
        and whether the officer had any training at all; then totals per agency, per
        region and overall, and the officers with no training (JSON). CSV (UTF-8 with a
        BOM) and XLSX carry the same rows; XLSX adds a sheet of totals."""
        rows = await compliance_rows(
            services, staff, year, region_code=region_code, agency_id=agency_id
        )
        scope = region_code or (f"agency-{agency_id}" if agency_id else "all")
        headers: dict[str, str] = {}
        if format is not Format.JSON:
            name = f"compliance-{year}-{scope}.{format}"
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return Stream(
            compliance_report.chunks(format, year, rows),
            media_type=compliance_report.MEDIA_TYPES[format],
            headers=headers,
        )
