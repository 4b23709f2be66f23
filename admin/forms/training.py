"""Forms for training sessions: scheduling one, and its printable check-in poster."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from piccolo_admin.endpoints import FormConfig, FormResponse
from pydantic import BaseModel, Field

from admin.forms.base import download, form, labelled, local, unlabel
from service.clock import SHANGHAI
from service.documents.fonts import find_cjk_font
from service.documents.posters import PosterFace, render_poster
from service.domain.access import Action, Principal
from service.domain.errors import Conflict
from service.domain.hours import HourCategory, format_tenths, parse_tenths
from service.domain.labels import label
from service.domain.training import ScanKind, SessionStatus
from service.usecases.checkin_tokens import poster_qr
from service.usecases.services import Services
from service.usecases.sessions import NewSession, create_session, get_session

GROUP = "培训"
CategoryChoice = labelled(HourCategory)


class ScanChoice(StrEnum):
    CHECKIN = "签到"
    CHECKOUT = "签退"


class PosterFormat(StrEnum):
    PDF = "PDF"
    PNG = "PNG"


class SessionForm(BaseModel):
    title: str = Field(title="培训名称", min_length=1, max_length=200)
    category: CategoryChoice = Field(title="学时类别")  # type: ignore[valid-type]
    credit_hours: Decimal = Field(title="学时（以 0.5 为单位）", gt=0, le=100)
    starts_at: datetime = Field(title="开始时间（北京时间）")
    ends_at: datetime = Field(title="结束时间（北京时间）")
    location: str = Field(default="", title="地点", max_length=200)
    organiser_agency_id: int = Field(title="组织单位 ID", gt=0)
    requires_checkout: bool = Field(default=True, title="需要签退")


class PosterForm(BaseModel):
    session_id: int = Field(title="培训场次 ID", gt=0)
    kind: ScanChoice = Field(default=ScanChoice.CHECKIN, title="签到或签退")
    format: PosterFormat = Field(default=PosterFormat.PDF, title="格式")


async def _create(services: Services, principal: Principal, data: SessionForm) -> FormResponse:
    new = NewSession(
        title=data.title,
        category=unlabel(HourCategory, data.category),
        credit_tenths=parse_tenths(data.credit_hours, field="credit_hours"),
        starts_at=local(data.starts_at),
        ends_at=local(data.ends_at),
        organiser_agency_id=data.organiser_agency_id,
        location=data.location,
        requires_checkout=data.requires_checkout,
    )
    session = await create_session(services, principal, new)
    return f"已创建培训场次（ID {session.id}）。投屏签到页：/sessions/{session.id}/display"


async def _poster(services: Services, principal: Principal, data: PosterForm) -> FormResponse:
    principal.require(Action.MANAGE_TRAINING)
    session = await get_session(principal, data.session_id)
    if session.status is not SessionStatus.SCHEDULED:
        raise Conflict("The session is over.", code="session.not_scheduled")
    kind = ScanKind.CHECKIN if data.kind is ScanChoice.CHECKIN else ScanKind.CHECKOUT
    starts, ends = session.starts_at.astimezone(SHANGHAI), session.ends_at.astimezone(SHANGHAI)
    face = PosterFace(
        heading=f"扫码{data.kind.value}",
        title=session.title,
        lines=[
            f"{starts:%Y年%m月%d日 %H:%M} - {ends:%H:%M}",
            *([f"地点：{session.location}"] if session.location else []),
            f"{label(session.category)} {format_tenths(session.credit_tenths)} 学时",
        ],
        url=await poster_qr(services, session.id, kind),
        footer="请用手机相机或微信扫一扫；仅在培训时间内有效",
    )
    fmt = "pdf" if data.format is PosterFormat.PDF else "png"
    content = render_poster(face, find_cjk_font(services.settings.card_font), fmt)
    media = "application/pdf" if fmt == "pdf" else "image/png"
    return download(content, f"session-{session.id}-{kind}-poster.{fmt}", media)


def training_forms() -> list[FormConfig]:
    return [
        form(
            "create-session",
            "创建培训场次",
            SessionForm,
            _create,
            group=GROUP,
            description="创建后在投屏页展示动态签到码。",
        ),
        form(
            "session-poster",
            "下载签到海报",
            PosterForm,
            _poster,
            group=GROUP,
            description=(
                "A4 海报（PDF 或 PNG），含培训名称、时间和签到二维码；扫码会被标记为海报签到。"
            ),
        ),
    ]
