"""Piccolo tables mirroring the tables that Tortoise's migrations create.

Same table and column names; nothing here creates or alters a table. A foreign key's
attribute is named like its column (`agency_id`, with that `db_column_name`): Piccolo
Admin 1.14 keys a table's schema by the column and its rows by the attribute, so the two
must agree or the list view cannot render.

`tests/integration/test_admin_mirror.py` selects every column on SQLite and PostgreSQL
and compares its type with the Tortoise model's, so a model change without its mirror
fails the suite. The engine is bound at start-up (`bind`).
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Numeric,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.readable import Readable
from piccolo.engine.base import Engine
from piccolo.table import Table

from admin.auth import AdminAccount, AdminSession
from admin.labels import choices
from service.domain.certificates import CertificateStatus
from service.domain.events import EventAction
from service.domain.feedback import FeedbackKind, FeedbackStatus
from service.domain.hours import HourCategory, LedgerSource
from service.domain.organisation import AgencyKind, RegionLevel
from service.domain.people import (
    AssessmentResult,
    EmploymentType,
    ExamKind,
    Gender,
    SanctionKind,
)
from service.domain.training import AttendanceMethod, ClaimStatus, SessionStatus

RESTRICT = OnDelete.restrict


def _fk(references: type[Table] | str, column: str, name: str, *, null: bool = True) -> ForeignKey:
    return ForeignKey(
        references, db_column_name=column, null=null, verbose_name=name, on_delete=RESTRICT
    )


def _created() -> Timestamptz:
    return Timestamptz(verbose_name="创建时间")


class Region(Table, tablename="regions", help_text="行政区划"):
    code = Varchar(length=9, primary_key=True, verbose_name="区划代码")
    name = Varchar(length=100, verbose_name="名称")
    level = Varchar(length=16, choices=choices(RegionLevel), verbose_name="级别")
    parent_id = _fk("self", "parent_id", "上级区划")
    created_at = _created()

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s（%s）", columns=[cls.name, cls.code])


class Agency(Table, tablename="agencies", help_text="执法单位"):
    name = Varchar(length=200, verbose_name="单位名称")
    region_id = _fk(Region, "region_id", "所属区划", null=False)
    sector = Varchar(length=2, verbose_name="行业代码")
    kind = Varchar(length=32, choices=choices(AgencyKind), verbose_name="单位类型")
    created_at = _created()
    updated_at = Timestamptz(verbose_name="更新时间")

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.name])


class Officer(Table, tablename="officers", help_text="执法人员"):
    name = Varchar(length=50, verbose_name="姓名")
    id_number = Varchar(length=18, verbose_name="身份证号")
    birth_date = Date(verbose_name="出生日期")
    gender = Varchar(length=8, choices=choices(Gender), verbose_name="性别")
    phone = Varchar(length=20, null=True, verbose_name="电话")
    agency_id = _fk(Agency, "agency_id", "所在单位", null=False)
    employment_type = Varchar(length=32, choices=choices(EmploymentType), verbose_name="人员类别")
    post = Varchar(length=100, verbose_name="岗位")
    in_post = Boolean(verbose_name="在岗")
    photo_path = Varchar(length=255, null=True, verbose_name="照片")
    notes = Text(verbose_name="备注")
    chain_seq = Integer(verbose_name="事件链序号")
    chain_head = Varchar(length=64, verbose_name="事件链哈希")
    created_at = _created()
    updated_at = Timestamptz(verbose_name="更新时间")

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s（%s）", columns=[cls.name, cls.id])


class Exam(Table, tablename="exams", help_text="考试成绩"):
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    kind = Varchar(length=16, choices=choices(ExamKind), verbose_name="考试类别")
    score = Numeric(digits=(4, 1), verbose_name="成绩")
    taken_on = Date(verbose_name="考试日期")
    source_file = Varchar(length=64, verbose_name="导入文件（SHA-256）")
    recorded_by_id = _fk(AdminAccount, "recorded_by_id", "录入人")
    created_at = _created()


class Assessment(Table, tablename="assessments", help_text="年度考核"):
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    year = SmallInt(verbose_name="年度")
    result = Varchar(length=32, choices=choices(AssessmentResult), verbose_name="考核结果")
    created_at = _created()


class Sanction(Table, tablename="sanctions", help_text="处分"):
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    kind = Varchar(length=32, choices=choices(SanctionKind), verbose_name="处分种类")
    effective_on = Date(verbose_name="生效日期")
    ends_on = Date(null=True, verbose_name="解除日期")
    reason = Text(verbose_name="事由")
    created_at = _created()


class Certificate(Table, tablename="certificates", help_text="行政执法证"):
    officer_id = _fk(Officer, "officer_id", "持证人", null=False)
    issuing_agency_id = _fk(Agency, "issuing_agency_id", "发证机关")
    number = Varchar(length=32, null=True, verbose_name="证号")
    legacy = Boolean(verbose_name="既有证件（导入）")
    status = Varchar(length=16, choices=choices(CertificateStatus), verbose_name="状态")
    enforcement_area = Varchar(length=200, verbose_name="执法区域")
    enforcement_categories = JSON(verbose_name="执法类别")
    valid_from = Date(null=True, verbose_name="有效期起")
    valid_until = Date(null=True, verbose_name="有效期至")
    suspended_until = Date(null=True, verbose_name="暂扣至")
    status_reason = Text(verbose_name="状态原因")
    ended_on = Date(null=True, verbose_name="终止日期")
    card_returned_on = Date(null=True, verbose_name="证件收回日期")
    status_index = Integer(null=True, verbose_name="状态列表位")
    last_review_year = SmallInt(null=True, verbose_name="最近年审年度")
    replaces_id = _fk("self", "replaces_id", "替换的证件")
    agency_approved_by_id = _fk(AdminAccount, "agency_approved_by_id", "单位审核人")
    agency_approved_at = Timestamptz(null=True, verbose_name="单位审核时间")
    bureau_approved_by_id = _fk(AdminAccount, "bureau_approved_by_id", "司法局审核人")
    bureau_approved_at = Timestamptz(null=True, verbose_name="司法局审核时间")
    version = Integer(verbose_name="版本")
    created_at = _created()
    updated_at = Timestamptz(verbose_name="更新时间")

    @classmethod
    def get_readable(cls) -> Readable:
        # A pending application has no number yet: its id tells it apart.
        return Readable(template="#%s %s", columns=[cls.id, cls.number])


class OfficerEvent(Table, tablename="officer_events", help_text="人员与证件事件记录"):
    id = BigInt(primary_key=True)
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    certificate_id = _fk(Certificate, "certificate_id", "证件")
    seq = Integer(verbose_name="序号")
    action = Varchar(length=32, choices=choices(EventAction), verbose_name="操作")
    actor_id = _fk(AdminAccount, "actor_id", "操作人")
    actor_name = Varchar(length=100, verbose_name="操作人姓名")
    at = Timestamptz(verbose_name="时间")
    reason = Text(verbose_name="原因")
    before = JSON(null=True, verbose_name="变更前")
    after = JSON(null=True, verbose_name="变更后")
    prev_hash = Varchar(length=64, verbose_name="前一哈希")
    hash = Varchar(length=64, verbose_name="哈希")


class NumberSequence(Table, tablename="number_sequences", help_text="证号序列"):
    prefix = Varchar(length=10, primary_key=True, verbose_name="前缀")
    last_value = Integer(verbose_name="已用序号")


class AnnualReviewResult(Table, tablename="annual_review_results", help_text="年审结果"):
    year = SmallInt(verbose_name="年度")
    certificate_id = _fk(Certificate, "certificate_id", "证件", null=False)
    passed = Boolean(verbose_name="通过")
    reasons = JSON(verbose_name="未通过原因")
    reviewed_at = Timestamptz(verbose_name="年审时间")
    reviewed_by_id = _fk(AdminAccount, "reviewed_by_id", "年审人")


class Requirement(Table, tablename="requirements", help_text="学时要求"):
    region_id = _fk(Region, "region_id", "区划", null=False)
    year = SmallInt(verbose_name="年度")
    min_public_law_tenths = Integer(null=True, verbose_name="公共法律知识（0.1学时）")
    min_professional_tenths = Integer(null=True, verbose_name="业务知识（0.1学时）")
    min_political_tenths = Integer(null=True, verbose_name="政治理论（0.1学时）")
    min_total_tenths = Integer(null=True, verbose_name="总学时（0.1学时）")
    updated_at = Timestamptz(verbose_name="更新时间")


class TrainingSession(Table, tablename="training_sessions", help_text="培训场次"):
    title = Varchar(length=200, verbose_name="培训名称")
    category = Varchar(length=16, choices=choices(HourCategory), verbose_name="学时类别")
    credit_tenths = Integer(verbose_name="学时（0.1学时）")
    starts_at = Timestamptz(verbose_name="开始时间")
    ends_at = Timestamptz(verbose_name="结束时间")
    location = Varchar(length=200, verbose_name="地点")
    organiser_agency_id = _fk(Agency, "organiser_agency_id", "组织单位", null=False)
    requires_checkout = Boolean(verbose_name="需签退")
    geofence_lat = DoublePrecision(null=True, verbose_name="地理围栏纬度")
    geofence_lng = DoublePrecision(null=True, verbose_name="地理围栏经度")
    geofence_radius_m = Integer(null=True, verbose_name="地理围栏半径（米）")
    status = Varchar(length=16, choices=choices(SessionStatus), verbose_name="状态")
    closed_at = Timestamptz(null=True, verbose_name="结束登记时间")
    created_by_id = _fk(AdminAccount, "created_by_id", "创建人")
    created_at = _created()

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s（%s）", columns=[cls.title, cls.id])


class Attendance(Table, tablename="attendance", help_text="签到记录"):
    session_id = _fk(TrainingSession, "session_id", "培训场次", null=False)
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    method = Varchar(length=8, choices=choices(AttendanceMethod), verbose_name="方式")
    checked_in_at = Timestamptz(null=True, verbose_name="签到时间")
    checked_out_at = Timestamptz(null=True, verbose_name="签退时间")
    checkin_device_id = Varchar(length=100, null=True, verbose_name="签到设备")
    checkout_device_id = Varchar(length=100, null=True, verbose_name="签退设备")
    checkin_lat = DoublePrecision(null=True, verbose_name="签到纬度")
    checkin_lng = DoublePrecision(null=True, verbose_name="签到经度")
    flags = JSON(verbose_name="异常标记")
    credited_tenths = Integer(null=True, verbose_name="计入学时（0.1学时）")
    no_credit_reason = Text(null=True, verbose_name="未计学时原因")
    note = Text(verbose_name="备注")
    recorded_by_id = _fk(AdminAccount, "recorded_by_id", "补录人")
    created_at = _created()


class ExternalClaim(Table, tablename="external_claims", help_text="外部学习申报"):
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    title = Varchar(length=200, verbose_name="学习内容")
    category = Varchar(length=16, choices=choices(HourCategory), verbose_name="学时类别")
    claimed_tenths = Integer(verbose_name="申报学时（0.1学时）")
    approved_tenths = Integer(null=True, verbose_name="认定学时（0.1学时）")
    completed_on = Date(verbose_name="完成日期")
    evidence_path = Varchar(length=255, verbose_name="证明材料")
    evidence_mime = Varchar(length=64, verbose_name="材料类型")
    evidence_sha256 = Varchar(length=64, verbose_name="材料SHA-256")
    status = Varchar(length=16, choices=choices(ClaimStatus), verbose_name="状态")
    reviewed_by_id = _fk(AdminAccount, "reviewed_by_id", "审核人")
    reviewed_at = Timestamptz(null=True, verbose_name="审核时间")
    reject_reason = Text(null=True, verbose_name="驳回原因")
    created_at = _created()

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s（%s）", columns=[cls.title, cls.id])


class HourEntry(Table, tablename="hour_ledger", help_text="学时台账"):
    id = BigInt(primary_key=True)
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    year = SmallInt(verbose_name="年度")
    category = Varchar(length=16, choices=choices(HourCategory), verbose_name="学时类别")
    tenths = Integer(verbose_name="学时（0.1学时）")
    source = Varchar(length=16, choices=choices(LedgerSource), verbose_name="来源")
    session_id = _fk(TrainingSession, "session_id", "培训场次")
    external_claim_id = _fk(ExternalClaim, "external_claim_id", "外部学习申报")
    title = Varchar(length=200, verbose_name="名称")
    provider = Varchar(length=200, verbose_name="组织单位")
    source_file = Varchar(length=64, verbose_name="导入文件（SHA-256）")
    reason = Text(verbose_name="原因")
    actor_id = _fk(AdminAccount, "actor_id", "操作人")
    occurred_on = Date(verbose_name="日期")
    created_at = _created()


class Feedback(Table, tablename="feedback", help_text="投诉与表扬"):
    reference = Varchar(length=20, null=True, verbose_name="受理编号")
    certificate_id = _fk(Certificate, "certificate_id", "证件", null=False)
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    kind = Varchar(length=16, choices=choices(FeedbackKind), verbose_name="类型")
    text = Text(verbose_name="情况说明")
    contact = Varchar(length=100, null=True, verbose_name="联系方式（不公开）")
    status = Varchar(length=16, choices=choices(FeedbackStatus), verbose_name="状态")
    outcome = Varchar(length=200, null=True, verbose_name="处理结果")
    note = Text(verbose_name="处理说明")
    resolved_by_id = _fk(AdminAccount, "resolved_by_id", "处理人")
    resolved_at = Timestamptz(null=True, verbose_name="处理时间")
    created_at = Timestamptz(verbose_name="提交时间")


class Device(Table, tablename="devices", help_text="登录设备"):
    officer_id = _fk(Officer, "officer_id", "执法人员", null=False)
    device_id = Varchar(length=100, verbose_name="设备标识")
    first_seen_at = Timestamptz(verbose_name="首次登录")
    last_seen_at = Timestamptz(verbose_name="最近登录")


class RefreshToken(Table, tablename="refresh_tokens", help_text="刷新令牌"):
    account_id = _fk(AdminAccount, "account_id", "账号", null=False)
    token_hash = Varchar(length=64, secret=True, verbose_name="令牌哈希")
    family = Varchar(length=32, verbose_name="登录序列")
    issued_at = Timestamptz(verbose_name="签发时间")
    expires_at = Timestamptz(verbose_name="过期时间")
    revoked_at = Timestamptz(null=True, verbose_name="吊销时间")


MIRRORED: tuple[type[Table], ...] = (
    Region,
    Agency,
    AdminAccount,
    Officer,
    Exam,
    Assessment,
    Sanction,
    Certificate,
    OfficerEvent,
    NumberSequence,
    AnnualReviewResult,
    Requirement,
    TrainingSession,
    Attendance,
    ExternalClaim,
    HourEntry,
    Feedback,
    Device,
    RefreshToken,
    AdminSession,
)


def bind(engine: Engine) -> None:
    """Point every mirrored table at the running app's database."""
    for table in MIRRORED:
        table._meta.db = engine
