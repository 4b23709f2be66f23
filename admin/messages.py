"""Why the use cases refused, in Chinese, for the admin's screens.

The use cases raise errors with stable codes and English details (the API's); the admin
shows people the reason in their language, keyed by the same codes.
"""

from __future__ import annotations

from service.domain.certificates import CertificateStatus
from service.domain.errors import DomainError

ACTIONS = {
    "apply": "申领",
    "issue": "发证",
    "suspend": "暂扣",
    "reinstate": "恢复",
    "revoke": "吊销",
    "cancel": "注销",
    "reissue": "补换发",
    "renew": "换证",
    "expire": "过期",
    "annual_review": "年审",
}

MESSAGES = {
    "certificate.not_found": "找不到该证件，或不在您的管辖范围内。",
    "certificate.bad_number": "证号格式或校验位不正确。",
    "certificate.reason_required": "请填写原因。",
    "certificate.bad_until": "暂扣截止日期不能早于今天。",
    "certificate.stale_version": "证件已被他人修改，请刷新后重试。",
    "certificate.concurrent_change": "证件正被他人修改，请稍后重试。",
    "certificate.bad_area": "请填写执法区域。",
    "certificate.bad_categories": "请填写至少一个执法类别。",
    "certificate.numbers_exhausted": "本年度该地区、行业的证号已用完。",
    "officer.not_found": "找不到该执法人员，或不在您的管辖范围内。",
    "officer.bad_id_number": "身份证号不正确（位数、出生日期或校验位）。",
    "officer.bad_name": "姓名不正确。",
    "officer.bad_phone": "电话号码不正确。",
    "officer.bad_agency": "单位不存在或不在您的管辖范围内。",
    "officer.gender_mismatch": "性别与身份证号不符。",
    "officer.duplicate_id_number": "该身份证号已登记在您管辖范围以外的单位。",
    "officer.bad_employment_type": "人员类别不正确（公务员、参公管理人员、事业编制人员等）。",
    "officer.bad_gender": "性别应为“男”或“女”。",
    "import.duplicate_row": "身份证号与前面的行重复。",
    "import.bad_value": "取值不正确。",
    "import.bad_file": "无法读取表格：请粘贴含表头行的内容。",
    "import.unknown_columns": "表头中有无法识别的列。",
    "assessment.bad_year": "考核年度不正确。",
    "assessment.duplicate": "该年度的考核已录入。",
    "sanction.bad_dates": "处分日期不正确（生效日期不能晚于今天，解除日期不能早于生效日期）。",
    "exam.bad_score": "成绩应为 0 至 100，最多一位小数。",
    "exam.bad_date": "考试日期不能晚于今天。",
    "session.bad_title": "请填写培训名称。",
    "session.bad_schedule": "结束时间应晚于开始时间。",
    "session.bad_credit": "学时应大于 0，并以 0.5 学时为单位。",
    "session.bad_agency": "组织单位不存在或不在您的管辖范围内。",
    "session.bad_geofence": "地理围栏的经纬度或半径不正确。",
    "session.not_found": "找不到该培训场次，或不在您的管辖范围内。",
    "session.not_scheduled": "该培训场次已结束或已取消。",
    "annual_review.bad_year": "年审年度不正确：只能年审已结束的年度。",
    "annual_review.bad_region": "区划不存在或不在您的管辖范围内。",
    "annual_review.window_not_open": "年审期尚未开始；可以先试运行。",
    "report.bad_year": "报表年度不正确。",
    "report.bad_region": "区划不存在或不在您的管辖范围内。",
    "hours.bad_value": "学时应为数字，以 0.5 学时为单位。",
    "auth.forbidden": "您的角色无权进行此操作。",
    "auth.out_of_scope": "该对象不在您的管辖范围内。",
}


def in_chinese(error: DomainError) -> str:
    """The reason for people, in Chinese, ending with the stable code for support."""
    extra = error.extra
    if error.code == "certificate.invalid_transition":
        status = CertificateStatus(extra["from_status"]).label
        action = ACTIONS.get(extra["action"], extra["action"])
        text = f"证件当前状态为「{status}」，不能{action}。"
    elif error.code == "certificate.ineligible":
        text = "不符合发证条件：" + "；".join(item["label"] for item in extra["errors"]) + "。"
    elif error.code == "import.unknown_columns":
        text = "表头中有无法识别的列：" + "、".join(extra["columns"]) + "。"
    else:
        text = MESSAGES.get(error.code, f"操作被拒绝：{error.detail}")
    return f"{text}（{error.code}）"
