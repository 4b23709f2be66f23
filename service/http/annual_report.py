"""`GET /api/v1/reports/annual`: the annual report (行政执法工作年度报告) as JSON, XLSX or
an A4 PDF."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery
from litestar.response import Response

from service.documents import annual_pdf
from service.documents import annual_report as annual_documents
from service.documents.annual_report import AnnualReportOut, ReportFormat, annual_report_out
from service.usecases import annual_report
from service.web.deps import ServicesDep, StaffDep
from service.web.openapi import also_answers
from service.web.params import OptionalRegionCode, QueryYear


@get(
    "/api/v1/reports/annual",
    tags=["reports"],
    summary="The annual report (行政执法工作年度报告), per agency and in total",
    responses={200: ResponseSpec(AnnualReportOut, description="The report (JSON).")},
    operation_class=also_answers(
        annual_documents.MEDIA_TYPES[ReportFormat.XLSX],
        annual_documents.MEDIA_TYPES[ReportFormat.PDF],
    ),
)
async def annual(
    staff: StaffDep,
    services: ServicesDep,
    year: QueryYear,
    region_code: OptionalRegionCode = None,
    format: FromQuery[ReportFormat] = ReportFormat.JSON,
) -> Response[bytes]:
    """The year's training and certificate work over the caller's jurisdiction (or one
    region in it), per agency and in total: officers in post, holders, trained at all
    (coverage) and compliant, hours per category, sessions held and attendances,
    certificates issued, suspended, revoked, cancelled and reissued (from the events),
    annual review passed and failed, complaints received and resolved, praise, and the
    training plan per category against the sessions held. `total` is the sum of the
    rows. XLSX has one sheet per table, each ending with its 合计 row; PDF is an A4
    document in Chinese with the tables and two charts. The running year is reported
    up to today (`as_of`)."""
    report = await annual_report.annual_report(services, staff, year, region_code=region_code)
    if format is ReportFormat.JSON:
        content = msgspec.json.encode(annual_report_out(report))
        return Response(content, media_type=annual_documents.MEDIA_TYPES[format])
    if format is ReportFormat.XLSX:
        content = annual_documents.workbook(report)
    else:
        content = await annual_pdf.pdf(report, services.settings.card_font)
    name = annual_documents.file_name(report, format)
    return Response(
        content,
        media_type=annual_documents.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
