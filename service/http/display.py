"""`/sessions/{id}/display`: the full-screen projector page with the rotating QR."""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from service.domain.training import ScanKind
from service.http.deps import ServicesDep


@get("/sessions/{session_id:int}/display", include_in_schema=False)
async def display(
    session_id: FromPath[int], services: ServicesDep, kind: FromQuery[ScanKind] = ScanKind.CHECKIN
) -> Template:
    """The organiser logs in on the page itself; the page then fetches the QR (refreshed
    before each one's window ends) and the live count with that login."""
    return Template(
        "display.html",
        context={
            "session_id": session_id,
            "kind": str(kind),
            "kind_label": "签到" if kind is ScanKind.CHECKIN else "签退",
            "rotation": services.settings.qr_rotation_seconds,
        },
        headers={"Cache-Control": "no-store"},
    )
