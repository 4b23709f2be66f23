"""Every error code the service answers with, and what it means for people, in Chinese.

The API answers with the code and an English `detail`; the admin, the import page and
the officers' pages show the Chinese below, keyed by the same code.
`tests/unit/test_error_codes.py` finds every code the code base can raise and holds this
table to them: a new code without its Chinese, or a message nobody raises any more,
fails the suite.
"""

from __future__ import annotations

from service.domain.certificates import CertificateStatus
from service.domain.errors import DomainError
from service.domain.events import EventAction

MESSAGES: dict[str, str] = {
    # accounts and logins
    "account.bad_role": "执法人员的账号须从执法人员记录创建。",
    "account.bad_scope": "账号的管辖区划或单位不存在。",
    "account.bad_username": "用户名为 3 至 50 位字母、数字或 ._-，以字母开头。",
    "account.not_found": "找不到该账号。",
    "account.username_taken": "该用户名已被使用。",
    "account.weak_password": "密码强度不足：至少 8 位，且不能与用户名或身份证号相同。",
    "auth.bad_device_id": "设备标识不正确。",
    "auth.forbidden": "您的角色无权进行此操作。",
    "auth.inactive": "该账号已停用。",
    "auth.invalid_credentials": "用户名或密码错误。",
    "auth.invalid_refresh_token": "登录已失效，请重新登录。",
    "auth.invalid_token": "登录凭证无效，请重新登录。",
    "auth.metrics_token": "请以 Bearer 方式提供监控令牌（METRICS_TOKEN）。",
    "auth.missing_token": "请先登录。",
    "auth.out_of_scope": "该对象不在您的管辖范围内。",
    "auth.session_ended": "登录已结束（已退出、密码已修改或账号已变更），请重新登录。",
    "auth.token_expired": "登录已过期，请重新登录。",
    "auth.unauthenticated": "请先登录。",
    "auth.wrong_kind": "此账号不能在这里登录或使用此功能。",
    # regions and agencies
    "agency.bad_region": "区划不存在。",
    "agency.bad_sector": "行业代码不正确。",
    "agency.exists": "该区划内已有同名单位。",
    "agency.not_found": "找不到该单位，或不在您的管辖范围内。",
    "region.bad_code": "区划代码不正确（6 位，乡镇 9 位，且与级别相符）。",
    "region.bad_parent": "上级区划不正确。",
    "region.exists": "该区划已存在。",
    "request.missing_name": "请填写名称。",
    # officers and their records
    "officer.bad_agency": "单位不存在或不在您的管辖范围内。",
    "officer.bad_employment_type": "人员类别不正确（公务员、参公管理人员、事业编制人员等）。",
    "officer.bad_gender": "性别应为“男”或“女”。",
    "officer.bad_id_number": "身份证号不正确（位数、出生日期或校验位）。",
    "officer.bad_name": "姓名不正确。",
    "officer.bad_phone": "电话号码不正确。",
    "officer.duplicate_id_number": "该身份证号已登记在您管辖范围以外的单位。",
    "officer.gender_mismatch": "性别与身份证号不符。",
    "officer.not_found": "找不到该执法人员，或不在您的管辖范围内。",
    "exam.bad_date": "考试日期不能晚于今天。",
    "exam.bad_score": "成绩应为 0 至 100，最多一位小数。",
    "exam.bad_kind": "考试类别应为 综合法律知识 或 专业法律知识。",
    "exam.conflicting_score": "该人员同一类别、同一日期的考试已记录了不同的成绩。",
    "assessment.bad_year": "考核年度不正确。",
    "assessment.duplicate": "该年度的考核已录入。",
    "sanction.bad_dates": "处分日期不正确（生效日期不能晚于今天，解除日期不能早于生效日期）。",
    "exchange.bad_cursor": "游标不正确：请使用上一页最后一行给出的 next_cursor（或 0 从头开始）。",
    "exchange.bad_limit": "limit 应为 1 至 1000。",
    "api_key.bad_name": "密钥名称应为 1 至 50 个字符。",
    "api_key.bad_region": "没有这个行政区划代码。",
    "api_key.bad_scope": "未知的权限范围，目前只有 exchange:read。",
    "api_key.not_found": "没有这个名称的 API 密钥。",
    "api_key.duplicate_name": "已有同名的 API 密钥。",
    "auth.bad_api_key": "API 密钥无效。",
    "auth.api_key_revoked": "该 API 密钥已被吊销。",
    "auth.scope_missing": "该 API 密钥没有此项权限。",
    "import.bad_file": "无法读取表格：请上传含表头行的 CSV 或 XLSX 文件。",
    "import.bad_value": "取值不正确。",
    "import.duplicate_row": "与前面的行重复（身份证号或证号相同）。",
    "import.unknown_officer": "本辖区内没有这个身份证号的人员，请先导入人员。",
    "import.name_mismatch": "姓名与该身份证号登记的人员不符。",
    "import.unknown_columns": "表头中有无法识别的列。",
    "import.too_large": "文件过大：至多 20000 行、64 列，解压后不超过 50 MB。",
    # certificates
    "card.font_missing": "服务器未安装中文字体，无法打印证件。",
    "certificate.bad_area": "请填写执法区域。",
    "certificate.bad_categories": "请填写至少一个执法类别。",
    "certificate.bad_number": "证号格式或校验位不正确。",
    "certificate.card_not_owed": "该证件没有待收回的证件卡（有效、已过期、尚未发证或已收回）。",
    "certificate.bad_returned_on": "收回日期不能晚于今天，也不能早于发证日期。",
    "cleanup.bad_year": "清理年度应为 2000 年至今年。",
    "cleanup.not_listed": "该证件不在本年度资格清理名单中。",
    "scans.too_late": "培训结束超过 24 小时，不再接收离线扫码记录。",
    "checkin.bad_code": "签到码不正确，请核对屏幕上的 6 位数字。",
    "checkin.too_many_codes": "签到码输错次数过多，请扫描二维码或请组织者补录。",
    "officer.bad_photo": "照片应为能正常打开的 JPEG 或 PNG 图片。",
    "officer.photo_too_large": "照片不能超过 5 MB。",
    "officer.no_photo": "该人员还没有照片。",
    "channel.bad_target": "通知渠道的地址不正确（机器人与网关填 https 地址，邮件填邮箱地址）。",
    "channel.bad_secret": "该通知渠道不能设置密钥，或密钥过长。",
    "channel.too_many": "通知渠道至多 10 个。",
    "channel.duplicate": "同一通知渠道填写了两次。",
    "channel.none": "该单位还没有设置通知渠道。",
    "feedback.bad_text": "情况说明应为 10 至 1000 字。",
    "feedback.bad_contact": "联系方式至多 100 字。",
    "feedback.bad_form_token": "表单已过期或已提交过，请重新打开表单。",
    "feedback.too_many": "该证件本小时收到的投诉表扬已达上限，请稍后再试。",
    "feedback.not_found": "没有这条投诉或表扬。",
    "feedback.bad_outcome": "请填写处理结果（至多 200 字）。",
    "feedback.resolved_already": "这条投诉或表扬已处理。",
    "request.too_many": "请求过于频繁，请稍后再试。",
    "plan.bad_year": "培训计划年度应为 2000 年至明年。",
    "plan.duplicate_category": "同一学时类别只能填写一次。",
    "plan.bad_item": "每类计划场次应为 0 至 1000，学时为 0 至 10000。",
    "roster.bad_region": "没有这个行政区划代码。",
    "roster.agency_not_found": "没有这个单位。",
    "certificate.bad_day": "查询日期不能晚于今天，且应在 2000 年以后。",
    "certificate.bad_dates": (
        "证件日期不正确：发证日期不能晚于今天，有效期至、暂扣至不能早于发证日期。"
    ),
    "certificate.bad_status": "证件状态应为 有效、暂扣、已吊销、已注销 或 已过期。",
    "certificate.bad_review_year": "最近年审年度应为发证当年及以后、已结束的年度。",
    "certificate.unknown_issuer": (
        "没有这个名称的发证机关，请先添加该单位，或留空（默认为所在地司法局）。"
    ),
    "certificate.duplicate_number": "该证号已属于另一名人员的证件。",
    "certificate.already_held": "该人员已持有有效或暂扣中的执法证。",
    "certificate.bad_until": "暂扣截止日期不能早于今天。",
    "certificate.concurrent_change": "证件正被他人修改，请稍后重试。",
    "certificate.ineligible": "不符合发证条件。",
    "certificate.invalid_transition": "证件当前状态不允许此操作。",
    "certificate.none": "尚未向您发放执法证。",
    "certificate.not_found": "找不到该证件，或不在您的管辖范围内。",
    "certificate.not_in_force": "证件不在有效状态。",
    "certificate.numbers_exhausted": "本年度该地区、行业的证号已用完。",
    "certificate.reason_required": "请填写原因。",
    "certificate.stale_version": "证件已被他人修改，请刷新后重试。",
    "credential.expired": "亮证二维码已过期，请重新出示。",
    "credential.invalid": "该二维码不是本系统签发的执法证。",
    "annual_review.bad_region": "区划不存在或不在您的管辖范围内。",
    "annual_review.bad_year": "年审年度不正确：只能年审已结束的年度。",
    "annual_review.window_not_open": "年审期尚未开始；可以先试运行。",
    "status_list.bad": "状态列表格式不正确。",
    "status_list.bad_index": "状态列表序号不正确。",
    # training
    "hours.bad_value": "学时应为数字，最多一位小数。",
    "hours.bad_date": "培训日期不正确，或晚于今天。",
    "hours.bad_category": "学时类别应为 公共法律知识、业务知识和行政执法技能 或 政治理论。",
    "hours.bad_title": "请填写培训名称（至多 200 字）。",
    "hours.bad_provider": "请填写组织单位（至多 200 字）。",
    "hours.bad_year": "学时年度不正确。",
    "requirement.bad_hours": "每年学时要求为 0 至 500 学时。",
    "requirement.bad_region": "区划不存在或不在您的管辖范围内。",
    "requirement.bad_year": "学时要求年度不正确（2000 年至明年）。",
    "requirement.empty": "请至少设定一项学时要求。",
    "session.bad_agency": "组织单位不存在或不在您的管辖范围内。",
    "session.bad_credit": "学时应大于 0，并以 0.5 学时为单位。",
    "session.bad_geofence": "地理围栏的经纬度或半径不正确。",
    "session.bad_schedule": "结束时间应晚于开始时间。",
    "session.bad_title": "请填写培训名称（至多 200 字）。",
    "session.not_ended": "培训尚未结束，结束后才能结业计学时。",
    "session.not_found": "找不到该培训场次，或不在您的管辖范围内。",
    "session.not_scheduled": "该培训场次已结束或已取消。",
    "session.started": "培训已开始，不能再修改。",
    "attendance.bad_officer": "该执法人员不在本场培训的区划内。",
    "attendance.bad_times": "签到、签退时间不正确（须在培训时间前后 30 分钟内，先签到后签退）。",
    "attendance.exists": "该执法人员的签到已录入。",
    "attendance.note_required": "请注明补录依据（签到表、签名人）。",
    "checkin.bad_position": "位置信息不正确。",
    "checkin.token_expired": "二维码已过期，请扫描屏幕上正在显示的二维码。",
    "checkin.token_invalid": "二维码无效：不是本场培训的签到二维码，或已被改动。",
    "checkin.too_early": "签到尚未开始（培训开始前 30 分钟起可签到）。",
    "checkin.too_late": "已超过签到或签退时间。",
    "claim.bad_date": "完成日期应在今年或去年，且不晚于今天。",
    "claim.bad_evidence": "证明材料无法读取：请上传 PDF、PNG 或 JPEG。",
    "claim.bad_hours": "学时应为 0.1 至 100，且不超过申报学时。",
    "claim.bad_title": "请填写培训名称（至多 200 字）。",
    "claim.evidence_missing": "该申报的证明材料缺失（升级前的文件未导入）。",
    "claim.evidence_too_large": "证明材料过大。",
    "claim.not_found": "找不到该申报，或不在您的管辖范围内。",
    "claim.not_pending": "该申报已审核。",
    "claim.reason_required": "请填写驳回原因。",
    "report.bad_region": "区划不存在或不在您的管辖范围内。",
    "report.bad_year": "报表年度不正确。",
    # the HTTP edge (`service.web.problems`)
    "conflict": "与现有数据冲突。",
    "error": "操作被拒绝。",
    "internal": "服务器内部错误，请稍后重试。",
    "not_found": "找不到该对象。",
    "rate_limited": "操作过于频繁，请稍后再试。",
    "request.bad_page": "页码从 1 开始，每页 1 至 200 条。",
    "request.bad_text": "文字中不能含有空字符（U+0000）。",
    "request.invalid": "请求不正确。",
    "request.invalid_body": "请求内容不正确。",
    "request.method_not_allowed": "不支持该请求方法。",
    "request.refused": "请求被拒绝。",
    "request.too_large": "请求内容过大。",
    "request.unsupported_media_type": "不支持该内容类型。",
    "service.unavailable": "服务暂时不可用，请稍后重试。",
}


def in_chinese(error: DomainError) -> str:
    """The reason for people, in Chinese, ending with the stable code for support."""
    extra = error.extra
    if error.code == "certificate.invalid_transition":
        status = CertificateStatus(extra["from_status"]).label
        action = EventAction(extra["action"]).label
        text = f"证件当前状态为「{status}」，不能{action}。"
    elif error.code == "certificate.ineligible":
        text = "不符合发证条件：" + "；".join(item["label"] for item in extra["errors"]) + "。"
    elif error.code == "import.unknown_columns":
        text = "表头中有无法识别的列：" + "、".join(extra["columns"]) + "。"
    else:
        text = MESSAGES.get(error.code, f"操作被拒绝：{error.detail}")
    return f"{text}（{error.code}）"
