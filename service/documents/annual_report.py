"""The annual report (行政执法工作年度报告) as documents: its JSON (the API's and the
CLI's), its tables, an XLSX with one sheet per table, and an A4 PDF in Chinese with the
tables and two charts, ready to print.

The XLSX and the PDF are drawn from the same `tables`, so they always say the same; each
table ends with a 合计 row that is the sum of the rows above it (rates are computed on the
sums, never summed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import msgspec
from openpyxl import Workbook

from service.clock import SHANGHAI
from service.documents.spreadsheets import XLSX, new_sheet, row_of, saved
from service.domain.hours import HourCategory, as_hours, hours_of
from service.domain.labels import label
from service.domain.requirements import TOTAL
from service.usecases import annual_report
from service.usecases.annual_report import AnnualReport, Figures, PlanLine

PDF = "application/pdf"


class ReportFormat(StrEnum):
    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"


MEDIA_TYPES = {
    ReportFormat.JSON: "application/json",
    ReportFormat.XLSX: XLSX,
    ReportFormat.PDF: PDF,
}

Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class ReportTable:
    """One table of the report: its title, header, a row per agency (or agency and
    category) and the 合计 row."""

    title: str
    header: list[str]
    widths: list[int]  # in characters, for the spreadsheet; the PDF scales them
    rows: list[list[Cell]]
    total: list[Cell]


def title_of(report: AnnualReport) -> str:
    return f"{report.scope_name}{report.year}年度行政执法工作年度报告"


def file_name(report: AnnualReport, fmt: ReportFormat) -> str:
    return f"annual-report-{report.year}-{report.region_code or 'all'}.{fmt}"


def percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


CATEGORIES = list(HourCategory)
PEOPLE_HEADER = [
    "在岗人数", "持证人数", "参训人数", "轮训覆盖率（%）", "学时达标人数", "达标率（%）",
    "举办培训（场）", "参训人次",
]  # fmt: skip


def tables(report: AnnualReport) -> list[ReportTable]:
    def per_agency(
        title: str, header: list[str], widths: list[int], cells: Callable[[Figures], list[Cell]]
    ) -> ReportTable:
        rows = [[a.agency_name, *cells(a.figures)] for a in report.agencies]
        return ReportTable(
            title, ["单位", *header], [30, *widths], rows, ["合计", *cells(report.total)]
        )

    def people(f: Figures) -> list[Cell]:
        return [
            f.officers_in_post, f.holders, f.trained, percent(f.coverage),
            f.compliant, percent(f.compliance), f.sessions_held, f.attendances,
        ]  # fmt: skip

    def hours(f: Figures) -> list[Cell]:
        return [as_hours(f.hours[str(c)]) for c in CATEGORIES] + [as_hours(f.hours[TOTAL])]

    def certificates(f: Figures) -> list[Cell]:
        return [
            f.issued, f.suspended, f.revoked, f.cancelled, f.reissued,
            f.review_passed, f.review_failed,
        ]  # fmt: skip

    def feedback(f: Figures) -> list[Cell]:
        return [f.complaints_received, f.complaints_resolved, f.praise_received]

    return [
        per_agency(
            "人员与培训",
            PEOPLE_HEADER,
            [10, 10, 10, 14, 12, 10, 14, 10],
            people,
        ),
        per_agency(
            "学时",
            [f"{label(c)}（学时）" for c in CATEGORIES] + ["合计（学时）"],
            [16] * (len(CATEGORIES) + 1),
            hours,
        ),
        per_agency(
            "证件与年审",
            ["发证", "暂扣", "吊销", "注销", "补发", "年审通过", "年审未通过"],
            [8, 8, 8, 8, 8, 10, 10],
            certificates,
        ),
        per_agency("投诉与表扬", ["收到投诉", "办结投诉", "收到表扬"], [10, 10, 10], feedback),
        _plan_table(report),
    ]


def _plan_line(line: PlanLine) -> list[Cell]:
    return [
        line.planned_sessions, line.held_sessions,
        as_hours(line.planned_tenths), as_hours(line.held_tenths),
    ]  # fmt: skip


def _plan_table(report: AnnualReport) -> ReportTable:
    rows: list[list[Cell]] = []
    for agency in report.agencies:
        for category in CATEGORIES:
            line = agency.figures.plan[category]
            if any(_plan_line(line)):
                rows.append([agency.agency_name, label(category), *_plan_line(line)])
    everything = PlanLine()
    for line in report.total.plan.values():
        everything.add(line)
    return ReportTable(
        "培训计划执行",
        ["单位", "类别", "计划场次", "举办场次", "计划学时", "实际学时"],
        [30, 24, 10, 10, 10, 10],
        rows,
        ["合计", "", *_plan_line(everything)],
    )


# -- JSON ------------------------------------------------------------------------------


class PlanLineOut(msgspec.Struct):
    category: str
    category_label: str
    planned_sessions: int
    planned_hours: float
    held_sessions: int
    held_hours: float


class FiguresOut(msgspec.Struct):
    officers_in_post: int
    holders: int  # in post, holding a certificate in force at `as_of`
    trained: int  # in post, with any hours in the year (全员轮训)
    coverage_rate: float | None  # trained / officers_in_post
    compliant: int
    compliance_rate: float | None
    hours: dict[str, float]  # earned by the officers in post, per category and `total`
    sessions_held: int
    attendances: int
    issued: int
    suspended: int
    revoked: int
    cancelled: int
    reissued: int
    review_passed: int
    review_failed: int
    complaints_received: int
    complaints_resolved: int
    praise_received: int
    plan: list[PlanLineOut]  # per category: the training plan against the sessions held


class AgencyYearOut(FiguresOut):
    agency_id: int = 0
    agency_name: str = ""
    region_code: str = ""


class AnnualReportOut(msgspec.Struct):
    year: int
    region_code: str | None
    scope_name: str
    as_of: str
    generated_at: str
    agencies: list[AgencyYearOut]
    total: FiguresOut


def figures_out(f: annual_report.Figures) -> FiguresOut:
    counts = {name: getattr(f, name) for name in annual_report.COUNTS}
    plan = [
        PlanLineOut(
            str(category), label(category), line.planned_sessions,
            as_hours(line.planned_tenths), line.held_sessions, as_hours(line.held_tenths),
        )
        for category, line in ((c, f.plan[c]) for c in HourCategory)
    ]  # fmt: skip
    return FiguresOut(
        **counts,
        coverage_rate=f.coverage,
        compliance_rate=f.compliance,
        hours=hours_of(f.hours),
        plan=plan,
    )


def annual_report_out(report: annual_report.AnnualReport) -> AnnualReportOut:
    return AnnualReportOut(
        year=report.year,
        region_code=report.region_code,
        scope_name=report.scope_name,
        as_of=report.as_of.isoformat(),
        generated_at=report.generated_at.isoformat(),
        agencies=[
            AgencyYearOut(
                **msgspec.structs.asdict(figures_out(a.figures)),
                agency_id=a.agency_id,
                agency_name=a.agency_name,
                region_code=a.region_code,
            )
            for a in report.agencies
        ],
        total=figures_out(report.total),
    )


# -- XLSX ------------------------------------------------------------------------------


def workbook(report: AnnualReport) -> bytes:
    """One sheet per table: the header row, a row per agency, then 合计."""
    book = Workbook(write_only=True)
    for table in tables(report):
        sheet = new_sheet(book, table.title, table.header, table.widths)
        for row in table.rows:
            sheet.append(row_of(*row))
        sheet.append(row_of(*table.total))
    about = new_sheet(book, "说明", ["项目", "内容"], [16, 60])
    for row in _about(report):
        about.append(row_of(*row))
    return saved(book)


def _about(report: AnnualReport) -> list[tuple[str, str]]:
    return [
        ("报告", title_of(report)),
        ("范围", report.scope_name + (f"（{report.region_code}）" if report.region_code else "")),
        ("统计截至", report.as_of.isoformat()),
        ("生成时间", local_time(report.generated_at)),
    ]


def local_time(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
