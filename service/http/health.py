"""`GET /health`: the process serves and the database answers."""

from __future__ import annotations

import logging

from litestar import Response, get
from tortoise import connections

log = logging.getLogger(__name__)


@get("/health", summary="Health check", tags=["system"])
async def health() -> Response[dict[str, str]]:
    """200 `{"status": "ok", "database": "ok"}` when the database answers, 503 otherwise."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # any failure of the database means "not ready", never a 500
        log.warning("health check: database unreachable", exc_info=True)
        return Response({"status": "error", "database": "unreachable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})
