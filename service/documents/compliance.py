"""The yearly compliance report as documents: a JSON, CSV or XLSX byte stream written
row by row as the rows are read, so memory does not grow with the officers."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator
from enum import StrEnum

import msgspec

from service.documents.spreadsheets import XLSX, row_of
from service.documents.xlsx_stream import Book
from service.domain.hours import HourCategory, as_hours
from service.domain.requirements import TOTAL
from service.usecases.reports import KEYS, ComplianceRow, Summary, Totals

CHUNK = 256 * 1024


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES = {
    Format.JSON: "application/json",
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: XLSX,
}


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
    return {key: as_hours(values[key]) for key in KEYS}


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
        "earned_hours": as_hours(group.earned),
    }


def chunks(fmt: Format, year: int, rows: AsyncIterator[ComplianceRow]) -> AsyncIterator[bytes]:
    """The report in `fmt`, as byte chunks of about 256 KB."""
    if fmt is Format.JSON:
        return json_chunks(year, rows)
    if fmt is Format.CSV:
        return csv_chunks(rows)
    return xlsx_chunks(year, rows)


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


_NAMES = {
    str(HourCategory.PUBLIC_LAW): "公共法律知识",
    str(HourCategory.PROFESSIONAL): "业务知识",
    str(HourCategory.POLITICAL): "政治理论",
    TOTAL: "合计",
}
HEADER = [
    "人员 ID",
    "姓名",
    "单位",
    "区划代码",
    *(f"{_NAMES[c]}应修" for c in KEYS),
    *(f"{_NAMES[c]}已修" for c in KEYS),
    *(f"{_NAMES[c]}欠缺" for c in KEYS),
    "是否达标",
    "全年未参训",
]


def cells(row: ComplianceRow) -> list[object]:
    """A report row as the sheet and the CSV show it (hours, 达标 / 未达标), every text
    cell as data (`spreadsheets.as_text`)."""
    return row_of(
        row.officer_id,
        row.name,
        row.agency_name,
        row.region_code,
        *(as_hours(row.required[c]) for c in KEYS),
        *(as_hours(row.earned[c]) for c in KEYS),
        *(as_hours(row.short[c]) for c in KEYS),
        "达标" if row.compliant else "未达标",
        "" if row.trained else "是",
    )


async def csv_chunks(rows: AsyncIterator[ComplianceRow]) -> AsyncIterator[bytes]:
    """UTF-8 with a BOM, so Excel opens the Chinese correctly; CRLF line ends."""
    text = io.StringIO()
    writer = csv.writer(text)
    text.write("\ufeff")
    writer.writerow(HEADER)
    async for row in rows:
        writer.writerow(cells(row))
        if text.tell() >= CHUNK:
            yield text.getvalue().encode()
            text.seek(0)
            text.truncate()
    yield text.getvalue().encode()


async def write_workbook(year: int, rows: AsyncIterator[ComplianceRow], path: str) -> None:
    """Sheet 1: one row per officer; sheet 2: totals per agency and region. Written as
    rows come (`xlsx_stream`): memory stays flat, and nothing is left after a failure."""
    book = Book()
    try:
        detail = book.sheet(f"{year}年度学时达标", HEADER, [10, 14, 28, 10] + [12] * 14)
        summary = Summary()
        async for row in rows:
            summary.add(row)
            detail.append(cells(row))
        header = ["单位或区划", "人数", "达标人数", "达标率", "未参训人数", "已修学时"]
        totals = book.sheet("汇总", header, [30, 8, 10, 10, 12, 12])

        def line(name: str, group: Totals) -> list[object]:
            rate = "-" if group.rate is None else f"{group.rate:.1%}"
            earned = as_hours(group.earned)
            return row_of(name, group.officers, group.compliant, rate, group.untrained, earned)

        for (_, agency), group in sorted(summary.by_agency.items()):
            totals.append(line(agency, group))
        for region, group in sorted(summary.by_region.items()):
            totals.append(line(f"区划 {region}", group))
        totals.append(line("全部", summary.overall))
    except BaseException:
        book.discard()
        raise
    await asyncio.to_thread(book.save, path)


async def xlsx_chunks(year: int, rows: AsyncIterator[ComplianceRow]) -> AsyncIterator[bytes]:
    """The workbook is written to a temporary file as rows come (openpyxl's write-only
    mode), then sent in chunks and removed."""
    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        await write_workbook(year, rows, name)
        with open(name, "rb") as workbook:  # noqa: ASYNC230 - chunks of a local file
            while chunk := await asyncio.to_thread(workbook.read, CHUNK):
                yield chunk
    finally:
        os.unlink(name)


async def workbook_bytes(year: int, rows: AsyncIterator[ComplianceRow]) -> bytes:
    """The whole workbook at once (the admin hands it over as one download)."""
    return b"".join([chunk async for chunk in xlsx_chunks(year, rows)])
