"""XLSX files for people (openpyxl, write-only: rows go to disk as they come, so memory
stays flat however many rows there are): the shared sheet layout and the annual review's
results."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from service.usecases.annual_review import ReviewRun
from service.usecases.cleanup import Finding, Outcome

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What makes a spreadsheet read a cell as a formula (OWASP's CSV injection rule).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: object) -> object:
    """A cell as data, never as a formula: text that starts like one gets a leading `'`
    (Excel shows the text and does not run it). Numbers and other values are kept."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def row_of(*values: object) -> list[object]:
    """A row for a CSV or XLSX we produce: every text cell `as_text`."""
    return [as_text(value) for value in values]


def new_sheet(book: Workbook, title: str, header: Sequence[str], widths: Sequence[int]) -> Any:
    """A sheet with its header row, frozen below it, and column widths in characters."""
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(list(header))
    return sheet


def saved(book: Workbook) -> bytes:
    """The workbook's bytes (write-only workbooks can only be saved to a file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        book.save(path)
        return path.read_bytes()


def review_workbook(run: ReviewRun) -> bytes:
    """One row per certificate reviewed: number, name, result and every reason."""
    book = Workbook(write_only=True)
    title = f"{run.year}年度年审" + ("（试运行）" if run.dry_run else "")
    header = ["证号", "姓名", "人员 ID", "结果", "未通过原因"]
    sheet = new_sheet(book, title, header, [20, 12, 10, 16, 60])
    for outcome in run.results:
        result = "通过" if outcome.passed else "未通过（暂扣）"
        reasons = "；".join(outcome.messages)
        sheet.append(
            row_of(outcome.number, outcome.officer_name, outcome.officer_id, result, reasons)
        )
    sheet.append([])
    sheet.append(["合计", len(run.results), "通过", run.passed, "未通过", run.failed])
    sheet.append(["此前已年审", run.already_reviewed])
    return saved(book)


_OUTCOMES = {
    "cancelled": "已注销",
    "would_cancel": "拟注销（试运行）",
    "expired": "已按过期关闭",
    "refused": "未能注销",
    "not_listed": "不在清理名单",
}


def cleanup_workbook(
    year: int, found: list[Finding], outcomes: list[Outcome], dry_run: bool
) -> bytes:
    """The yearly cleanup's list, one row per certificate: who, why, and what was done."""
    book = Workbook(write_only=True)
    title = f"{year}年度资格清理" + ("（试运行）" if dry_run else "")
    header = ["证件 ID", "证号", "姓名", "单位", "状态", "清理原因", "处理结果"]
    sheet = new_sheet(book, title, header, [10, 22, 12, 28, 10, 50, 24])
    done = {o.certificate_id: o for o in outcomes}
    for f in found:
        outcome = done.get(f.certificate_id)
        result = "" if outcome is None else _OUTCOMES[outcome.outcome]
        if outcome is not None and outcome.outcome == "refused":
            result += f"：{outcome.message}"
        reasons = "；".join(r.message for r in f.reasons)
        sheet.append(
            row_of(
                f.certificate_id,
                f.number,
                f.officer_name,
                f.agency_name,
                f.status.label,
                reasons,
                result,
            )
        )
    return saved(book)
