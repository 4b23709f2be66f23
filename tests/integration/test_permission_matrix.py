"""The permission matrix: every route of the app's own route table, called as each of
seven identities with ids from three jurisdictions, against a table of expected outcomes.

A route the table does not name fails the test (so a new route must say who may call
it), and so does an entry no route has any more.

Identities (one letter each, in this order): anonymous, an officer of 英吉沙县市场监督管理局,
the organiser of 英吉沙县司法局, the admin of 英吉沙县市场监督管理局, the bureau admin of
汉阴县 (the other county), the bureau admin of 英吉沙县 (the county) and the superadmin.

Jurisdictions, for routes naming an id (or a region or agency in the body): `market`
(英吉沙县市场监督管理局's officer, certificate, session and claim), `justice`
(英吉沙县司法局's) and `hanyin` (汉阴县司法局's, in the other county).

Outcomes: A a 2xx (E when it is a list with nothing in it, V when an import wrote no
row: the rows named an agency that is not the caller's), R a redirect (to the admin's
login), U 401, F 403, N 404 (not found, or not the caller's), C 409 (the state forbids
it: an earlier caller made the change), V 400 or 422 (wrong for this caller: an agency
or region in the body that is not theirs is "unknown", as a stranger's id is not found).
A 5xx fails the test whatever the table says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.routes import ASGIRoute, HTTPRoute

from service.clock import SHANGHAI
from service.domain.training import ScanKind
from service.settings import Settings
from service.store.models import Feedback
from service.usecases.checkin_tokens import issue_qr
from service.usecases.services import Services
from tests.conftest import make_settings
from tests.integration.test_claims_api import PDF
from tests.integration.world import (
    OFFICER_PASSWORD,
    World,
    apply_for,
    id_number,
    record_passed_exams,
)
from tests.qr import decode_qr

PHOTO = bytes.fromhex(  # a 1 x 1 PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154"
    "08d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)
WHO = ("anonymous", "officer", "trainer", "market_admin", "hy_admin", "yjs_admin", "root")
SETS = ("market", "justice", "hanyin")
REGION = {"market": "653123", "justice": "653123", "hanyin": "610921"}
AGENCY_KEY = {"market": "yjs_market", "justice": "yjs_justice", "hanyin": "hy_justice"}
NAMES = {"market": "英吉沙县市场监督管理局", "justice": "英吉沙县司法局", "hanyin": "汉阴县司法局"}


@dataclass
class Context:
    world: World
    officers: dict[str, int] = field(default_factory=dict)
    certificates: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, int] = field(default_factory=dict)
    claims: dict[str, int] = field(default_factory=dict)
    qr_tokens: dict[str, str] = field(default_factory=dict)
    card_tokens: dict[str, str] = field(default_factory=dict)
    id_numbers: dict[str, str] = field(default_factory=dict)  # of `officers`
    feedback: dict[str, int] = field(default_factory=dict)  # a complaint about `certificates`
    serial: int = 100
    started: datetime = field(default_factory=lambda: datetime.now(UTC))  # sessions began

    def agency(self, where: str) -> int:
        return self.world.agencies[AGENCY_KEY[where]]

    def next_id_number(self, where: str) -> str:
        return id_number(REGION[where], seq=self.next_serial())

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


@dataclass(frozen=True)
class Call:
    json: Any = None
    params: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    content: bytes | None = None  # a raw body (an image)


Body = Callable[[Context, str], Call]


def _csv(ctx: Context, where: str) -> Call:
    row = f"张三,{ctx.next_id_number(where)},{ctx.agency(where)},civil_servant,male\n"
    content = ("name,id_number,agency_id,employment_type,gender\n" + row).encode()
    return Call(files={"file": ("officers.csv", content, "text/csv")})


def _sheet(*lines: str) -> Call:
    return Call(files={"file": ("import.csv", "\n".join(lines).encode(), "text/csv")})


def _old_certificate(ctx: Context, where: str) -> Call:
    """A cancelled certificate of the jurisdiction's officer, numbered afresh each call."""
    number = f"XJ-MATRIX-{ctx.next_serial()}"
    return _sheet(
        "证号,身份证号,发证日期,状态,执法区域,执法类别",
        f"{number},{ctx.id_numbers[where]},2020-01-01,已注销,英吉沙县,市场监管",
    )


def _session(ctx: Context, where: str) -> Call:
    return Call(
        json={
            "title": "《行政处罚法》专题培训",
            "category": "public_law",
            "credit_hours": 3.5,
            "starts_at": "2027-03-10T09:00:00+08:00",
            "ends_at": "2027-03-10T12:30:00+08:00",
            "location": "会议室",
            "organiser_agency_id": ctx.agency(where),
            "requires_checkout": True,
            "geofence": None,
        }
    )


REASON = Call(json={"reason": "矩阵测试"})
NOTHING = Call()

# What each route is sent, given the jurisdiction (ignored by routes without one).
BODIES: dict[str, Body] = {
    "POST /api/v1/auth/token": lambda c, w: Call(json={"username": "root", "password": "x"}),
    "POST /api/v1/auth/refresh": lambda c, w: Call(json={"refresh_token": "x" * 43}),
    "POST /api/v1/auth/logout": lambda c, w: Call(json={"refresh_token": "x" * 43}),
    "POST /mobile/v1/auth/token": lambda c, w: Call(
        json={"username": "nobody", "password": "x", "device_id": "matrix-phone"}
    ),
    "POST /mobile/v1/checkins": lambda c, w: Call(
        json={"token": c.qr_tokens[w], "device_id": "matrix-phone"}
    ),
    "POST /mobile/v1/me/external-training": lambda c, w: Call(
        data={
            "title": "行政执法培训班",
            "category": "professional",
            "hours": "2",
            "completed_on": "2026-10-15",
        },
        files={"evidence": ("证书.pdf", PDF, "application/pdf")},
    ),
    "POST /api/v1/regions": lambda c, w: Call(
        json={"code": "653124", "name": "测试县", "level": "county", "parent_code": "653100"}
    ),
    "POST /api/v1/agencies": lambda c, w: Call(
        json={
            "name": f"矩阵{c.next_id_number(w)[-4:]}局",
            "region_code": REGION[w],
            "sector": "05",
            "kind": "department",
        }
    ),
    "PATCH /api/v1/agencies/{agency_id:int}": lambda c, w: Call(json={"name": NAMES[w]}),
    "POST /api/v1/officers/{officer_id:int}/account": lambda c, w: Call(
        json={"password": OFFICER_PASSWORD}
    ),
    "POST /api/v1/officers": lambda c, w: Call(
        json={
            "name": "李四",
            "id_number": c.next_id_number(w),
            "agency_id": c.agency(w),
            "employment_type": "civil_servant",
        }
    ),
    "POST /api/v1/officers/import": _csv,
    "POST /api/v1/certificates/import": _old_certificate,
    "POST /api/v1/hours/import": lambda c, w: _sheet(
        "身份证号,日期,类别,学时,培训名称,组织单位",
        f"{c.id_numbers[w]},2026-03-01,公共法律知识,2,网络课程第{c.next_serial()}讲,干部网络学院",
    ),
    "POST /api/v1/exams/import": lambda c, w: _sheet(
        "身份证号,考试类别,分数,考试日期",
        f"{c.id_numbers[w]},综合法律知识,80,{date(2025, 1, 1) + timedelta(days=c.next_serial())}",
    ),
    "PATCH /api/v1/officers/{officer_id:int}": lambda c, w: Call(json={"post": "执法队员"}),
    "POST /api/v1/officers/{officer_id:int}/assessments": lambda c, w: Call(
        json={"year": 2025, "result": "competent"}
    ),
    "POST /api/v1/officers/{officer_id:int}/exams": lambda c, w: Call(
        json={"kind": "general_law", "score": 80, "taken_on": "2026-06-18"}
    ),
    "POST /api/v1/officers/{officer_id:int}/sanctions": lambda c, w: Call(
        json={"kind": "warning", "effective_on": "2020-01-01", "ends_on": "2020-06-30"}
    ),
    "POST /api/v1/certificates": lambda c, w: Call(
        json={
            "officer_id": c.officers[w],
            "enforcement_area": "英吉沙县",
            "enforcement_categories": ["市场监管"],
        }
    ),
    "POST /api/v1/certificates/{certificate_id:int}/cancel": lambda c, w: Call(
        json={"reason": "retired"}
    ),
    "POST /api/v1/certificates/{certificate_id:int}/issue": lambda c, w: NOTHING,
    "POST /api/v1/certificates/{certificate_id:int}/reinstate": lambda c, w: REASON,
    "POST /api/v1/certificates/{certificate_id:int}/reissue": lambda c, w: REASON,
    "POST /api/v1/certificates/{certificate_id:int}/revoke": lambda c, w: REASON,
    "POST /api/v1/certificates/{certificate_id:int}/card-returned": lambda c, w: Call(
        json={"returned_on": datetime.now(SHANGHAI).date().isoformat()}
    ),
    "POST /api/v1/certificates/{certificate_id:int}/suspend": lambda c, w: Call(
        json={"reason": "矩阵测试", "until": "2099-01-01"}
    ),
    "POST /api/v1/annual-reviews": lambda c, w: Call(
        json={"year": 2025, "region_code": REGION[w], "dry_run": True}
    ),
    "GET /api/v1/annual-reviews": lambda c, w: Call(
        params={"year": 2025, "region_code": REGION[w]}
    ),
    "GET /api/v1/requirements/{year:int}": lambda c, w: Call(params={"region_code": REGION[w]}),
    "PUT /api/v1/requirements/{year:int}": lambda c, w: Call(
        json={
            "region_code": REGION[w],
            "min_hours": {"public_law": 20, "professional": 40},
            "min_total": 60,
        }
    ),
    "POST /api/v1/sessions": _session,
    "PATCH /api/v1/sessions/{session_id:int}": lambda c, w: Call(json={"location": "二楼"}),
    "POST /api/v1/sessions/{session_id:int}/attendance": lambda c, w: Call(
        json={
            "officer_id": c.officers[w],
            "checked_in_at": (c.started + timedelta(minutes=1)).isoformat(),
            "checked_out_at": (c.started + timedelta(minutes=9)).isoformat(),
            "note": "纸质签到表",
        }
    ),
    "POST /api/v1/external-training/{claim_id:int}/approve": lambda c, w: Call(json={"hours": 1}),
    "POST /api/v1/external-training/{claim_id:int}/reject": lambda c, w: REASON,
    "GET /api/v1/reports/cleanup": lambda c, w: Call(params={"year": 2026}),
    "PUT /api/v1/agencies/{agency_id:int}/training-plan/{year:int}": lambda c, w: Call(
        json={"items": [{"category": "public_law", "sessions": 2, "hours": 6}]}
    ),
    "POST /api/v1/public/certificates/{number:str}/feedback": lambda c, w: Call(
        json={"kind": "praise", "text": "服务热情，讲解耐心。", "form_token": "none"}
    ),
    "POST /verify/{number:str}/feedback": lambda c, w: Call(
        data={"kind": "praise", "text": "服务热情，讲解耐心。", "form_token": "none"}
    ),
    "POST /api/v1/feedback/{feedback_id:int}/resolve": lambda c, w: Call(
        json={"outcome": "已核实处理"}
    ),
    "POST /api/v1/reports/cleanup": lambda c, w: Call(
        json={"year": 2026, "certificate_ids": [c.certificates[w]], "dry_run": True}
    ),
    "GET /api/v1/reports/compliance": lambda c, w: Call(
        params={"year": 2026, "region_code": REGION[w]}
    ),
    "PUT /api/v1/agencies/{agency_id:int}/channels": lambda c, w: Call(json=[]),
    "PUT /api/v1/officers/{officer_id:int}/photo": lambda c, w: Call(content=PHOTO),
    "POST /api/v1/sessions/{session_id:int}/scans": lambda c, w: Call(
        json=[
            {
                "code": "not.a.code",
                "kind": "checkin",
                "scanned_at": "2026-06-01T09:00:00+08:00",
                "device_id": "matrix-phone",
                "nonce": f"matrix-{w}",
            }
        ]
    ),
    "PUT /api/v1/officers/{officer_id:int}/channels": lambda c, w: Call(json=[]),
    "POST /api/v1/notifications/test": lambda c, w: Call(json={"agency_id": c.agency(w)}),
    "GET /api/v1/reports/annual": lambda c, w: Call(
        params={"year": 2026, "region_code": REGION[w]}
    ),
    "GET /api/v1/officers": lambda c, w: Call(params={"agency_id": c.agency(w)}),
    "GET /api/v1/certificates": lambda c, w: Call(params={"agency_id": c.agency(w)}),
    "GET /api/v1/sessions": lambda c, w: Call(params={"agency_id": c.agency(w)}),
    "GET /api/v1/agencies": lambda c, w: Call(params={"region_code": REGION[w]}),
    **{
        f"POST /admin-tools/import-{kind}": lambda c, w: Call(
            data={"csrftoken": "matrix"}, files=_csv(c, w).files
        )
        for kind in ("officers", "certificates", "hours", "exams")
    },
}

# Path parameters by name, in each jurisdiction.
PATH_VALUES: dict[str, Callable[[Context, str], object]] = {
    "officer_id": lambda c, w: c.officers[w],
    "certificate_id": lambda c, w: c.certificates[w],
    "session_id": lambda c, w: c.sessions[w],
    "claim_id": lambda c, w: c.claims[w],
    "feedback_id": lambda c, w: c.feedback[w],
    "agency_id": lambda c, w: c.agency(w),
    "year": lambda c, w: 2026,
    "number": lambda c, w: c.numbers[w],
    "token": lambda c, w: c.card_tokens[w],
    "path": lambda c, w: "nothing-here",
    "file_path": lambda c, w: "swagger-ui.css",
}
TOKEN_OF_SESSION = {"GET /m/c/{token:str}"}  # the session QR's token, not a card's

# Who may call what. One string of WHO's outcomes, or one per jurisdiction in SETS order.
EXPECTED: dict[str, str | tuple[str, ...]] = {
    "GET /.well-known/jwks.json": "AAAAAAA",
    "GET /admin-tools/import-officers": "RRRRRRR",
    "GET /admin-tools/import-certificates": "RRRRRRR",
    "GET /admin-tools/import-hours": "RRRRRRR",
    "GET /admin-tools/import-exams": "RRRRRRR",
    "GET /api/v1/agencies": ("UFAAEAA", "UFAAEAA", "UFEEAEA"),
    "GET /api/v1/agencies/{agency_id:int}": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/agencies/{agency_id:int}/training-plan/{year:int}": (
        "UFNANAA",
        "UFANNAA",
        "UFNNANA",
    ),
    "PUT /api/v1/agencies/{agency_id:int}/training-plan/{year:int}": (
        "UFNANAA",
        "UFANNAA",
        "UFNNANA",
    ),
    "GET /api/v1/annual-reviews": ("UFEEVEE", "UFEEVEE", "UFVVEVE"),
    "GET /api/v1/certificates": ("UFEAEAA", "UFAEEAA", "UFEEAEA"),
    "GET /api/v1/certificates/{certificate_id:int}": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/certificates/{certificate_id:int}/card.png": ("UFFFNAA", "UFFFNAA", "UFFFANA"),
    "GET /api/v1/certificates/{certificate_id:int}/qr.png": ("UFFFNAA", "UFFFNAA", "UFFFANA"),
    "GET /api/v1/external-training": "UFAAAAA",
    # API keys only (tests/integration/test_exchange.py): a staff or officer token is 403
    "GET /api/v1/exchange/changes": "UFFFFFF",
    "GET /api/v1/exchange/snapshot": "UFFFFFF",
    "GET /api/v1/external-training/{claim_id:int}/evidence": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/officers": ("UFEAEAA", "UFAEEAA", "UFEEAEA"),
    "GET /api/v1/officers/{officer_id:int}": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/officers/{officer_id:int}/assessments": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/officers/{officer_id:int}/eligibility": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/officers/{officer_id:int}/exams": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/officers/{officer_id:int}/hours": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/officers/{officer_id:int}/sanctions": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/officers/{officer_id:int}/timeline": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/public/certificates/{number:str}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /api/v1/public/certificates/{number:str}/authority": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /api/v1/public/credentials/{token:str}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /api/v1/public/status-list": "AAAAAAA",
    "GET /api/v1/public/agencies": "AAAAAAA",
    "GET /api/v1/public/certificates/{number:str}/feedback-form": ("AAAAAAA",) * 3,
    "POST /api/v1/public/certificates/{number:str}/feedback": ("VVVVVVV",) * 3,  # bad token
    "GET /verify/{number:str}/feedback": ("AAAAAAA",) * 3,
    "POST /verify/{number:str}/feedback": ("VVVVVVV",) * 3,
    "GET /api/v1/feedback": "UFAAAAA",
    "POST /api/v1/feedback/{feedback_id:int}/resolve": ("UFFANCC", "UFFNNAC", "UFFNANC"),
    "GET /api/v1/public/agencies/{agency_id:int}/officers": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /roster": "AAAAAAA",
    "GET /roster/{agency_id:int}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /api/v1/regions": "UFAAAAA",
    "GET /api/v1/reports/alerts": "UFAAAAA",
    "GET /api/v1/reports/cards-owed": "UFEEEEE",  # read before the writes make any
    "GET /api/v1/reports/cleanup": ("UFFFAAA", "UFFFAAA", "UFFFAAA"),
    "POST /api/v1/reports/cleanup": ("UFFFAAA", "UFFFAAA", "UFFFAAA"),  # a stranger's: not listed
    "GET /api/v1/reports/compliance": ("UFAAVAA", "UFAAVAA", "UFVVAVA"),
    "GET /api/v1/reports/annual": ("UFAAVAA", "UFAAVAA", "UFVVAVA"),
    "PUT /api/v1/agencies/{agency_id:int}/channels": ("UFFANAA", "UFFNNAA", "UFFNANA"),
    "GET /api/v1/agencies/{agency_id:int}/channels": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "PUT /api/v1/officers/{officer_id:int}/channels": ("UFFANAA", "UFFNNAA", "UFFNANA"),
    "GET /api/v1/officers/{officer_id:int}/channels": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "POST /api/v1/notifications/test": ("UFFVNVV", "UFFNNVV", "UFFNVNV"),  # no channel set
    "GET /api/v1/notifications": "UFAAAAA",
    "PUT /api/v1/officers/{officer_id:int}/photo": ("UFFANAA", "UFFNNAA", "UFFNANA"),
    "GET /api/v1/officers/{officer_id:int}/photo": ("UFNNNNN", "UFNNNNN", "UFNNNNN"),  # none
    "GET /mobile/v1/me/photo": "UNFFFFF",  # the officer has none
    "GET /api/v1/reports/dashboard": "UFAAAAA",
    "GET /api/v1/requirements/{year:int}": ("UFAAVAA", "UFAAVAA", "UFVVAVA"),
    "GET /api/v1/sessions": ("UFEAEAA", "UFAEEAA", "UFEEAEA"),
    "GET /api/v1/sessions/{session_id:int}": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/sessions/{session_id:int}/attendance": ("UFNENEE", "UFENNEE", "UFNNENE"),
    "GET /api/v1/sessions/{session_id:int}/qr.png": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /api/v1/sessions/{session_id:int}/code": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /dashboard": "AAAAAAA",
    "GET /health": "AAAAAAA",
    "GET /m": "RRRRRRR",
    "GET /m/c/{token:str}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /m/certificate": "AAAAAAA",
    "GET /m/progress": "AAAAAAA",
    "GET /m/checkin": "AAAAAAA",
    "GET /mobile/v1/me/certificate": "UNFFFFF",
    "GET /mobile/v1/me/external-training": "UAFFFFF",
    "GET /mobile/v1/me/presentation": "UNFFFFF",
    "GET /mobile/v1/me/presentation-qr.png": "UNFFFFF",
    "GET /mobile/v1/me/progress": "UAFFFFF",
    "GET /mobile/v1/me/reminders": "UAFFFFF",
    "GET /mobile/v1/me/sessions": "UAFFFFF",
    "GET /schema": "AAAAAAA",
    "GET /schema/oauth2-redirect.html": "AAAAAAA",
    "GET /schema/assets/{file_path:path}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /assets/jsqr/{file_path:path}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /m/code": "AAAAAAA",
    "GET /mobile/v1/me/checkin-code": "UAFFFFF",
    "GET /scan/sw.js": "AAAAAAA",
    "GET /scan/{session_id:int}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),  # logs in itself
    "POST /api/v1/sessions/{session_id:int}/scans": ("UFNANAA", "UFANNAA", "UFNNANA"),
    "GET /schema/openapi.json": "AAAAAAA",
    "GET /schema/swagger": "AAAAAAA",
    "GET /schema/{path:str}": ("NNNNNNN", "NNNNNNN", "NNNNNNN"),
    "GET /sessions/{session_id:int}/display": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /v/{token:str}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "GET /v/{token:str}/photo.jpg": ("NNNNNNN",) * 3,  # a card's QR shows no photo
    "GET /verify": "AAAAAAA",
    "GET /verify/{number:str}": ("AAAAAAA", "AAAAAAA", "AAAAAAA"),
    "ASGI /admin": "UUUUUUU",
    "POST /admin-tools/import-officers": ("UUUUUUU", "UUUUUUU", "UUUUUUU"),
    "POST /admin-tools/import-certificates": ("UUUUUUU", "UUUUUUU", "UUUUUUU"),
    "POST /admin-tools/import-hours": ("UUUUUUU", "UUUUUUU", "UUUUUUU"),
    "POST /admin-tools/import-exams": ("UUUUUUU", "UUUUUUU", "UUUUUUU"),
    "POST /api/v1/agencies": ("UFFFFAA", "UFFFFAA", "UFFFAFA"),
    "PATCH /api/v1/agencies/{agency_id:int}": ("UFFFNAA", "UFFFNAA", "UFFFANA"),
    "POST /api/v1/annual-reviews": ("UFFFVAA", "UFFFVAA", "UFFFAVA"),
    "POST /api/v1/auth/logout": "AAAAAAA",
    "POST /api/v1/auth/refresh": "UUUUUUU",
    "POST /api/v1/auth/token": "UUUUUUU",
    "POST /api/v1/certificates": ("UFFCNCC", "UFFNNCC", "UFFNCNC"),
    "POST /api/v1/certificates/{certificate_id:int}/issue": ("UFFFNCC", "UFFFNCC", "UFFFCNC"),
    "POST /api/v1/certificates/{certificate_id:int}/card-returned": (
        "UFFFNAC",
        "UFFFNAC",
        "UFFFANC",
    ),
    "POST /api/v1/officers": ("UFFAVAA", "UFFVVAA", "UFFVAVA"),
    "POST /api/v1/officers/import": ("UFFAVAA", "UFFVVAA", "UFFVAVA"),
    "POST /api/v1/certificates/import": ("UFFFVAA", "UFFFVAA", "UFFFAVA"),
    "POST /api/v1/exams/import": ("UFFFVAA", "UFFFVAA", "UFFFAVA"),
    "POST /api/v1/hours/import": ("UFFAVAA", "UFFVVAA", "UFFVAVA"),
    "PATCH /api/v1/officers/{officer_id:int}": ("UFFANAA", "UFFNNAA", "UFFNANA"),
    "POST /api/v1/officers/{officer_id:int}/account": ("UFFANAA", "UFFNNAA", "UFFNANA"),
    "POST /api/v1/officers/{officer_id:int}/assessments": ("UFFANCC", "UFFNNAC", "UFFNANC"),
    "POST /api/v1/officers/{officer_id:int}/exams": ("UFFFNAA", "UFFFNAA", "UFFFANA"),
    "POST /api/v1/officers/{officer_id:int}/sanctions": ("UFFANAA", "UFFNNAA", "UFFNANA"),
    "POST /api/v1/regions": "UFFFFFA",
    "PUT /api/v1/requirements/{year:int}": ("UFFFVAA", "UFFFVAA", "UFFFAVA"),
    "POST /api/v1/sessions": ("UFVAVAA", "UFAVVAA", "UFVVAVA"),
    "PATCH /api/v1/sessions/{session_id:int}": ("UFNCNCC", "UFCNNCC", "UFNNCNC"),
    "POST /api/v1/sessions/{session_id:int}/attendance": ("UFNANCC", "UFANNCC", "UFNNANC"),
    "POST /mobile/v1/auth/token": "UUUUUUU",
    "POST /mobile/v1/checkins": ("UAFFFFF", "UAFFFFF", "UAFFFFF"),
    "POST /mobile/v1/me/external-training": "UAFFFFF",
    "POST /api/v1/certificates/{certificate_id:int}/suspend": ("UFFFNAC", "UFFFNAC", "UFFFANC"),
    "POST /api/v1/certificates/{certificate_id:int}/reinstate": ("UFFFNAC", "UFFFNAC", "UFFFANC"),
    "POST /api/v1/certificates/{certificate_id:int}/reissue": ("UFFFNAC", "UFFFNAC", "UFFFANC"),
    "POST /api/v1/certificates/{certificate_id:int}/revoke": ("UFFFNCC", "UFFFNCC", "UFFFCNC"),
    "POST /api/v1/certificates/{certificate_id:int}/cancel": ("UFFFNCC", "UFFFNCC", "UFFFCNC"),
    "POST /api/v1/external-training/{claim_id:int}/approve": ("UFFANCC", "UFFNNAC", "UFFNANC"),
    "POST /api/v1/external-training/{claim_id:int}/reject": ("UFFCNCC", "UFFNNCC", "UFFNCNC"),
    "POST /api/v1/sessions/{session_id:int}/close": ("UFNCNCC", "UFCNNCC", "UFNNCNC"),
    "POST /api/v1/sessions/{session_id:int}/cancel": ("UFNANCC", "UFANNCC", "UFNNANC"),
}


# Writes that change a state other routes need go last, in this order: the first caller
# allowed makes the change (A) and the next finds it made (C).
LAST = (
    "POST /api/v1/certificates/{certificate_id:int}/suspend",
    "POST /api/v1/certificates/{certificate_id:int}/reinstate",
    "POST /api/v1/certificates/{certificate_id:int}/reissue",
    "POST /api/v1/certificates/{certificate_id:int}/revoke",
    "POST /api/v1/certificates/{certificate_id:int}/cancel",
    "POST /api/v1/certificates/{certificate_id:int}/card-returned",  # void by the reissue
    "POST /api/v1/external-training/{claim_id:int}/approve",
    "POST /api/v1/external-training/{claim_id:int}/reject",
    "POST /api/v1/sessions/{session_id:int}/close",
    "POST /api/v1/sessions/{session_id:int}/cancel",
)


def in_order(keys: list[str]) -> list[str]:
    """Reads first, then writes, then `LAST`: so each write meets the state it expects."""

    def rank(key: str) -> tuple[int, int, str]:
        method, path = key.split(" ", 1)
        last = LAST.index(key) if key in LAST else -1
        return (method != "GET", last, path + " " + method)

    return sorted(keys, key=rank)


def route_table(app: Any) -> list[str]:
    keys = []
    for route in app.routes:
        if isinstance(route, ASGIRoute):
            keys.append(f"ASGI {route.path}")
            continue
        assert isinstance(route, HTTPRoute)
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                keys.append(f"{method} {route.path}")
    return keys


def concrete(ctx: Context, key: str, where: str) -> tuple[str, str]:
    method, template = key.split(" ", 1)
    if method == "ASGI":
        return "GET", template + "/api/tables/"
    path = template
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        name = path[start + 1 : end].split(":")[0]
        if name == "token" and key in TOKEN_OF_SESSION:
            value: object = ctx.qr_tokens[where]
        elif name == "file_path" and key.startswith("GET /assets/jsqr/"):
            value = "jsQR.js"
        else:
            value = PATH_VALUES[name](ctx, where)
        path = path[:start] + str(value) + path[end + 1 :]
    return method, path


def has_jurisdiction(key: str) -> bool:
    return "{" in key.split(" ", 1)[1] or (key in BODIES and key not in UNSCOPED_BODIES)


UNSCOPED_BODIES = {
    "POST /api/v1/auth/token",
    "POST /api/v1/auth/refresh",
    "POST /api/v1/auth/logout",
    "POST /mobile/v1/auth/token",
    "POST /api/v1/regions",
    "POST /mobile/v1/me/external-training",
}


def outcome(response: httpx.Response) -> str:
    status = response.status_code
    assert status < 500, f"{response.request.method} {response.request.url}: {response.text}"
    if status < 300:
        body = (
            response.json() if response.headers.get("content-type") == "application/json" else None
        )
        if isinstance(body, dict) and body.get("total") == 0 and body.get("items") == []:
            return "E"
        if isinstance(body, dict) and body.get("created") == 0 and body.get("updated") == 0:
            return "V"
        return "A"
    if status < 400:
        return "R"
    return {400: "V", 401: "U", 403: "F", 404: "N", 409: "C", 422: "V"}.get(status, f"[{status}]")


async def call(ctx: Context, key: str, where: str, who: str) -> str:
    method, path = concrete(ctx, key, where)
    sent = BODIES.get(key, lambda c, w: NOTHING)(ctx, where)
    headers = {} if who == "anonymous" else ctx.world.auth(who)
    response = await ctx.world.client.request(
        method,
        path,
        json=sent.json,
        params=sent.params,
        files=sent.files,
        data=sent.data,
        content=sent.content,
        headers=headers,
    )
    return outcome(response)


async def _complaint(world: World, number: str) -> int:
    token = (await world.client.get(f"/api/v1/public/certificates/{number}/feedback-form")).json()[
        "form_token"
    ]
    sent = await world.client.post(
        f"/api/v1/public/certificates/{number}/feedback",
        json={"kind": "complaint", "text": "执法时未出示执法证件。", "form_token": token},
    )
    assert sent.status_code == 201, sent.text
    return int((await Feedback.get(reference=sent.json()["reference"])).id)


async def build(world: World, tmp_path: Path) -> Context:
    ctx = Context(world)
    services = Services.build(world.settings)
    for where in SETS:
        officer = await world.create_officer(
            id_number=ctx.next_id_number(where), agency_id=ctx.agency(where)
        )
        ctx.officers[where] = int(officer["id"])  # type: ignore[call-overload]
        ctx.id_numbers[where] = str(officer["id_number"])
        await record_passed_exams(world, officer["id"])
        pending = await apply_for(world, officer["id"])
        issued = await world.client.post(
            f"/api/v1/certificates/{pending['id']}/issue", headers=world.auth("root")
        )
        assert issued.status_code == 200, issued.text
        ctx.certificates[where] = int(issued.json()["id"])
        ctx.numbers[where] = str(issued.json()["number"])
        qr = await world.client.get(
            f"/api/v1/certificates/{issued.json()['id']}/qr.png", headers=world.auth("root")
        )
        ctx.card_tokens[where] = decode_qr(qr.content, tmp_path).rsplit("/v/", 1)[1]
        now = services.now()
        ctx.started = now - timedelta(minutes=10)
        session = await world.client.post(
            "/api/v1/sessions",
            json={
                **_session(ctx, where).json,
                "starts_at": ctx.started.isoformat(),
                "ends_at": (now + timedelta(hours=3)).isoformat(),
            },
            headers=world.auth("root"),
        )
        assert session.status_code == 201, session.text
        ctx.sessions[where] = int(session.json()["id"])
        qr = await issue_qr(services, ctx.sessions[where], ScanKind.CHECKIN)
        ctx.qr_tokens[where] = qr.token
        claimant = await world.create_officer(
            id_number=ctx.next_id_number(where), agency_id=ctx.agency(where)
        )
        assert (await world.give_login(claimant)).status_code == 201
        login = await world.mobile_login(claimant["id_number"], device_id=f"phone-{where}-01")
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        claim = await world.client.post(
            "/mobile/v1/me/external-training",
            data=BODIES["POST /mobile/v1/me/external-training"](ctx, where).data,
            files={"evidence": ("证书.pdf", PDF, "application/pdf")},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert claim.status_code == 201, claim.text
        ctx.claims[where] = int(claim.json()["id"])
        ctx.feedback[where] = await _complaint(world, ctx.numbers[where])
        if where == "market":  # the officer identity: this claimant, on their own phone
            world.tokens["officer"] = token
    return ctx


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """The public limit (120 a minute by default) is not what this table checks, and its
    public routes make more calls than that; the limits have tests of their own."""
    return make_settings(tmp_path / "data", database_url, PUBLIC_RATE_PER_MINUTE="10000")


async def test_every_route_answers_each_identity_as_the_table_says(
    world: World, tmp_path: Path
) -> None:
    from service.app import create_app

    app = create_app(world.settings)
    keys = in_order(route_table(app))
    ctx = await build(world, tmp_path)
    observed: dict[str, str | tuple[str, ...]] = {}
    for key in keys:
        if has_jurisdiction(key):
            observed[key] = tuple(
                ["".join([await call(ctx, key, where, who) for who in WHO]) for where in SETS]
            )
        else:
            observed[key] = "".join([await call(ctx, key, "market", who) for who in WHO])
    unlisted = sorted(set(observed) - set(EXPECTED))
    assert not unlisted, f"routes with no entry in EXPECTED (say who may call them): {unlisted}"
    stale = sorted(set(EXPECTED) - set(observed))
    assert not stale, f"entries in EXPECTED for routes the app no longer has: {stale}"
    wrong = {
        key: f"expected {EXPECTED[key]}, got {got}"
        for key, got in observed.items()
        if got != EXPECTED[key]
    }
    assert not wrong, "\n".join(f"{key}: {why}" for key, why in wrong.items())
    cells = sum(len(WHO) * (len(v) if isinstance(v, tuple) else 1) for v in observed.values())
    assert cells > 1_000  # every route, every identity, every jurisdiction was called
