"""Data exchange with provincial and national platforms (数据互联互通): the fields each
kind of record carries, with their Chinese names, and the feed's cursor.

The field lists are the one definition: the JSON Lines of the change feed and of the
snapshot, the snapshot's XLSX headers and docs/exchange.md all follow them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from service.domain.errors import InvalidInput


class RecordKind(StrEnum):
    OFFICER = "officer"
    CERTIFICATE = "certificate"
    HOURS = "hours"  # an officer's hours of one year


FIELDS: dict[RecordKind, dict[str, str]] = {
    RecordKind.OFFICER: {
        "id": "人员ID",
        "name": "姓名",
        "id_number": "身份证号",
        "gender": "性别",
        "agency_id": "单位ID",
        "agency": "所在单位",
        "region_code": "行政区划代码",
        "employment_type": "人员类别",
        "post": "岗位",
        "in_post": "在岗",
    },
    RecordKind.CERTIFICATE: {
        "id": "证件ID",
        "officer_id": "人员ID",
        "name": "姓名",
        "id_number": "身份证号",
        "number": "执法证号",
        "legacy": "既有证号",
        "issuing_agency": "发证机关",
        "region_code": "行政区划代码",
        "enforcement_area": "执法区域",
        "enforcement_categories": "执法类别",
        "valid_from": "有效期起",
        "valid_until": "有效期至",
        "status": "证件状态",
        "status_label": "证件状态（中文）",
        "suspended_until": "暂扣至",
        "last_review_year": "最近年审年度",
    },
    RecordKind.HOURS: {
        "officer_id": "人员ID",
        "name": "姓名",
        "id_number": "身份证号",
        "region_code": "行政区划代码",
        "year": "年度",
        "public_law": "公共法律知识学时",
        "professional": "业务知识和行政执法技能学时",
        "political": "政治理论学时",
        "total": "年度学时",
    },
}
SHEET_NAMES = {
    RecordKind.OFFICER: "执法人员",
    RecordKind.CERTIFICATE: "执法证",
    RecordKind.HOURS: "年度学时",
}

_CURSOR = re.compile(r"^(\d{1,19})\.(\d{1,19})$")


@dataclass(frozen=True, slots=True, order=True)
class Cursor:
    """A place in the change feed: the writing transaction's id (0 on SQLite, whose
    writers commit one at a time) and the change's id, in the feed's order."""

    xid: int = 0
    id: int = 0

    def __str__(self) -> str:
        return f"{self.xid}.{self.id}"

    @classmethod
    def parse(cls, raw: str | None) -> Cursor:
        """A cursor as the feed gave it; empty or `0` is the beginning.

        Raises InvalidInput `exchange.bad_cursor`.
        """
        if raw is None or raw.strip() in ("", "0"):
            return cls()
        found = _CURSOR.match(raw.strip())
        if found is None or max(int(found[1]), int(found[2])) >= 2**63:
            raise InvalidInput(
                "A cursor is what the feed's last line named (such as 0 or 1234.56).",
                code="exchange.bad_cursor",
                field="since",
            )
        return cls(int(found[1]), int(found[2]))
