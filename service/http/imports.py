"""Imports of what a bureau already has: `POST /api/v1/certificates/import`,
`/hours/import` and `/exams/import` (the officers' import is `/officers/import`).

Each takes a multipart `file` (CSV in UTF-8 or GBK, or XLSX) whose header row names the
columns by API name or in Chinese, and answers `{"rows", "created", "updated",
"unchanged", "written", "errors": [{"row", "field", "code", "message"}]}`: bad rows are
reported and the others kept, or with `atomic=true` any bad row keeps the whole file out.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from litestar import Controller, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery

from service.documents.tabular import rows_of
from service.domain.access import Principal
from service.usecases.import_kinds import KINDS
from service.usecases.imports import Upload
from service.usecases.services import Services
from service.web.deps import ServicesDep, StaffDep
from service.web.imports import ImportOut, ImportUpload, import_out

Multipart = Annotated[ImportUpload, Body(media_type=RequestEncodingType.MULTI_PART)]


async def _run(
    kind: str, data: ImportUpload, staff: Principal, services: Services, atomic: bool
) -> ImportOut:
    found = KINDS[kind]
    content = await data.file.read()
    upload = Upload(content, rows_of(content, found.headers))
    report = await found.run(services, staff, upload, atomic=atomic)
    return import_out(report)


class ImportController(Controller):
    path = "/api/v1"
    tags: ClassVar[list[str]] = ["imports"]

    @post("/certificates/import", summary="Import certificates issued before", status_code=200)
    async def certificates(
        self,
        data: Multipart,
        staff: StaffDep,
        services: ServicesDep,
        atomic: FromQuery[bool] = False,
    ) -> ImportOut:
        """Certificates a bureau issued before this service, one a row: 证号 `number`,
        身份证号 `id_number`, 姓名 `name` (checked against the officer), 发证日期
        `valid_from`, 有效期至 `valid_until` (default: the validity period), 状态 `status`
        (有效/暂扣/已吊销/已注销/已过期 or the API's values), 执法区域 `enforcement_area`,
        执法类别 `enforcement_categories` (separated by 、 or ;), 发证机关 `issuing_agency`
        (an agency's name; default the justice bureau of the officer's region), 最近年审年度
        `last_review_year`, 暂扣至 `suspended_until`.

        Numbers are kept as printed (legacy: 6 to 32 digits, capital letters, `-` and
        Chinese characters; one of this service's 16-character shape needs its check
        character) and unique across the service; the officer must be in the caller's
        jurisdiction and hold no other live certificate. A number imported already for the
        same officer is `unchanged`. Each certificate gets its status-list bit and an
        `import` event naming the file's SHA-256 and the row."""
        return await _run("certificates", data, staff, services, atomic)

    @post("/hours/import", summary="Import training hours recorded elsewhere", status_code=200)
    async def hours(
        self,
        data: Multipart,
        staff: StaffDep,
        services: ServicesDep,
        atomic: FromQuery[bool] = False,
    ) -> ImportOut:
        """Hours from other platforms or training providers, one ledger entry (source
        `import`) a row: 身份证号 `id_number`, 日期 `date`, 类别 `category` (公共法律知识 /
        业务知识和行政执法技能 / 政治理论 or the API's values), 学时 `hours` (0.1 to 100, one
        decimal), 培训名称 `title`, 组织单位 `provider`; 姓名 `name` optional, checked. An
        entry is known by officer, date, title and provider: imported again, it is
        `unchanged` and counts once."""
        return await _run("hours", data, staff, services, atomic)

    @post("/exams/import", summary="Import exam results", status_code=200)
    async def exams(
        self,
        data: Multipart,
        staff: StaffDep,
        services: ServicesDep,
        atomic: FromQuery[bool] = False,
    ) -> ImportOut:
        """Exam results, one a row: 身份证号 `id_number`, 考试类别 `kind` (综合法律知识 /
        专业法律知识, or `general_law` / `specialised`), 分数 `score` (0 to 100, one
        decimal), 考试日期 `taken_on`; 姓名 `name` optional, checked. The same exam (officer,
        kind, day) imported again is `unchanged`; with another score it is refused
        (`exam.conflicting_score`)."""
        return await _run("exams", data, staff, services, atomic)
