"""The imports there are, as the adapters offer them (the API, the CLI, the admin's upload
page): each with its columns (API name and Chinese header), every header accepted, and
the use case that runs it."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from service.domain.access import Principal
from service.usecases import officer_import, record_import
from service.usecases.certificates import importing as certificate_import
from service.usecases.imports import ImportReport, Progress, Upload
from service.usecases.services import Services


class Run(Protocol):
    """The signature every import use case has."""

    def __call__(
        self,
        services: Services,
        principal: Principal,
        upload: Upload,
        *,
        atomic: bool,
        progress: Progress | None = None,
    ) -> Awaitable[ImportReport]: ...


@dataclass(frozen=True, slots=True)
class ImportKind:
    name: str  # in paths and commands: officers, certificates, hours, exams
    title: str  # 中文, as the admin shows it
    columns: dict[str, str]  # field -> Chinese header
    headers: dict[str, str]  # every accepted header -> field
    run: Run
    hint: str  # 中文: what a row does, for the upload page
    unit: str  # 中文: the counter word of what a row makes (人, 本, 条)


KINDS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in (
        ImportKind(
            "officers",
            "执法人员",
            officer_import.COLUMNS,
            officer_import.HEADERS,
            officer_import.import_officers,
            "按身份证号新增或更新人员。人员类别可填 公务员、参公管理人员、事业编制人员 等；"
            "在岗填 是/否。",
            "人",
        ),
        ImportKind(
            "certificates",
            "执法证（既有证件）",
            certificate_import.COLUMNS,
            certificate_import.HEADERS,
            certificate_import.import_certificates,
            "导入本系统启用前已核发的执法证，证号按原样保留；人员须已导入。执法类别以“、”或“;”分隔；"
            "状态可填 有效、暂扣、已吊销、已注销、已过期。同一文件重复导入不会重复建证。",
            "本",
        ),
        ImportKind(
            "hours",
            "培训学时",
            record_import.HOUR_COLUMNS,
            record_import.HOUR_HEADERS,
            record_import.import_hours,
            "导入其他平台或培训单位（党校、行业部门、网络学院）记录的学时；类别可填 公共法律知识、"
            "业务知识和行政执法技能、政治理论。同一人、日期、培训名称和组织单位的记录只计一次。",
            "条",
        ),
        ImportKind(
            "exams",
            "考试成绩",
            record_import.EXAM_COLUMNS,
            record_import.EXAM_HEADERS,
            record_import.import_exams,
            "导入综合法律知识、专业法律知识考试成绩（0–100 分）。"
            "同一人、类别、日期的成绩只记一次。",
            "条",
        ),
    )
}
