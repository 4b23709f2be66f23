"""`POST /mobile/v1/checkins`: an officer's scan of a session QR, or the code on the
screen typed instead."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import post
from litestar.params import JSONBody

from service.domain.errors import DomainError, InvalidInput
from service.domain.training import ScanKind
from service.usecases import checkins
from service.usecases.login_sessions import Login
from service.usecases.services import Services
from service.web.deps import OfficerLoginDep, ServicesDep
from service.web.metrics import CHECKINS, CHECKINS_REFUSED
from service.web.params import DeviceId, IdField, Latitude, Longitude


class CheckinIn(msgspec.Struct, forbid_unknown_fields=True):
    device_id: DeviceId
    # the scanned QR's token; or, when the camera fails, `code` (the 6 digits on the screen)
    # with `session_id`
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)] | None = None
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$")] | None = None
    lat: Latitude | None = None
    lng: Longitude | None = None
    session_id: IdField | None = None  # when the client knows which session it is scanning for


class CheckinOut(msgspec.Struct):
    session_id: int
    action: str  # checked_in | checked_out
    at: datetime
    flags: list[str]


_ACTION = {ScanKind.CHECKIN: "checked_in", ScanKind.CHECKOUT: "checked_out"}


def position_of(lat: float | None, lng: float | None) -> checkins.Position | None:
    if lat is None and lng is None:
        return None
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise InvalidInput(
            "Send lat and lng together, within -90..90 and -180..180, or neither.",
            code="checkin.bad_position",
            field="lat",
        )
    return checkins.Position(lat, lng)


async def _recorded(data: CheckinIn, officer: Login, services: Services) -> checkins.ScanResult:
    where = position_of(data.lat, data.lng)
    if data.code is not None and data.token is None:
        if data.session_id is None:
            raise InvalidInput(
                "A typed code needs its session_id.", code="checkin.bad_code", field="session_id"
            )
        return await checkins.record_typed_code(
            services, officer, data.session_id, data.code, data.device_id, where
        )
    if data.token is None or data.code is not None:
        raise InvalidInput(
            "Send the scanned token, or a typed code with its session_id.",
            code="checkin.token_invalid",
            field="token",
        )
    return await checkins.record_scan(
        services, officer, data.token, data.device_id, where, expected_session=data.session_id
    )


@post("/checkins", status_code=200, summary="Check in or out by a scanned session QR")
async def check_in(
    data: JSONBody[CheckinIn], login: OfficerLoginDep, services: ServicesDep
) -> CheckinOut:
    """The token is the last part of the QR's URL (`/m/c/{token}`). A repeated scan answers
    the first result. Unusual scans (another officer's phone, outside the geofence, a
    check-out without check-in) are flagged for the organiser, not refused."""
    return await answer(data, login, services)


async def answer(data: CheckinIn, login: Login, services: Services) -> CheckinOut:
    """The scan recorded and counted; the route's and the quick path's (`quick_scans`)."""
    try:
        result = await _recorded(data, login, services)
    except DomainError as refusal:
        CHECKINS_REFUSED.labels(refusal.code).inc()
        raise
    CHECKINS.labels(_ACTION[result.kind]).inc()
    return CheckinOut(result.session_id, _ACTION[result.kind], result.at, result.flags)
