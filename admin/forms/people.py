"""Forms about officers (group 人员): changing an officer, recording an annual assessment
or a sanction. Each runs the API's use case, so the records join the officer's event log."""

from __future__ import annotations

from datetime import date

from piccolo_admin.endpoints import FormConfig, FormResponse
from pydantic import BaseModel, Field

from admin.forms.base import form, labelled, unlabel
from service.domain.access import Principal
from service.domain.labels import label
from service.domain.people import AssessmentResult, EmploymentType, SanctionKind
from service.usecases import feedback, officers, records
from service.usecases.services import Services

GROUP = "人员"
EmploymentChoice = labelled(EmploymentType)
AssessmentChoice = labelled(AssessmentResult)
SanctionChoice = labelled(SanctionKind)
OFFICER = Field(title="执法人员 ID", gt=0)


class OfficerForm(BaseModel):
    officer_id: int = OFFICER
    name: str | None = Field(default=None, title="姓名（不改则不填）", max_length=50)
    phone: str | None = Field(default=None, title="电话（不改则不填）", max_length=20)
    post: str | None = Field(default=None, title="岗位（不改则不填）", max_length=100)
    employment_type: EmploymentChoice | None = Field(default=None, title="人员类别（不改则不选）")  # type: ignore[valid-type]
    agency_id: int | None = Field(default=None, title="调入单位 ID（不改则不填）", gt=0)
    in_post: bool | None = Field(default=None, title="在岗（不改则不选）")


class AssessmentForm(BaseModel):
    officer_id: int = OFFICER
    year: int = Field(title="考核年度", ge=2000, le=2100)
    result: AssessmentChoice = Field(title="考核结果")  # type: ignore[valid-type]


class SanctionForm(BaseModel):
    officer_id: int = OFFICER
    kind: SanctionChoice = Field(title="处分种类")  # type: ignore[valid-type]
    effective_on: date = Field(title="生效日期")
    ends_on: date | None = Field(default=None, title="解除日期（不填则按法定期间）")
    reason: str = Field(default="", title="事由", max_length=500)


async def _officer(services: Services, principal: Principal, data: OfficerForm) -> FormResponse:
    changes: dict[str, object] = {
        key: value
        for key, value in data.model_dump(exclude={"officer_id"}).items()
        if value not in (None, "")
    }
    if "employment_type" in changes:
        changes["employment_type"] = unlabel(EmploymentType, data.employment_type)
    if not changes:
        raise ValueError("没有要修改的内容。")
    officer = await officers.update_officer(services, principal, data.officer_id, changes)
    return f"已更新执法人员 {officer.name}（ID {officer.id}）。"


async def _assessment(
    services: Services, principal: Principal, data: AssessmentForm
) -> FormResponse:
    result = unlabel(AssessmentResult, data.result)
    await records.record_assessment(services, principal, data.officer_id, data.year, result)
    return f"已录入 {data.year} 年度考核：{label(result)}。"


async def _sanction(services: Services, principal: Principal, data: SanctionForm) -> FormResponse:
    kind = unlabel(SanctionKind, data.kind)
    new = records.NewSanction(kind, data.effective_on, data.ends_on, data.reason)
    await records.record_sanction(services, principal, data.officer_id, new)
    return f"已录入处分：{label(kind)}（{data.effective_on} 起）。"


class ResolveFeedbackForm(BaseModel):
    feedback_id: int = Field(title="投诉表扬 ID（见“投诉与表扬”列表）", gt=0)
    outcome: str = Field(title="处理结果", min_length=1, max_length=200)
    note: str = Field(default="", title="处理说明（可不填）", max_length=1000)


async def _resolve(
    services: Services, principal: Principal, data: ResolveFeedbackForm
) -> FormResponse:
    item = await feedback.resolve_feedback(
        services, principal, data.feedback_id, data.outcome, data.note
    )
    return f"已处理 {item.reference}：{item.outcome}。"


def people_forms() -> list[FormConfig]:
    return [
        form("edit-officer", "修改执法人员", OfficerForm, _officer, group=GROUP,
             description="只改填写的项目；身份证号不能修改。"),
        form("assessment", "录入年度考核", AssessmentForm, _assessment, group=GROUP,
             description="年度考核不称职的，年审不予通过。"),
        form("sanction", "录入处分", SanctionForm, _sanction, group=GROUP,
             description="记过以上处分期间不得申领执法证，年审不予通过。"),
        form("resolve-feedback", "处理投诉表扬", ResolveFeedbackForm, _resolve, group=GROUP,
             description="登记群众投诉或表扬的处理结果，记入该人员的事件记录。"),
    ]  # fmt: skip
