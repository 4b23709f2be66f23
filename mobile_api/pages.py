"""The officers' pages under `/m`: the check-in page inside the session QR, and progress.

Plain HTML with a little script: it works in any phone browser and in WeChat's. The
pages call the same mobile API as an app would; the login lives in the browser.
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.params import FromPath
from litestar.response import Redirect, Template

from service.clock import SHANGHAI
from service.domain.errors import DomainError
from service.domain.messages import MESSAGES
from service.domain.training import ScanKind
from service.usecases.checkin_tokens import pending_ticket
from service.usecases.sessions import scanned_session
from service.web.deps import ServicesDep

_KIND_LABEL = {ScanKind.CHECKIN: "签到", ScanKind.CHECKOUT: "签退"}
_NO_STORE = {"Cache-Control": "no-store"}


@get("/c/{token:str}", summary="The page a session QR opens", include_in_schema=False)
async def scan_page(token: FromPath[str], services: ServicesDep) -> Response[Any]:
    """Checks the QR at once and keeps the scan for 10 minutes (a signed ticket in the
    page), then records it with the officer's login, asking for it first if needed."""
    try:
        scan, ticket = await pending_ticket(services, token)
    except DomainError as exc:
        context = {"error": _refusal(exc.code), "title": "扫码", "kind_label": "扫码"}
        return Template("checkin.html", context=context, status_code=422, headers=_NO_STORE)
    session = await scanned_session(scan.session_id)
    if session is None:
        context = {"error": "培训不存在", "title": "扫码", "kind_label": "扫码"}
        return Template("checkin.html", context=context, status_code=404, headers=_NO_STORE)
    starts = session.starts_at.astimezone(SHANGHAI)
    ends = session.ends_at.astimezone(SHANGHAI)
    context = {
        "ticket": ticket,
        "title": session.title,
        "kind_label": _KIND_LABEL[scan.kind],
        "when": f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}",
        "place": session.location,
    }
    return Template("checkin.html", context=context, headers=_NO_STORE)


@get("/checkin", summary="Check in with the code on the screen", include_in_schema=False)
async def typed_code_page() -> Template:
    """For a camera that fails: pick the session, type the 6 digits beside the QR."""
    return Template("typed.html", headers=_NO_STORE)


@get("/code", summary="My personal check-in code", include_in_schema=False)
async def personal_code_page() -> Template:
    """For a room with no signal: the organiser's phone scans this (`/scan/{id}`)."""
    return Template("code.html", headers=_NO_STORE)


@get("/progress", summary="My hours at a glance", include_in_schema=False)
async def progress_page() -> Template:
    return Template("progress.html")


@get("/certificate", summary="Show my certificate (亮证)", include_in_schema=False)
async def presentation_page() -> Template:
    """My presentation QR full screen with its countdown, renewed on a tap when it ends."""
    return Template("present.html", headers=_NO_STORE)


@get("/", include_in_schema=False)
async def home() -> Redirect:
    return Redirect("/m/progress")


def _refusal(code: str) -> str:
    return MESSAGES.get(code, MESSAGES["checkin.token_invalid"])
