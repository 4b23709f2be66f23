"""Staff pages that log in themselves: the projector page with the rotating QR
(`/sessions/{id}/display`), the organiser's offline scan page (`/scan/{id}`, with its
service worker) and the dashboard (`/dashboard`)."""

from __future__ import annotations

from litestar import Response, get
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


@get("/scan/{session_id:int}", include_in_schema=False)
async def scan_page(session_id: Id) -> Template:
    """The organiser's phone scans officers' personal codes (`/m/code`) with its camera
    or from a photo, keeps the scans in IndexedDB while offline and uploads them to
    `POST /api/v1/sessions/{id}/scans` when the network is back."""
    return Template(
        "scan.html", context={"session_id": session_id}, headers={"Cache-Control": "no-store"}
    )


_WORKER = """
"use strict";
// Keeps the scan page and its decoder, so the page opens again with no network.
var CACHE = "oc-scan-v1";
self.addEventListener("install", function (e) {
  self.skipWaiting();
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(["/assets/jsqr/jsQR.js"]); }));
});
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (e) {
  var url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) { return; }
  var ours = url.pathname.indexOf("/scan/") === 0 || url.pathname.indexOf("/assets/jsqr/") === 0;
  if (!ours) { return; }
  e.respondWith(fetch(e.request).then(function (r) {
    var copy = r.clone();
    caches.open(CACHE).then(function (c) { c.put(e.request, copy); });
    return r;
  }).catch(function () { return caches.match(e.request); }));
});
"""


@get("/scan/sw.js", include_in_schema=False, media_type="text/javascript")
async def scan_worker() -> Response[str]:
    return Response(_WORKER, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@get("/dashboard", include_in_schema=False)
async def dashboard_page(services: ServicesDep) -> Template:
    """The staff dashboard: the page logs in itself, then draws
    `GET /api/v1/reports/dashboard` (scoped to the account)."""
    return Template(
        "dashboard.html",
        context={"year": services.today().year},
        headers={"Cache-Control": "no-store"},
    )
