"""Data exchange for provincial and national platforms, for machine clients with an API
key (`Authorization: Bearer <key>`, made by `officer-cert api-keys create`):

- `GET /api/v1/exchange/changes?since=<cursor>&limit=`: JSON Lines, one change a line
  (`cursor`, `kind`, `id`, `year` for hours, `state`), the last line `{"next_cursor",
  "more"}`;
- `GET /api/v1/exchange/snapshot?format=jsonl|xlsx`: every record of the key's region.

The fields are listed in docs/exchange.md. Nothing else accepts a key, and these accept
nothing else; each key is rate limited on its own, and each use is logged with its name.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Annotated, Any

from litestar import Request, Response, Router, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter
from litestar.response import Stream

from service.documents import exchange as documents
from service.domain.errors import Forbidden, Unauthenticated
from service.domain.exchange import RecordKind
from service.usecases import api_keys, exchange
from service.usecases.api_keys import ApiClient
from service.web.deps import API_KEY_SECURITY, ServicesDep, services_dependency
from service.web.rate_limits import RateLimit

log = logging.getLogger(__name__)
ClientDep = NamedDependency[ApiClient]


class SnapshotFormat(StrEnum):
    JSONL = "jsonl"
    XLSX = "xlsx"


def _presented(request: Request[Any, Any, Any]) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def provide_client(request: Request[Any, Any, Any], services: ServicesDep) -> ApiClient:
    key = _presented(request)
    if not key:
        raise Unauthenticated("Send Authorization: Bearer <API key>.", code="auth.missing_token")
    if not key.startswith(api_keys.PREFIX):
        # An access token (a JWT) or anything else: these endpoints take API keys only.
        raise Forbidden("The exchange endpoints take an API key.", code="auth.wrong_kind")
    client = await api_keys.authenticate(services, key)
    log.info("exchange %s by API key %r", request.url.path, client.name)
    return client


def _per_key(request: Request[Any, Any, Any]) -> str:
    """Each key has its own budget (a digest: the key itself is not a cache key)."""
    return "exchange:" + hashlib.sha256(_presented(request).encode()).hexdigest()[:32]


@get("/changes", summary="Changes since a cursor (JSON Lines)")
async def changes(
    client: ClientDep,
    services: ServicesDep,
    since: Annotated[str | None, QueryParameter(max_length=40)] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=exchange.MAX_LIMIT)] = 500,
) -> Response[bytes]:
    """The changes after `since` (empty or `0`: from the beginning) to officers,
    certificates and officers' hours of a year in the key's region, oldest first, one a
    line: `{"cursor", "kind": "officer|certificate|hours", "id", "year" (hours), "state"}`.
    The last line is `{"next_cursor", "more"}`: ask again from `next_cursor` (at once
    while `more`). No change is ever skipped, even when writes commit out of order; a
    record changed twice shows its current state each time. 422 `exchange.bad_cursor`."""
    page = await exchange.changes(services, client, since, limit)
    tail = {"next_cursor": str(page.next_cursor), "more": page.more}
    body = documents.lines([*page.lines, tail])
    return Response(body, media_type=documents.MEDIA_TYPE, headers={"Cache-Control": "no-store"})


@get("/snapshot", summary="Every record of the region (JSON Lines or XLSX)")
async def snapshot(
    client: ClientDep,
    services: ServicesDep,
    format: FromQuery[SnapshotFormat] = SnapshotFormat.JSONL,
) -> Stream | Response[bytes]:
    """Every officer, certificate and officer's hours of a year in the key's region, in
    the shapes of the change feed without cursors; the JSON Lines end with
    `{"next_cursor"}`, where the change feed takes over. `format=xlsx` gives a workbook
    with a sheet per kind and Chinese headers."""
    records = exchange.snapshot(services, client)
    if format is SnapshotFormat.JSONL:

        async def body() -> AsyncIterator[bytes]:
            async for record in records:
                yield documents.line(record)

        return Stream(
            body(), media_type=documents.MEDIA_TYPE, headers={"Cache-Control": "no-store"}
        )
    kinds: dict[RecordKind, list[dict[str, Any]]] = defaultdict(list)
    async for record in records:
        if "kind" in record:
            kinds[RecordKind(record["kind"])].append(record["state"])
    content = await asyncio.to_thread(documents.workbook, kinds)
    return Response(
        content,
        media_type=documents.XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="exchange-snapshot.xlsx"',
            "Cache-Control": "no-store",
        },
    )


def build_router(per_minute: int) -> Router:
    limit = RateLimit("exchange", per_minute, store="rate_limit", identify=_per_key)
    return Router(
        "/api/v1/exchange",
        route_handlers=[changes, snapshot],
        dependencies={**services_dependency, "client": Provide(provide_client)},
        middleware=[limit.middleware],
        security=API_KEY_SECURITY,
        tags=["exchange"],
    )
