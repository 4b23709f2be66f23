"""`GET /health`: the process serves, and how each dependency answers.

200 `{"status": "ok", "database": "ok"}` when it can serve, with `"redis": "ok"` when
`REDIS_URL` is set; `"status": "degraded"` with `"redis": "unreachable"` while Redis is
away (public lookups still answer, logins are refused with 503); 503 when the database
does not answer, which is when a load balancer should send no traffic here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from litestar import Request, Response, get
from tortoise import connections

from service.store.cache import TIMEOUT_SECONDS, Stores

log = logging.getLogger(__name__)


@get("/health", summary="Health check", tags=["system"])
async def health(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """Each dependency's state; 503 when the database does not answer."""
    report = {"status": "ok", "database": "ok"}
    try:
        await asyncio.wait_for(
            connections.get("default").execute_query("SELECT 1"), timeout=TIMEOUT_SECONDS * 3
        )
    except Exception:  # any failure of the database means "not ready", never a 500
        log.warning("health check: database unreachable", exc_info=True)
        report.update(status="error", database="unreachable")
    stores: Stores = request.app.state.stores
    if stores.ping is not None:
        try:
            await asyncio.wait_for(stores.ping(), timeout=TIMEOUT_SECONDS * 2)
            report["redis"] = "ok"
        except Exception:  # the same: reported, never raised
            report["redis"] = "unreachable"
            if report["status"] == "ok":
                report["status"] = "degraded"
    status = 503 if report["database"] != "ok" else 200
    headers = {"Retry-After": "5"} if status == 503 else None
    return Response(report, status_code=status, headers=headers)
