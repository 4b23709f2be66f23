"""Forms of the certificate lifecycle, exams and the annual review (group 证件)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

from piccolo_admin.endpoints import FormConfig, FormResponse
from pydantic import BaseModel, Field

from admin.forms.base import download, form, labelled, unlabel
from service.documents.spreadsheets import XLSX, review_workbook
from service.domain.access import Principal
from service.domain.certificates import CancelReason
from service.domain.labels import label
from service.domain.people import ExamKind
from service.store.models import Certificate
from service.usecases.annual_review import run_annual_review
from service.usecases.certificates import custody, lifecycle
from service.usecases.certificates.queries import find_certificate_id
from service.usecases.records import NewExam, record_exam
from service.usecases.services import Services

GROUP = "证件"
CancelChoice = labelled(CancelReason)
ExamChoice = labelled(ExamKind)
CERTIFICATE = Field(title="证件（证号，或证件列表中的 ID）", min_length=1, max_length=40)
REASON = Field(title="原因", min_length=1, max_length=500)


class ApplyForm(BaseModel):
    officer_id: int = Field(title="执法人员 ID", gt=0)
    enforcement_area: str = Field(title="执法区域", min_length=1, max_length=200)
    enforcement_categories: str = Field(title="执法类别（多个用顿号或逗号分隔）", min_length=1)


class CertificateForm(BaseModel):
    certificate: str = CERTIFICATE


class SuspendForm(BaseModel):
    certificate: str = CERTIFICATE
    reason: str = REASON
    until: date | None = Field(default=None, title="暂扣至（可不填）")


class ReasonForm(BaseModel):
    certificate: str = CERTIFICATE
    reason: str = REASON


class CancelForm(BaseModel):
    certificate: str = CERTIFICATE
    reason: CancelChoice = Field(title="注销原因")  # type: ignore[valid-type]
    note: str = Field(default="", title="说明（原因为“其他”时必填）", max_length=500)


class CardReturnedForm(BaseModel):
    certificate: str = CERTIFICATE
    returned_on: date = Field(title="收回日期")
    note: str = Field(default="", title="说明（可不填）", max_length=500)


class ExamForm(BaseModel):
    officer_id: int = Field(title="执法人员 ID", gt=0)
    kind: ExamChoice = Field(title="考试类别")  # type: ignore[valid-type]
    score: Decimal = Field(title="成绩", ge=0, le=100, decimal_places=1)
    taken_on: date = Field(title="考试日期")


class ReviewForm(BaseModel):
    year: int = Field(title="年审年度（上一年度）", ge=2000, le=2100)
    region_code: str = Field(title="区划代码", pattern=r"^\d{6}(\d{3})?$")
    dry_run: bool = Field(default=True, title="试运行（不写入，只导出结果）")


def _categories(text: str) -> list[str]:
    for separator in "、，；;":
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


async def _apply(services: Services, principal: Principal, data: ApplyForm) -> FormResponse:
    new = lifecycle.NewCertificate(
        data.officer_id, data.enforcement_area, _categories(data.enforcement_categories)
    )
    certificate = await lifecycle.apply_for_certificate(services, principal, new)
    return f"已提交申领（证件 ID {certificate.id}），待司法局审核发证。"


def _command(
    run: Callable[..., Awaitable[Certificate]],
    done: Callable[[Certificate], str],
    convert: Callable[[dict[str, Any]], dict[str, Any]] = dict,
) -> Callable[[Services, Principal, Any], Awaitable[FormResponse]]:
    """A form naming a certificate (by number or id) that runs a lifecycle command with
    the form's other fields; `done` says what happened, formatted with the certificate
    the command answers (for a reissue, the new one)."""

    async def action(services: Services, principal: Principal, data: Any) -> FormResponse:
        certificate_id = await find_certificate_id(principal, data.certificate)
        fields = convert(data.model_dump(exclude={"certificate"}))
        return done(await run(services, principal, certificate_id, **fields))

    return action


def _cancel_reason(fields: dict[str, Any]) -> dict[str, Any]:
    return {**fields, "reason": unlabel(CancelReason, fields["reason"])}


_issue = _command(
    lifecycle.issue_certificate, lambda c: f"已发证，证号 {c.number}，有效期至 {c.valid_until}。"
)
_suspend = _command(lifecycle.suspend_certificate, lambda c: f"证件 {c.number} 已暂扣。")
_reinstate = _command(lifecycle.reinstate_certificate, lambda c: f"证件 {c.number} 已恢复有效。")
_revoke = _command(lifecycle.revoke_certificate, lambda c: f"证件 {c.number} 已吊销。")
_cancel = _command(
    lifecycle.cancel_certificate,
    lambda c: f"证件 {c.number or c.id} 已注销。",  # an application has no number yet
    _cancel_reason,
)
_reissue = _command(
    lifecycle.reissue_certificate, lambda c: f"已补换发，新证号 {c.number}；原证件已作废。"
)


async def _card_returned(
    services: Services, principal: Principal, data: CardReturnedForm
) -> FormResponse:
    certificate_id = await find_certificate_id(principal, data.certificate)
    done = await custody.record_card_returned(
        services, principal, certificate_id, data.returned_on, data.note
    )
    return f"已登记证件 {done.number} 于 {done.card_returned_on} 收回。"


async def _exam(services: Services, principal: Principal, data: ExamForm) -> FormResponse:
    new = NewExam(unlabel(ExamKind, data.kind), data.score, data.taken_on)
    exam = await record_exam(services, principal, data.officer_id, new)
    return f"已录入{label(exam.kind)}考试成绩 {exam.score} 分。"


async def _review(services: Services, principal: Principal, data: ReviewForm) -> FormResponse:
    run = await run_annual_review(
        services, principal, data.year, data.region_code, dry_run=data.dry_run
    )
    kind = "dry-run" if run.dry_run else "results"
    return download(
        review_workbook(run), f"annual-review-{run.year}-{run.region_code}-{kind}.xlsx", XLSX
    )


def certificate_forms() -> list[FormConfig]:
    def make(slug: str, name: str, model: type, action: object, description: str) -> FormConfig:
        return form(slug, name, model, action, group=GROUP, description=description)  # type: ignore[arg-type]

    return [
        make("apply", "申领证件", ApplyForm, _apply, "代执法人员提交申领，须符合全部发证条件。"),
        make("issue", "审核发证", CertificateForm, _issue, "司法局审核通过，分配证号并生效。"),
        make("suspend", "暂扣证件", SuspendForm, _suspend, "暂扣有效证件，须写明原因。"),
        make("reinstate", "恢复证件", ReasonForm, _reinstate, "整改后恢复被暂扣的证件。"),
        make("revoke", "吊销证件", ReasonForm, _revoke, "吊销后两年内不得重新申领。"),
        make("cancel", "注销证件", CancelForm, _cancel, "退休、调离、辞职、辞退、死亡等。"),
        make(
            "reissue",
            "补换发证件",
            ReasonForm,
            _reissue,
            "遗失、损坏或信息变更：原证作废，发新证号。",
        ),
        make(
            "card-returned",
            "收回证件",
            CardReturnedForm,
            _card_returned,
            "暂扣、吊销、注销或补换发后，登记收回的实体证件（待收回清单见报表）。",
        ),
        make("exam", "录入考试成绩", ExamForm, _exam, "综合法律知识或专业法律知识考试成绩。"),
        make(
            "annual-review",
            "年审",
            ReviewForm,
            _review,
            "按区划年审；试运行不写入，均导出 XLSX 结果。",
        ),
    ]
