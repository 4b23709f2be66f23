"""Training sessions: `/api/v1/sessions`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import FromQuery, JSONBody

from service.documents.qrcodes import ON_SCREEN, qr_png
from service.domain.hours import HourCategory, as_hours, parse_tenths
from service.domain.training import Geofence, ScanKind, SessionStatus
from service.http.patches import sent_fields
from service.store.models import TrainingSession
from service.usecases import checkin_tokens, offline_scans, sessions
from service.web.deps import ServicesDep, StaffDep
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import (
    Id,
    IdField,
    Latitude,
    Longitude,
    Number,
    QueryId,
    QueryMoment,
    Radius,
    moment,
)

Title = Annotated[str, msgspec.Meta(max_length=200)]
Place = Annotated[str, msgspec.Meta(max_length=200)]
Moment = Annotated[datetime, msgspec.Meta(tz=True)]


class ScanIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]  # the officer's code
    kind: ScanKind
    scanned_at: Moment  # when the organiser's phone scanned it
    device_id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    nonce: Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class ScanResultOut(msgspec.Struct):
    nonce: str
    outcome: str  # recorded | refused
    code: str | None  # why refused (checkin.token_invalid, checkin.token_expired, ...)
    officer_id: int | None
    again: bool  # uploaded before: its first outcome, nothing written now


class ScansOut(msgspec.Struct):
    recorded: int
    refused: int
    results: list[ScanResultOut]


class CodeOut(msgspec.Struct):
    code: str
    refresh_at: str


class GeofenceIO(msgspec.Struct, forbid_unknown_fields=True):
    lat: Latitude
    lng: Longitude
    radius_m: Radius


class SessionIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    category: HourCategory
    credit_hours: Number
    starts_at: Moment
    ends_at: Moment
    organiser_agency_id: IdField
    location: Place = ""
    requires_checkout: bool = True
    geofence: GeofenceIO | None = None


class SessionPatch(msgspec.Struct, forbid_unknown_fields=True):
    title: Title | msgspec.UnsetType = msgspec.UNSET
    category: HourCategory | msgspec.UnsetType = msgspec.UNSET
    credit_hours: Number | msgspec.UnsetType = msgspec.UNSET
    starts_at: Moment | msgspec.UnsetType = msgspec.UNSET
    ends_at: Moment | msgspec.UnsetType = msgspec.UNSET
    location: Place | msgspec.UnsetType = msgspec.UNSET
    requires_checkout: bool | msgspec.UnsetType = msgspec.UNSET
    geofence: GeofenceIO | msgspec.UnsetType | None = msgspec.UNSET


class SessionOut(msgspec.Struct):
    id: int
    title: str
    category: HourCategory
    credit_hours: float
    starts_at: datetime
    ends_at: datetime
    location: str
    organiser_agency_id: IdField
    organiser_agency_name: str
    requires_checkout: bool
    geofence: GeofenceIO | None
    status: SessionStatus
    closed_at: datetime | None
    created_at: datetime


def session_out(s: TrainingSession) -> SessionOut:
    fence = None
    if s.geofence_lat is not None and s.geofence_lng is not None and s.geofence_radius_m:
        fence = GeofenceIO(s.geofence_lat, s.geofence_lng, s.geofence_radius_m)
    return SessionOut(
        id=s.id,
        title=s.title,
        category=s.category,
        credit_hours=as_hours(s.credit_tenths),
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        location=s.location,
        organiser_agency_id=s.organiser_agency.id,
        organiser_agency_name=s.organiser_agency.name,
        requires_checkout=s.requires_checkout,
        geofence=fence,
        status=s.status,
        closed_at=s.closed_at,
        created_at=s.created_at,
    )


def _fence(data: GeofenceIO | None) -> Geofence | None:
    return Geofence(data.lat, data.lng, data.radius_m) if data is not None else None


class SessionController(Controller):
    path = "/api/v1/sessions"
    tags: ClassVar[list[str]] = ["training"]

    @post("/", summary="Schedule a training session")
    async def create(
        self, data: JSONBody[SessionIn], staff: StaffDep, services: ServicesDep
    ) -> SessionOut:
        """`credit_hours` in steps of 0.5; times with their offset. Organisers schedule for
        their own agency, bureau admins for any agency of their region."""
        new = sessions.NewSession(
            title=data.title,
            category=data.category,
            credit_tenths=parse_tenths(data.credit_hours, field="credit_hours"),
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            organiser_agency_id=data.organiser_agency_id,
            location=data.location,
            requires_checkout=data.requires_checkout,
            geofence=_fence(data.geofence),
        )
        return session_out(await sessions.create_session(services, staff, new))

    @get("/", summary="List training sessions")
    async def list(
        self,
        staff: StaffDep,
        page: PageNumber = 1,
        page_size: PageSize = 50,
        agency_id: QueryId = None,
        status: FromQuery[SessionStatus | None] = None,
        starts_from: QueryMoment = None,
        starts_before: QueryMoment = None,
    ) -> PageOut[SessionOut]:
        """Sessions organised inside the caller's jurisdiction, soonest first."""
        found = await sessions.list_sessions(
            staff,
            agency_id=agency_id,
            status=status,
            starts_from=moment(starts_from, "starts_from"),
            starts_before=moment(starts_before, "starts_before"),
            page=page,
            page_size=page_size,
        )
        return page_out(found, session_out)

    @get("/{session_id:int}", summary="Read a training session")
    async def read(self, session_id: Id, staff: StaffDep) -> SessionOut:
        return session_out(await sessions.get_session(staff, session_id))

    @patch("/{session_id:int}", summary="Change a session before it starts")
    async def update(
        self,
        session_id: Id,
        data: JSONBody[SessionPatch],
        staff: StaffDep,
        services: ServicesDep,
    ) -> SessionOut:
        """After the start the terms are fixed (409 `session.started`)."""
        given = sent_fields(data)
        changes: dict[str, Any] = {k: v for k, v in given.items() if k != "credit_hours"}
        if "credit_hours" in given:
            changes["credit_tenths"] = parse_tenths(given["credit_hours"], field="credit_hours")
        if "geofence" in given:
            changes["geofence"] = _fence(given["geofence"])
        return session_out(await sessions.update_session(services, staff, session_id, changes))

    @post("/{session_id:int}/cancel", status_code=200, summary="Cancel a session")
    async def cancel(self, session_id: Id, staff: StaffDep, services: ServicesDep) -> SessionOut:
        return session_out(await sessions.cancel_session(services, staff, session_id))

    @post("/{session_id:int}/scans", status_code=200, summary="Upload offline scans")
    async def scans(
        self,
        session_id: Id,
        data: JSONBody[Annotated[list[ScanIn], msgspec.Meta(min_length=1, max_length=500)]],
        staff: StaffDep,
        services: ServicesDep,
    ) -> ScansOut:
        """Officers' personal codes (`/m/code`) the organiser's phone scanned, perhaps with
        no network (`/scan/{id}`): each checked for its signature, that it was current at
        `scanned_at` and that `scanned_at` is inside the session's check-in or check-out
        times. Taken up to 24 hours after the end; idempotent per `nonce` (a retried upload
        writes nothing twice) and per officer (one row); rows flagged `offline_sync`."""
        found = await offline_scans.upload_scans(
            services,
            staff,
            session_id,
            [
                offline_scans.ScanIn(s.code, s.kind, s.scanned_at, s.device_id, s.nonce)
                for s in data
            ],
        )
        results = [
            ScanResultOut(r.nonce, r.outcome, r.refusal, r.officer_id, r.again) for r in found
        ]
        recorded = sum(r.outcome == "recorded" for r in found)
        return ScansOut(recorded, len(found) - recorded, results)

    @get("/{session_id:int}/code", summary="The 6-digit code shown beside the QR")
    async def code(
        self,
        session_id: Id,
        staff: StaffDep,
        services: ServicesDep,
        kind: FromQuery[ScanKind] = ScanKind.CHECKIN,
    ) -> CodeOut:
        """For an officer whose camera fails (`POST /mobile/v1/checkins` `{"session_id",
        "code", "device_id"}`): it changes with the QR and is accepted in the same windows;
        each officer has 5 wrong codes a session."""
        shown = await checkin_tokens.current_code(services, staff, session_id, kind)
        return CodeOut(shown.code, shown.refresh_at.isoformat())

    @get(
        "/{session_id:int}/qr.png",
        summary="The session's current check-in or check-out QR (PNG)",
        media_type="image/png",
    )
    async def qr(
        self,
        session_id: Id,
        staff: StaffDep,
        services: ServicesDep,
        kind: FromQuery[ScanKind] = ScanKind.CHECKIN,
    ) -> Response[bytes]:
        """Encodes `{PUBLIC_BASE_URL}/m/c/{token}`; a new token every QR_ROTATION_SECONDS
        (30 s), accepted in its window and the next. `X-QR-Refresh-At` says when to fetch
        the next one."""
        shown = await checkin_tokens.current_qr(services, staff, session_id, kind)
        return Response(
            qr_png(shown.url, level=ON_SCREEN),
            media_type="image/png",
            headers={
                "Cache-Control": "no-store",
                "X-QR-Refresh-At": shown.refresh_at.isoformat(),
            },
        )
