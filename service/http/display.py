"""Staff pages that log in themselves: the projector page with the rotating QR
(`/sessions/{id}/display`) and the dashboard (`/dashboard`)."""

from __future__ import annotations

from litestar import get
from litestar.params import FromQuery
from litestar.response import Template

from service.domain.training import ScanKind
from service.web.deps import ServicesDep
from service.web.params import Id


@get("/sessions/{session_id:int}/display", include_in_schema=False)
async def display(
    session_id: Id, services: ServicesDep, kind: FromQuery[ScanKind] = ScanKind.CHECKIN
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


@get("/dashboard", include_in_schema=False)
async def dashboard_page(services: ServicesDep) -> Template:
    """The staff dashboard: the page logs in itself, then draws
    `GET /api/v1/reports/dashboard` (scoped to the account)."""
    return Template(
        "dashboard.html",
        context={"year": services.today().year},
        headers={"Cache-Control": "no-store"},
    )
