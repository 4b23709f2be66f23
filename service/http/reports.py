"""`GET /api/v1/reports/compliance`: the yearly compliance report as JSON, CSV or XLSX,
streamed: rows go out as they are read, so memory does not grow with the officers."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Stream

from service.domain.reminders import Reminder, ReminderKind
from service.domain.requirements import TOTAL, missing
from service.http import charts
from service.http.deps import ServicesDep, StaffDep
from service.http.spreadsheets import COMPLIANCE_HEADER, XLSX, compliance_cells, write_compliance
from service.usecases import dashboard as dashboards
from service.usecases import reminders
from service.usecases.reports import KEYS, ComplianceRow, Summary, Totals, compliance_rows

CHUNK = 256 * 1024


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class RowOut(msgspec.Struct):
    officer_id: int
    name: str
    agency_id: int
    agency_name: str
    region_code: str
    required: dict[str, float]
    earned: dict[str, float]
    short: dict[str, float]
    compliant: bool
    trained: bool


class TotalsOut(msgspec.Struct):
    officers: int
    compliant: int
    compliance_rate: float | None
    untrained: int  # officers with no hours at all this year (轮训 not reached)
    earned_hours: float


class AgencyTotalsOut(TotalsOut):
    agency_id: int = 0
    agency_name: str = ""


class RegionTotalsOut(TotalsOut):
    region_code: str = ""


def _hours(values: dict[str, int]) -> dict[str, float]:
    return {key: values[key] / 10 for key in KEYS}


def row_out(row: ComplianceRow) -> RowOut:
    return RowOut(
        officer_id=row.officer_id,
        name=row.name,
        agency_id=row.agency_id,
        agency_name=row.agency_name,
        region_code=row.region_code,
        required=_hours(row.required),
        earned=_hours(row.earned),
        short=_hours(row.short),
        compliant=row.compliant,
        trained=row.trained,
    )


def _totals(group: Totals) -> dict[str, object]:
    return {
        "officers": group.officers,
        "compliant": group.compliant,
        "compliance_rate": None if group.rate is None else round(group.rate, 4),
        "untrained": group.untrained,
        "earned_hours": group.earned / 10,
    }


async def json_chunks(year: int, rows: AsyncIterator[ComplianceRow]) -> AsyncIterator[bytes]:
    """`{"year", "officers": [...], "untrained": [ids], "totals": {...}}`, row by row."""
    encode = msgspec.json.Encoder().encode
    summary = Summary()
    untrained: list[int] = []
    buffer = bytearray(b'{"year":%d,"officers":[' % year)
    first = True
    async for row in rows:
        summary.add(row)
        if not row.trained:
            untrained.append(row.officer_id)
        buffer += (b"" if first else b",") + encode(row_out(row))
        first = False
        if len(buffer) >= CHUNK:
            yield bytes(buffer)
            buffer.clear()
    totals = {
        "agencies": [
            AgencyTotalsOut(**_totals(group), agency_id=agency_id, agency_name=name)  # type: ignore[arg-type]
            for (agency_id, name), group in sorted(summary.by_agency.items())
        ],
        "regions": [
            RegionTotalsOut(**_totals(group), region_code=code)  # type: ignore[arg-type]
            for code, group in sorted(summary.by_region.items())
        ],
        "overall": TotalsOut(**_totals(summary.overall)),  # type: ignore[arg-type]
    }
    buffer += b'],"untrained":' + encode(untrained) + b',"totals":' + encode(totals) + b"}"
    yield bytes(buffer)


async def csv_chunks(rows: AsyncIterator[ComplianceRow]) -> AsyncIterator[bytes]:
    """UTF-8 with a BOM, so Excel opens the Chinese correctly; CRLF line ends."""
    text = io.StringIO()
    writer = csv.writer(text)
    text.write("\ufeff")
    writer.writerow(COMPLIANCE_HEADER)
    async for row in rows:
        writer.writerow(compliance_cells(row))
        if text.tell() >= CHUNK:
            yield text.getvalue().encode()
            text.seek(0)
            text.truncate()
    yield text.getvalue().encode()


async def xlsx_chunks(year: int, rows: AsyncIterator[ComplianceRow]) -> AsyncIterator[bytes]:
    """The workbook is written to a temporary file as rows come (openpyxl's write-only
    mode), then sent in chunks and removed."""
    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        await write_compliance(year, rows, name)
        with open(name, "rb") as workbook:  # noqa: ASYNC230 - chunks of a local file
            while chunk := await asyncio.to_thread(workbook.read, CHUNK):
                yield chunk
    finally:
        os.unlink(name)


class ReminderOut(msgspec.Struct):
    kind: ReminderKind
    level: str  # amber: the deadline is near; red: it has passed
    deadline: date
    message: str


class AlertOut(ReminderOut):
    officer_id: int = 0
    officer_name: str = ""
    agency_name: str = ""
    certificate_id: int | None = None
    number: str | None = None


class AlertsOut(msgspec.Struct):
    counts: dict[str, dict[str, int]]  # kind -> {"amber": n, "red": n}
    alerts: list[AlertOut]


def reminder_out(reminder: Reminder) -> ReminderOut:
    return ReminderOut(reminder.kind, str(reminder.level), reminder.deadline, reminder.message)


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
    charts: dict[str, str]  # name -> SVG


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

    @get("/dashboard", summary="The dashboard's figures and charts (SVG) for a year")
    async def dashboard(
        self, staff: StaffDep, services: ServicesDep, year: FromQuery[int | None] = None
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
                    missing(r.short) / 10,
                    r.earned[TOTAL] / 10,
                )
                for r in board.most_short
            ],
            charts={
                "compliance": charts.compliance_chart(board),
                "months": charts.months_chart(board),
                "statuses": charts.statuses_chart(board),
            },
        )

    @get("/compliance", summary="Yearly hours compliance, per officer, with totals")
    async def compliance(
        self,
        staff: StaffDep,
        services: ServicesDep,
        year: FromQuery[int],
        region_code: FromQuery[str | None] = None,
        agency_id: FromQuery[int | None] = None,
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
        name = f"compliance-{year}-{scope}.{format}"
        if format is Format.JSON:
            return Stream(json_chunks(year, rows), media_type="application/json")
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        if format is Format.CSV:
            return Stream(
                csv_chunks(rows), media_type="text/csv; charset=utf-8", headers=disposition
            )
        return Stream(xlsx_chunks(year, rows), media_type=XLSX, headers=disposition)
