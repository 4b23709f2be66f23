"""Notification channels as forms (group 通知): add or replace one channel of an agency
(the others are kept, with their secrets), and send a test message to an agency's."""

from __future__ import annotations

from piccolo_admin.endpoints import FormConfig, FormResponse
from pydantic import BaseModel, Field

from admin.forms.base import form, labelled, unlabel
from service.domain.access import Principal
from service.domain.labels import label
from service.domain.notifications import Channel, ChannelKind
from service.usecases import channels
from service.usecases.services import Services

KindChoice = labelled(ChannelKind)


class ChannelForm(BaseModel):
    agency_id: int = Field(title="单位 ID", gt=0)
    kind: KindChoice = Field(title="渠道")  # type: ignore[valid-type]
    target: str = Field(
        title="地址（机器人/网关的 https 地址，或邮箱）", min_length=1, max_length=500
    )
    secret: str = Field(
        default="", title="密钥（钉钉加签或网关令牌；不填则保留原有）", max_length=200
    )
    remove: bool = Field(default=False, title="删除这个渠道")


class TestForm(BaseModel):
    agency_id: int = Field(title="单位 ID", gt=0)


async def _channel(services: Services, principal: Principal, data: ChannelForm) -> FormResponse:
    kind = unlabel(ChannelKind, data.kind)
    existing = await channels.agency_channels(principal, data.agency_id)
    others = [
        Channel(v.kind, v.target)
        for v in existing
        if (v.kind, v.target) != (kind, data.target.strip())
    ]
    wanted = others if data.remove else [*others, Channel(kind, data.target, data.secret or None)]
    kept = await channels.set_agency_channels(services, principal, data.agency_id, wanted)
    listed = "、".join(f"{label(v.kind)} {v.target}" for v in kept) or "无"
    return f"已保存。该单位现有通知渠道：{listed}。"


async def _test(services: Services, principal: Principal, data: TestForm) -> FormResponse:
    queued = await channels.send_test(services, principal, data.agency_id)
    return f"已排队 {queued} 条测试消息，稍后由通知进程发出。"


def notification_forms() -> list[FormConfig]:
    return [
        form(
            "notification-channel",
            "通知渠道",
            ChannelForm,
            _channel,
            group="通知",
            description="为单位添加、更换或删除一个通知渠道：企业微信或钉钉群机器人、电子邮件、"
            "短信网关。单位会收到本单位人员证件暂扣、吊销和年审未通过的通知。",
        ),
        form(
            "notification-test",
            "发送测试通知",
            TestForm,
            _test,
            group="通知",
            description="向单位的每个通知渠道发送一条测试消息。",
        ),
    ]
