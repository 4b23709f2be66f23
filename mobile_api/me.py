"""`/mobile/v1/me/...`: what an officer sees of their own records."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Response, get
from litestar.params import QueryParameter

from service.documents.qrcodes import ON_SCREEN, qr_png
from service.domain.hours import as_hours
from service.usecases import personal_codes, photos, progress, reminders, verification
from service.usecases.certificates import queries
from service.web.certificates import CertificateOut, certificate_out
from service.web.deps import OfficerDep, ServicesDep
from service.web.params import OptionalYear
from service.web.progress import ProgressOut, ReminderOut, progress_out, reminder_out


class ReviewOut(msgspec.Struct):
    year: int
    certificate_id: int
    passed: bool
    reasons: list[str]
    messages: list[str]
    reviewed_at: datetime


class MyCertificateOut(CertificateOut):
    reviews: list[ReviewOut]


@get("/certificate", summary="My certificate and its annual reviews")
async def my_certificate(officer: OfficerDep, services: ServicesDep) -> MyCertificateOut:
    """The newest certificate issued to me (any status), with every annual review result,
    newest first. 404 `certificate.none` when none was ever issued."""
    own = await queries.own_certificate(officer)
    reviews = [
        ReviewOut(
            year=r.year,
            certificate_id=r.certificate_id,  # type: ignore[attr-defined]
            passed=r.passed,
            reasons=[item["code"] for item in r.reasons],
            messages=[item["message"] for item in r.reasons],
            reviewed_at=r.reviewed_at,
        )
        for r in own.reviews
    ]
    shown = certificate_out(services, own.certificate)
    return MyCertificateOut(**msgspec.structs.asdict(shown), reviews=reviews)


@get("/progress", summary="My hours this year against the requirement")
async def my_progress(
    officer: OfficerDep, services: ServicesDep, year: OptionalYear = None
) -> ProgressOut:
    """Required, earned and short per category (20 h public law + 40 h professional by
    default), compliant, and every record. `year` defaults to this year."""
    return progress_out(await progress.own_progress(services, officer, year))


@get("/reminders", summary="My reminders: hours short, annual review or expiry due")
async def my_reminders(officer: OfficerDep, services: ServicesDep) -> list[ReminderOut]:
    """Amber when a deadline is within 60 days, red once it has passed; red first."""
    return [reminder_out(r) for r in await reminders.own_reminders(services, officer)]


class UpcomingOut(msgspec.Struct):
    id: int
    title: str
    category: str
    credit_hours: float
    starts_at: datetime
    ends_at: datetime
    location: str
    organiser: str


@get("/sessions", summary="Training sessions coming up near me")
async def my_sessions(officer: OfficerDep, services: ServicesDep) -> list[UpcomingOut]:
    """The next sessions organised in my region or above it, soonest first."""
    found = await progress.upcoming_sessions(services, officer)
    return [
        UpcomingOut(
            s.id,
            s.title,
            str(s.category),
            as_hours(s.credit_tenths),
            s.starts_at,
            s.ends_at,
            s.location,
            s.organiser_agency.name,
        )
        for s in found
    ]


class PresentationOut(msgspec.Struct):
    url: str  # `{PUBLIC_BASE_URL}/v/{token}`, what the QR encodes
    expires_at: datetime
    seconds: int


@get("/presentation", summary="My presentation QR's link (亮证), valid 5 minutes")
async def my_presentation(officer: OfficerDep, services: ServicesDep) -> Response[PresentationOut]:
    """A fresh signed link to my certificate's live public view, valid
    PRESENTATION_SECONDS (5 minutes), so a screenshot is useless later. 404
    `certificate.none`; 409 `certificate.not_in_force` unless my certificate is active."""
    shown = await verification.presentation(services, officer)
    out = PresentationOut(shown.url, shown.expires_at, services.settings.presentation_seconds)
    return Response(out, headers={"Cache-Control": "no-store"})


@get(
    "/presentation-qr.png",
    summary="My presentation QR (亮证, PNG), valid 5 minutes",
    media_type="image/png",
)
async def my_presentation_qr(officer: OfficerDep, services: ServicesDep) -> Response[bytes]:
    """The QR of `/mobile/v1/me/presentation`'s link; `X-Expires-At` says when it stops
    verifying."""
    shown = await verification.presentation(services, officer)
    return Response(
        qr_png(shown.url, level=ON_SCREEN, box_size=10),
        media_type="image/png",
        headers={"Cache-Control": "no-store", "X-Expires-At": shown.expires_at.isoformat()},
    )


@get("/photo", summary="My photo (JPEG), as on my electronic certificate", media_type="image/jpeg")
async def my_photo(officer: OfficerDep, services: ServicesDep) -> Response[bytes]:
    """404 `officer.no_photo` until staff set one."""
    content = await photos.own_photo(services, officer)
    return Response(content, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


class CodeOut(msgspec.Struct):
    code: str  # signed: the officer and a 60-second window
    valid_from: datetime
    expires_at: datetime
    qr: str  # the code's QR as a data: URL, to show with no network


class CheckinCodeOut(msgspec.Struct):
    code: str
    expires_at: datetime
    qr: str
    ahead: list[CodeOut]  # the next windows' codes, for the page to show offline


@get("/checkin-code", summary="My personal check-in code, for rooms with no signal")
async def my_checkin_code(
    officer: OfficerDep,
    services: ServicesDep,
    ahead: Annotated[int, QueryParameter(ge=0, le=60)] = 0,
) -> Response[CheckinCodeOut]:
    """The organiser's phone scans it (`/scan/{session_id}`); it changes every 60 seconds.
    `ahead` adds the next windows' codes (up to an hour), so `/m/code` keeps showing a
    current one once loaded, with no network."""
    found = await personal_codes.personal_codes(services, officer, ahead)

    def out(code: personal_codes.PersonalCode) -> CodeOut:
        png = qr_png(code.code, level=ON_SCREEN, box_size=6)
        data = "data:image/png;base64," + base64.b64encode(png).decode()
        return CodeOut(code.code, code.valid_from, code.expires_at, data)

    shown = [out(code) for code in found]
    now = shown[0]
    body = CheckinCodeOut(now.code, now.expires_at, now.qr, shown[1:])
    return Response(body, headers={"Cache-Control": "no-store"})
