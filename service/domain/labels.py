"""Chinese labels of the values the API shows in English, for people's screens and
files (the admin, imports, reports). Certificate statuses, cancel reasons and event
actions keep theirs next to their enums."""

from __future__ import annotations

from enum import StrEnum

from service.domain.access import Role
from service.domain.certificates import CancelReason, CertificateStatus
from service.domain.events import EventAction
from service.domain.feedback import FeedbackKind, FeedbackStatus
from service.domain.hours import HourCategory, LedgerSource
from service.domain.notifications import ChannelKind, MessageStatus, Topic
from service.domain.organisation import AgencyKind, RegionLevel
from service.domain.people import (
    AssessmentResult,
    EmploymentType,
    ExamKind,
    Gender,
    SanctionKind,
)
from service.domain.training import AttendanceMethod, ClaimStatus, SessionStatus

LABELS: dict[StrEnum, str] = {
    Role.SUPERADMIN: "系统管理员",
    Role.BUREAU_ADMIN: "司法局管理员",
    Role.AGENCY_ADMIN: "单位管理员",
    Role.ORGANISER: "培训组织者",
    Role.OFFICER: "执法人员",
    RegionLevel.PROVINCE: "省级",
    RegionLevel.CITY: "市级",
    RegionLevel.COUNTY: "县级",
    RegionLevel.TOWNSHIP: "乡镇",
    AgencyKind.JUSTICE_BUREAU: "司法局",
    AgencyKind.DEPARTMENT: "行政执法部门",
    AgencyKind.TOWNSHIP_TEAM: "乡镇综合执法队",
    Gender.MALE: "男",
    Gender.FEMALE: "女",
    EmploymentType.CIVIL_SERVANT: "公务员",
    EmploymentType.CIVIL_SERVANT_MANAGED: "参公管理人员",
    EmploymentType.PUBLIC_INSTITUTION: "事业编制人员",
    EmploymentType.CONTRACT: "合同工",
    EmploymentType.DISPATCHED: "劳务派遣",
    EmploymentType.TEMPORARY: "临时工",
    EmploymentType.SUPPORT: "工勤或辅助人员",
    ExamKind.GENERAL_LAW: "综合法律知识",
    ExamKind.SPECIALISED: "专业法律知识",
    AssessmentResult.EXCELLENT: "优秀",
    AssessmentResult.COMPETENT: "称职",
    AssessmentResult.BASICALLY_COMPETENT: "基本称职",
    AssessmentResult.INCOMPETENT: "不称职",
    SanctionKind.WARNING: "警告",
    SanctionKind.DEMERIT: "记过",
    SanctionKind.MAJOR_DEMERIT: "记大过",
    SanctionKind.DEMOTION: "降级",
    SanctionKind.REMOVAL: "撤职",
    SanctionKind.DISMISSAL: "开除",
    HourCategory.PUBLIC_LAW: "公共法律知识",
    HourCategory.PROFESSIONAL: "业务知识和行政执法技能",
    HourCategory.POLITICAL: "政治理论",
    LedgerSource.ATTENDANCE: "参训签到",
    LedgerSource.EXTERNAL: "外部学习申报",
    LedgerSource.ADJUSTMENT: "人工调整",
    LedgerSource.IMPORT: "批量导入",
    SessionStatus.SCHEDULED: "未结束",
    SessionStatus.CLOSED: "已结束",
    SessionStatus.CANCELLED: "已取消",
    AttendanceMethod.QR: "扫码",
    AttendanceMethod.MANUAL: "人工补录",
    ClaimStatus.PENDING: "待审核",
    ClaimStatus.APPROVED: "已通过",
    ClaimStatus.REJECTED: "已驳回",
    **{status: status.label for status in CertificateStatus},
    **{reason: reason.label for reason in CancelReason},
    **{action: action.label for action in EventAction},
    **{kind: kind.label for kind in FeedbackKind},
    FeedbackStatus.OPEN: "待处理",
    FeedbackStatus.RESOLVED: "已处理",
    ChannelKind.WECOM: "企业微信群机器人",
    ChannelKind.DINGTALK: "钉钉群机器人",
    ChannelKind.EMAIL: "电子邮件",
    ChannelKind.WEBHOOK: "短信网关（Webhook）",
    Topic.SUSPENDED: "证件暂扣",
    Topic.REVOKED: "证件吊销",
    Topic.REVIEW_FAILED: "年审未通过",
    Topic.CLAIM_APPROVED: "学时申报通过",
    Topic.CLAIM_REJECTED: "学时申报未通过",
    Topic.DIGEST: "每周通知",
    Topic.REMINDER: "个人提醒",
    Topic.TEST: "测试消息",
    MessageStatus.PENDING: "待发送",
    MessageStatus.SENDING: "发送中",
    MessageStatus.SENT: "已发送",
    MessageStatus.UNCONFIRMED: "发送情况不明（不再重发）",
    MessageStatus.GIVEN_UP: "已放弃",
}


def label(value: StrEnum) -> str:
    return LABELS[value]
