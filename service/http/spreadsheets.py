"""XLSX files for people (openpyxl, write-only: rows go to disk as they come, so memory
stays flat however many officers there are)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from service.domain.hours import HourCategory, format_tenths
from service.domain.requirements import TOTAL
from service.usecases.annual_review import ReviewRun
from service.usecases.reports import KEYS, ComplianceRow, Summary, Totals

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NAMES = {
    str(HourCategory.PUBLIC_LAW): "公共法律知识",
    str(HourCategory.PROFESSIONAL): "业务知识",
    str(HourCategory.POLITICAL): "政治理论",
    TOTAL: "合计",
}
COMPLIANCE_HEADER = [
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


def _sheet(book: Workbook, title: str, header: Sequence[str], widths: Sequence[int]) -> Any:
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(list(header))
    return sheet


def _hours(tenths: int) -> float:
    return float(format_tenths(tenths))


def compliance_cells(row: ComplianceRow) -> list[object]:
    """A report row as the sheet and the CSV show it (hours, 达标 / 未达标)."""
    return [
        row.officer_id,
        row.name,
        row.agency_name,
        row.region_code,
        *(_hours(row.required[c]) for c in KEYS),
        *(_hours(row.earned[c]) for c in KEYS),
        *(_hours(row.short[c]) for c in KEYS),
        "达标" if row.compliant else "未达标",
        "" if row.trained else "是",
    ]


async def write_compliance(year: int, rows: AsyncIterator[ComplianceRow], path: str) -> None:
    """Sheet 1: one row per officer; sheet 2: totals per agency and region."""
    book = Workbook(write_only=True)
    detail = _sheet(book, f"{year}年度学时达标", COMPLIANCE_HEADER, [10, 14, 28, 10] + [12] * 14)
    summary = Summary()
    async for row in rows:
        summary.add(row)
        detail.append(compliance_cells(row))
    header = ["单位或区划", "人数", "达标人数", "达标率", "未参训人数", "已修学时"]
    totals = _sheet(book, "汇总", header, [30, 8, 10, 10, 12, 12])

    def line(name: str, group: Totals) -> list[object]:
        rate = "-" if group.rate is None else f"{group.rate:.1%}"
        return [name, group.officers, group.compliant, rate, group.untrained, _hours(group.earned)]

    for (_, agency), group in sorted(summary.by_agency.items()):
        totals.append(line(agency, group))
    for region, group in sorted(summary.by_region.items()):
        totals.append(line(f"区划 {region}", group))
    totals.append(line("全部", summary.overall))
    book.save(path)


async def compliance_workbook(year: int, rows: AsyncIterator[ComplianceRow]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "report.xlsx")
        await write_compliance(year, rows, path)
        return await asyncio.to_thread(Path(path).read_bytes)


def review_workbook(run: ReviewRun) -> bytes:
    """One row per certificate reviewed: number, name, result and every reason."""
    book = Workbook(write_only=True)
    title = f"{run.year}年度年审" + ("（试运行）" if run.dry_run else "")
    header = ["证号", "姓名", "人员 ID", "结果", "未通过原因"]
    sheet = _sheet(book, title, header, [20, 12, 10, 16, 60])
    for outcome in run.results:
        result = "通过" if outcome.passed else "未通过（暂扣）"
        reasons = "；".join(outcome.messages)
        sheet.append([outcome.number, outcome.officer_name, outcome.officer_id, result, reasons])
    sheet.append([])
    sheet.append(["合计", len(run.results), "通过", run.passed, "未通过", run.failed])
    sheet.append(["此前已年审", run.already_reviewed])
    return _saved(book)


def _saved(book: Workbook) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        book.save(path)
        return path.read_bytes()
