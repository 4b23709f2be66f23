"""Officers' photos: staff set and read them; the page behind a presentation QR (亮证)
shows its holder's while the QR is current. The public lookup by number never does."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get, put
from litestar.params import FromPath

from service.security.uploads import PHOTO_BYTES
from service.usecases import photos
from service.web.deps import ServicesDep, StaffDep
from service.web.params import Id

_PRIVATE = {"Cache-Control": "no-store"}


class PhotoOut(msgspec.Struct):
    sha256: str
    size: int  # bytes of the JPEG kept


@put(
    "/api/v1/officers/{officer_id:int}/photo",
    tags=["officers"],
    summary="Set an officer's photo (JPEG or PNG as the body)",
    request_max_body_size=PHOTO_BYTES + 1,
)
async def set_photo(
    officer_id: Id, request: Request[Any, Any, Any], staff: StaffDep, services: ServicesDep
) -> PhotoOut:
    """The body is the image itself (`Content-Type: image/jpeg` or `image/png`), at most
    5 MB. It must decode whole; it is turned upright, fitted within 480 x 640 and kept as a
    JPEG without its metadata (no camera, no GPS). It shows on the electronic certificate,
    the printed card and the presentation check page."""
    done = await photos.set_photo(services, staff, officer_id, await request.body())
    return PhotoOut(done.sha256, done.size)


@get(
    "/api/v1/officers/{officer_id:int}/photo",
    tags=["officers"],
    summary="An officer's photo (JPEG)",
    media_type="image/jpeg",
)
async def staff_photo(officer_id: Id, staff: StaffDep, services: ServicesDep) -> Response[bytes]:
    """404 `officer.no_photo` when none was set."""
    content = await photos.staff_photo(services, staff, officer_id)
    return Response(content, media_type="image/jpeg", headers=_PRIVATE)


@get("/v/{token:str}/photo.jpg", include_in_schema=False, media_type="image/jpeg")
async def presented_photo(token: FromPath[str], services: ServicesDep) -> Response[bytes]:
    """The holder's photo while the presentation QR is current (5 minutes); 404 for a
    card's QR, an expired or forged one, or no photo."""
    content = await photos.presented_photo(services, token)
    return Response(content, media_type="image/jpeg", headers=_PRIVATE)
