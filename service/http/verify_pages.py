"""The public's pages in Chinese (English on request): `/verify` and `/verify/{number}`,
and `/v/{token}` behind a card's or a presentation QR. Only the public view is shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from litestar import Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from service.clock import SHANGHAI
from service.domain.errors import DomainError
from service.domain.history import OnDay
from service.domain.public import STATUS_LABELS_EN, STATUS_TONES
from service.usecases import certificate_history, photos, verification
from service.usecases.verification import PublicView, Verdict
from service.web.deps import ServicesDep

FRESH = {"Cache-Control": "no-cache"}  # a status change must show at once

_TEXT = {
    "zh": {
        "lang": "zh-CN",
        "title": "行政执法证查询",
        "intro": "输入证件上的证号，查询证件是否真实有效。",
        "number": "证号",
        "search": "查询",
        "name": "姓名",
        "agency": "所在单位",
        "area": "执法区域",
        "categories": "执法类别",
        "valid": "有效期",
        "review": "最近年审",
        "review_none": "尚无",
        "authority": "发证机关",
        "checked": "查询时间",
        "on_day": "当日状态",
        "on_day_events": "截至当日的记录",
        "bad_day": "查询日期不正确：请填写今天或以前的日期（YYYY-MM-DD）。",
        "bad_number": "证号格式或校验位不正确，请核对后重新输入。",
        "not_found": "未找到该证号的行政执法证。",
        "genuine_card": "证件二维码签名有效，由本系统签发。",
        "genuine_presentation": "亮证二维码签名有效，由本系统签发。",
        "forged": "该二维码不是本系统签发的行政执法证，或已被篡改，证件不真实。",
        "expired": "亮证二维码已过期（有效期5分钟），请执法人员重新出示。",
        "changed": "注意：证件上的以下信息与当前登记不一致：",
        "fields": {
            "name": "姓名",
            "agency": "单位",
            "valid_from": "有效期",
            "valid_until": "有效期",
        },
        "again": "查询其他证件",
        "other_lang": ("English", "en"),
    },
    "en": {
        "lang": "en",
        "title": "Enforcement certificate check",
        "intro": "Enter the number on the card to check that it is genuine and valid.",
        "number": "Number",
        "search": "Check",
        "name": "Name",
        "agency": "Agency",
        "area": "Enforcement area",
        "categories": "Categories",
        "valid": "Valid",
        "review": "Last annual review",
        "review_none": "none yet",
        "authority": "Issued by",
        "checked": "Checked at",
        "on_day": "Status on",
        "on_day_events": "Events up to that day",
        "bad_day": "The date is wrong: give today or an earlier day (YYYY-MM-DD).",
        "bad_number": "The number is malformed or its check character is wrong.",
        "not_found": "No enforcement certificate has this number.",
        "genuine_card": "The card's QR signature is valid: issued by this service.",
        "genuine_presentation": "The presentation QR's signature is valid: issued by this service.",
        "forged": "This QR was not issued by this service or has been altered: not genuine.",
        "expired": "This presentation QR has expired (5 minutes): ask for it again.",
        "changed": "Note: the card states details that are no longer current:",
        "fields": {
            "name": "name",
            "agency": "agency",
            "valid_from": "validity",
            "valid_until": "validity",
        },
        "again": "Check another certificate",
        "other_lang": ("中文", "zh"),
    },
}


def _language(request: Request[Any, Any, Any]) -> str:
    """zh unless asked otherwise: `?lang=en`, or English preferred in Accept-Language."""
    asked = request.query_params.get("lang")
    if asked in _TEXT:
        return asked
    best, best_q = "zh", -1.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in _TEXT and q > best_q:
            best, best_q = primary, q
    return best


def _view_context(view: PublicView, lang: str) -> dict[str, Any]:
    record = view.record
    label = view.status.label if lang == "zh" else STATUS_LABELS_EN[view.status]
    return {
        "number": record.number,
        "name": record.name,
        "agency": record.agency,
        "area": record.enforcement_area,
        "categories": "、".join(record.enforcement_categories),
        "status_label": label,
        "tone": STATUS_TONES[view.status],
        "valid_from": record.valid_from.isoformat() if record.valid_from else "",
        "valid_until": record.valid_until.isoformat() if record.valid_until else "",
        "review": record.last_review_year,
        "authority": record.issuing_authority,
        "checked": f"{view.checked_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}",
    }


def _page(
    request: Request[Any, Any, Any],
    status: int = 200,
    *,
    view: PublicView | None = None,
    changed: Sequence[str] = (),
    **context: Any,
) -> Template:
    """The verify page in the reader's language, with the certificate's view if any and
    what a card states that is no longer so."""
    lang = _language(request)
    text = _TEXT[lang]
    if view is not None:
        context["certificate"] = _view_context(view, lang)
        context["changed"] = sorted({text["fields"][field] for field in changed})
    return Template(
        "verify.html",
        context={"t": text, "lang": lang, "path": request.url.path, **context},
        status_code=status,
        headers={**FRESH, "Content-Language": text["lang"], "Vary": "Accept-Language"},
    )


@get("/verify", include_in_schema=False)
async def verify_form(
    request: Request[Any, Any, Any], number: FromQuery[str | None] = None
) -> Redirect | Template:
    """The search form; a submitted number goes to its page."""
    if number and number.strip():
        lang = request.query_params.get("lang")
        suffix = f"?lang={lang}" if lang in _TEXT else ""
        return Redirect(f"/verify/{quote(number.strip().upper(), safe='')}{suffix}")
    return _page(request)


@get("/verify/{number:str}", include_in_schema=False)
async def verify_page(
    number: FromPath[str],
    request: Request[Any, Any, Any],
    services: ServicesDep,
    at: FromQuery[str | None] = None,
) -> Template:
    """The live public view; with `?at=YYYY-MM-DD` also the status at the end of that day
    and the events (days and kinds) up to it."""
    try:
        view = await verification.public_certificate(services, number)
    except DomainError as exc:
        bad = exc.code == "certificate.bad_number"
        message = "bad_number" if bad else "not_found"
        return _page(request, 422 if bad else 404, error=message, typed=number[:40])
    if not at:
        return _page(request, view=view)
    try:
        past = await certificate_history.certificate_on(services, number, date.fromisoformat(at))
    except (ValueError, DomainError):
        return _page(request, 422, view=view, error="bad_day")
    return _page(request, view=view, on_day=_on_day_context(past.on_day, _language(request)))


def _on_day_context(on_day: OnDay, lang: str) -> dict[str, Any]:
    status = on_day.status
    label = on_day.label if lang == "zh" or status is None else STATUS_LABELS_EN[status]
    return {
        "day": on_day.day.isoformat(),
        "label": label,
        "tone": STATUS_TONES[status] if status else "grey",
        "events": [(step.on.isoformat(), step.action.label) for step in on_day.decided_by],
    }


@get("/v/{token:str}", include_in_schema=False)
async def credential_page(
    token: FromPath[str], request: Request[Any, Any, Any], services: ServicesDep
) -> Template:
    """Behind a card's or a presentation QR: is it ours and intact, and the live status.
    A forged or expired QR answers 400 with a page that says so."""
    result = await verification.verify_credential(services, token)
    if result.verdict is not Verdict.GENUINE or result.view is None:
        return _page(request, 400, verdict=str(result.verdict))
    # The holder's photo, only behind a presentation QR (it lasts 5 minutes), never a card's.
    photo_url = None
    if result.kind == "presentation" and await photos.has_photo(result.view.record.number):
        photo_url = f"/v/{token}/photo.jpg"
    return _page(
        request,
        verdict="genuine",
        kind=result.kind,
        view=result.view,
        changed=result.changed,
        photo_url=photo_url,
    )
