"""The admin's tables as data: menu group, columns listed, filters, order, and why the
generic views may not change them (the forms, which call the use cases, do).

`table_configs()` turns the entries into Piccolo Admin's `TableConfig`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns.base import Column
from piccolo.table import Table
from piccolo_admin.endpoints import TableConfig
from piccolo_api.crud.endpoints import OrderBy

from admin import tables as t
from admin.auth import AdminAccount, AdminSession
from admin.guards import editable, read_only
from admin.hooks import rename_agency_hook

PEOPLE, CERTIFICATES, TRAINING, SYSTEM = "人员", "证件", "培训", "系统"
BY_FORM = "请使用左侧“表单”中的相应操作，以便校验规则并记录事件"
AGENCY_EDITS = "新建单位请使用 API（校验区划和行业代码）；单位不能删除，只能改名。"


@dataclass(frozen=True)
class Entry:
    table: type[Table]
    group: str
    columns: Sequence[Column]
    filters: Sequence[Column]
    guarded: str  # what the rows are, in Chinese; "" for the one editable table (agencies)
    order: Column | None = None
    ascending: bool = False
    superadmin: bool = False  # accounts, sessions, devices, number sequences
    options: dict[str, Any] = field(default_factory=dict)


MENU: tuple[Entry, ...] = (
    Entry(
        t.Officer, PEOPLE,
        [t.Officer.id, t.Officer.name, t.Officer.agency_id, t.Officer.employment_type,
         t.Officer.post, t.Officer.in_post, t.Officer.updated_at],
        [t.Officer.name, t.Officer.id_number, t.Officer.agency_id, t.Officer.employment_type,
         t.Officer.in_post],
        "人员信息", t.Officer.id, ascending=True,
    ),
    Entry(
        t.Exam, PEOPLE,
        [t.Exam.id, t.Exam.officer_id, t.Exam.kind, t.Exam.score, t.Exam.taken_on],
        [t.Exam.officer_id, t.Exam.kind, t.Exam.taken_on],
        "考试成绩", t.Exam.taken_on,
    ),
    Entry(
        t.Assessment, PEOPLE,
        [t.Assessment.id, t.Assessment.officer_id, t.Assessment.year, t.Assessment.result],
        [t.Assessment.officer_id, t.Assessment.year, t.Assessment.result],
        "年度考核", t.Assessment.year,
    ),
    Entry(
        t.Sanction, PEOPLE,
        [t.Sanction.id, t.Sanction.officer_id, t.Sanction.kind, t.Sanction.effective_on,
         t.Sanction.ends_on],
        [t.Sanction.officer_id, t.Sanction.kind, t.Sanction.effective_on],
        "处分记录", t.Sanction.effective_on,
    ),
    Entry(
        AdminAccount, PEOPLE,
        [AdminAccount.id, AdminAccount.username, AdminAccount.first_name, AdminAccount.role,
         AdminAccount.region_id, AdminAccount.agency_id, AdminAccount.active,
         AdminAccount.last_login],
        [AdminAccount.username, AdminAccount.role, AdminAccount.region_id,
         AdminAccount.agency_id, AdminAccount.active],
        "账号", AdminAccount.id, ascending=True, superadmin=True,
    ),
    Entry(
        t.Certificate, CERTIFICATES,
        [t.Certificate.id, t.Certificate.number, t.Certificate.officer_id, t.Certificate.status,
         t.Certificate.valid_until, t.Certificate.last_review_year,
         t.Certificate.issuing_agency_id],
        [t.Certificate.number, t.Certificate.officer_id, t.Certificate.status,
         t.Certificate.valid_until, t.Certificate.issuing_agency_id],
        "证件状态和证号", t.Certificate.id,
    ),
    Entry(
        t.OfficerEvent, CERTIFICATES,
        [t.OfficerEvent.id, t.OfficerEvent.at, t.OfficerEvent.officer_id,
         t.OfficerEvent.certificate_id, t.OfficerEvent.action, t.OfficerEvent.actor_name,
         t.OfficerEvent.reason],
        [t.OfficerEvent.officer_id, t.OfficerEvent.certificate_id, t.OfficerEvent.action,
         t.OfficerEvent.actor_id, t.OfficerEvent.at],
        "事件记录只能追加，", t.OfficerEvent.id,
    ),
    Entry(
        t.AnnualReviewResult, CERTIFICATES,
        [t.AnnualReviewResult.id, t.AnnualReviewResult.year, t.AnnualReviewResult.certificate_id,
         t.AnnualReviewResult.passed, t.AnnualReviewResult.reasons,
         t.AnnualReviewResult.reviewed_at],
        [t.AnnualReviewResult.year, t.AnnualReviewResult.certificate_id,
         t.AnnualReviewResult.passed],
        "年审结果", t.AnnualReviewResult.id,
    ),
    Entry(
        t.NumberSequence, CERTIFICATES,
        [t.NumberSequence.prefix, t.NumberSequence.last_value],
        [t.NumberSequence.prefix],
        "证号序列", superadmin=True,
    ),
    Entry(
        t.TrainingSession, TRAINING,
        [t.TrainingSession.id, t.TrainingSession.title, t.TrainingSession.category,
         t.TrainingSession.credit_tenths, t.TrainingSession.starts_at,
         t.TrainingSession.organiser_agency_id, t.TrainingSession.status],
        [t.TrainingSession.title, t.TrainingSession.category, t.TrainingSession.starts_at,
         t.TrainingSession.organiser_agency_id, t.TrainingSession.status],
        "培训场次", t.TrainingSession.starts_at,
    ),
    Entry(
        t.Attendance, TRAINING,
        [t.Attendance.id, t.Attendance.session_id, t.Attendance.officer_id, t.Attendance.method,
         t.Attendance.checked_in_at, t.Attendance.checked_out_at, t.Attendance.flags,
         t.Attendance.credited_tenths],
        [t.Attendance.session_id, t.Attendance.officer_id, t.Attendance.method],
        "签到记录", t.Attendance.id,
    ),
    Entry(
        t.HourEntry, TRAINING,
        [t.HourEntry.id, t.HourEntry.officer_id, t.HourEntry.year, t.HourEntry.category,
         t.HourEntry.tenths, t.HourEntry.source, t.HourEntry.title, t.HourEntry.occurred_on],
        [t.HourEntry.officer_id, t.HourEntry.year, t.HourEntry.category, t.HourEntry.source],
        "学时台账只能追加，", t.HourEntry.id,
    ),
    Entry(
        t.Feedback, PEOPLE,
        [t.Feedback.id, t.Feedback.reference, t.Feedback.officer_id, t.Feedback.kind,
         t.Feedback.status, t.Feedback.outcome, t.Feedback.created_at],
        [t.Feedback.officer_id, t.Feedback.kind, t.Feedback.status],
        "投诉与表扬", t.Feedback.id,
    ),
    Entry(
        t.ExternalClaim, TRAINING,
        [t.ExternalClaim.id, t.ExternalClaim.officer_id, t.ExternalClaim.title,
         t.ExternalClaim.category, t.ExternalClaim.claimed_tenths, t.ExternalClaim.status,
         t.ExternalClaim.created_at],
        [t.ExternalClaim.officer_id, t.ExternalClaim.category, t.ExternalClaim.status],
        "外部学习申报", t.ExternalClaim.id,
    ),
    Entry(
        t.Requirement, TRAINING,
        [t.Requirement.id, t.Requirement.region_id, t.Requirement.year,
         t.Requirement.min_public_law_tenths, t.Requirement.min_professional_tenths,
         t.Requirement.min_total_tenths],
        [t.Requirement.region_id, t.Requirement.year],
        "学时要求", t.Requirement.year,
    ),
    Entry(
        t.Region, SYSTEM,
        [t.Region.code, t.Region.name, t.Region.level, t.Region.parent_id],
        [t.Region.code, t.Region.name, t.Region.level, t.Region.parent_id],
        "行政区划", t.Region.code, ascending=True,
        options={"link_column": t.Region.name},
    ),
    Entry(
        t.Agency, SYSTEM,
        [t.Agency.id, t.Agency.name, t.Agency.region_id, t.Agency.kind, t.Agency.sector],
        [t.Agency.name, t.Agency.region_id, t.Agency.kind],
        "", t.Agency.id, ascending=True,
    ),
    Entry(
        t.Device, SYSTEM,
        [t.Device.id, t.Device.officer_id, t.Device.device_id, t.Device.first_seen_at,
         t.Device.last_seen_at],
        [t.Device.officer_id, t.Device.device_id],
        "登录设备", t.Device.id, superadmin=True,
    ),
    Entry(
        AdminSession, SYSTEM,
        [AdminSession.id, AdminSession.user_id, AdminSession.expiry_date],
        [AdminSession.user_id],
        "登录会话", AdminSession.id, superadmin=True,
    ),
)  # fmt: skip


def table_configs() -> list[TableConfig]:
    """Piccolo Admin's configuration of every table of the menu."""
    configs = []
    for entry in MENU:
        options = dict(entry.options)
        if entry.order is not None:
            options["order_by"] = [OrderBy(column=entry.order, ascending=entry.ascending)]
        if entry.guarded:
            why = f"{entry.guarded}不能在此直接修改：{BY_FORM}。"
            options["validators"] = read_only(why, superadmin=entry.superadmin)
        else:  # agencies: renamed through the use case, nothing else
            options["validators"] = editable(why=AGENCY_EDITS)
            options["hooks"] = [rename_agency_hook()]
        configs.append(
            TableConfig(
                table_class=entry.table,
                menu_group=entry.group,
                visible_columns=list(entry.columns),
                visible_filters=list(entry.filters),
                **options,
            )
        )
    return configs
