"""Reports as forms (group 报表): the yearly compliance report, the yearly cleanup of
qualifications (资格清理) as XLSX, and the annual report (年度报告) as PDF or XLSX."""

from __future__ import annotations

import re
from typing import Literal

from piccolo_admin.endpoints import FormConfig, FormResponse
from pydantic import BaseModel, Field

from admin.forms.base import download, form
from service.documents import annual_pdf
from service.documents import annual_report as annual_documents
from service.documents.annual_report import ReportFormat
from service.documents.compliance import workbook_bytes
from service.documents.spreadsheets import XLSX, cleanup_workbook
from service.domain.access import Principal
from service.usecases import annual_report, cleanup
from service.usecases.reports import compliance_rows
from service.usecases.services import Services


class ComplianceForm(BaseModel):
    year: int = Field(title="年度", ge=2000, le=2100)
    region_code: str | None = Field(
        default=None, title="区划代码（可不填：本辖区全部）", pattern=r"^\d{6}(\d{3})?$"
    )
    agency_id: int | None = Field(default=None, title="单位 ID（可不填）", gt=0)


async def _compliance(
    services: Services, principal: Principal, data: ComplianceForm
) -> FormResponse:
    rows = await compliance_rows(
        services,
        principal,
        data.year,
        region_code=data.region_code or None,
        agency_id=data.agency_id,
    )
    content = await workbook_bytes(data.year, rows)
    scope = data.region_code or (f"agency-{data.agency_id}" if data.agency_id else "all")
    return download(content, f"compliance-{data.year}-{scope}.xlsx", XLSX)


class CleanupForm(BaseModel):
    year: int = Field(title="清理年度", ge=2000, le=2100)
    certificate_ids: str = Field(
        default="", title="注销的证件 ID（逗号分隔；不填：名单中全部）", max_length=20_000
    )
    dry_run: bool = Field(default=True, title="试运行（不注销，只导出名单）")


async def _cleanup(services: Services, principal: Principal, data: CleanupForm) -> FormResponse:
    found = await cleanup.cleanup_list(services, principal, data.year)
    wanted = [int(part) for part in re.split(r"[,，、\s]+", data.certificate_ids) if part.isdigit()]
    ids = wanted or [f.certificate_id for f in found]
    outcomes = await cleanup.run_cleanup(services, principal, data.year, ids, dry_run=data.dry_run)
    kind = "dry-run" if data.dry_run else "done"
    content = cleanup_workbook(data.year, found, outcomes, data.dry_run)
    return download(content, f"cleanup-{data.year}-{kind}.xlsx", XLSX)


class AnnualReportForm(BaseModel):
    year: int = Field(title="年度", ge=2000, le=2100)
    region_code: str | None = Field(
        default=None, title="区划代码（可不填：本辖区全部）", pattern=r"^\d{6}(\d{3})?$"
    )
    format: Literal["pdf", "xlsx"] = Field(default="pdf", title="格式（pdf 或 xlsx）")


async def _annual(services: Services, principal: Principal, data: AnnualReportForm) -> FormResponse:
    report = await annual_report.annual_report(
        services, principal, data.year, region_code=data.region_code or None
    )
    fmt = ReportFormat(data.format)
    if fmt is ReportFormat.PDF:
        content = await annual_pdf.pdf(report, services.settings.card_font)
    else:
        content = annual_documents.workbook(report)
    name = annual_documents.file_name(report, fmt)
    return download(content, name, annual_documents.MEDIA_TYPES[fmt])


def report_forms() -> list[FormConfig]:
    return [
        form(
            "annual-report",
            "年度报告",
            AnnualReportForm,
            _annual,
            group="报表",
            description="行政执法工作年度报告：各单位及合计的在岗、持证、轮训与达标人数，"
            "各类学时，培训举办与计划执行，发证、暂扣、吊销、注销、补发，年审，投诉与表扬"
            "（A4 PDF 或 XLSX）。",
        ),
        form(
            "cleanup",
            "资格清理",
            CleanupForm,
            _cleanup,
            group="报表",
            description="列出不在岗、人员类别不符、调出辖区、重复持证、长期暂扣、过期未注销的证件；"
            "非试运行时逐一注销（XLSX 名单）。",
        ),
        form(
            "compliance-report",
            "学时达标报表",
            ComplianceForm,
            _compliance,
            group="报表",
            description="每名在岗执法人员的应修、已修、欠缺学时，以及按单位、区划的汇总（XLSX）。",
        ),
    ]
