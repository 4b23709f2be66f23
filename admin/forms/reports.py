"""Reports as forms (group 报表): the yearly compliance report as XLSX."""

from __future__ import annotations

from piccolo_admin.endpoints import FormConfig, FormResponse
from pydantic import BaseModel, Field

from admin.forms.base import download, form
from service.documents.compliance import workbook_bytes
from service.documents.spreadsheets import XLSX
from service.domain.access import Principal
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


def report_forms() -> list[FormConfig]:
    return [
        form(
            "compliance-report",
            "学时达标报表",
            ComplianceForm,
            _compliance,
            group="报表",
            description="每名在岗执法人员的应修、已修、欠缺学时，以及按单位、区划的汇总（XLSX）。",
        )
    ]
