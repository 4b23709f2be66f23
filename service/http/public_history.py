"""The public's past-day answers as JSON: `GET /api/v1/public/certificates/{number}?at=`
(the status on that day, with the days and kinds of the events that decided it) and
`/api/v1/public/certificates/{number}/authority?at=&area=&category=` (for case-handling
systems: could the holder act there, in that category, that day)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar import Response, get
from litestar.params import FromPath, QueryParameter

from service.domain.history import AUTHORITY_MESSAGES
from service.http.verify_pages import FRESH
from service.usecases import certificate_history
from service.usecases.certificate_history import PastDay
from service.web.deps import ServicesDep

Day = Annotated[
    date | None,
    QueryParameter(description="YYYY-MM-DD (Asia/Shanghai); the end of that day. Default: today."),
]


class EventDayOut(msgspec.Struct):
    date: date
    kind: str  # an event action: issue, suspend, reinstate, import, ...
    label: str  # 中文


class OnDayOut(msgspec.Struct):
    number: str
    name: str
    agency: str
    at: date
    known: bool  # false: not yet issued that day, or before its import (see unknown)
    unknown: str | None  # not_issued | before_import
    status: str | None  # the status at the end of `at`
    status_label: str
    enforcement_area: str
    enforcement_categories: list[str]
    valid_from: date | None
    valid_until: date | None
    issuing_authority: str | None
    events: list[EventDayOut]  # up to `at`: days and kinds only
    checked_at: datetime


def on_day_out(past: PastDay, checked_at: datetime) -> OnDayOut:
    record, on_day = past.record, past.on_day
    return OnDayOut(
        number=record.number,
        name=record.name,
        agency=record.agency,
        at=on_day.day,
        known=on_day.status is not None,
        unknown=str(on_day.unknown) if on_day.unknown else None,
        status=str(on_day.status) if on_day.status else None,
        status_label=on_day.label,
        enforcement_area=on_day.area or record.enforcement_area,
        enforcement_categories=on_day.categories or record.enforcement_categories,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        issuing_authority=record.issuing_authority,
        events=[EventDayOut(s.on, str(s.action), s.action.label) for s in on_day.decided_by],
        checked_at=checked_at,
    )


class AuthorityOut(msgspec.Struct):
    number: str
    at: date
    authorised: bool
    reasons: list[str]  # not_in_force, area_not_covered, category_not_covered
    messages: list[str]  # 中文, one per reason
    status: str | None
    status_label: str
    enforcement_area: str | None
    enforcement_categories: list[str]


@get("/api/v1/public/certificates/{number:str}/authority", summary="Could the holder act that day")
async def public_authority(
    number: FromPath[str],
    services: ServicesDep,
    at: Day = None,
    area: Annotated[str | None, QueryParameter(min_length=1, max_length=200)] = None,
    category: Annotated[str | None, QueryParameter(min_length=1, max_length=50)] = None,
) -> Response[AuthorityOut]:
    """Whether the holder of the certificate could act on `at` in `area` and `category`
    (each checked when given): `{"authorised", "reasons": [...]}` with `not_in_force`
    (not active at the end of that day: suspended, ended, not yet issued, or before its
    import, unknown), `area_not_covered` (an area is covered by the certificate's or lies
    within it), `category_not_covered`. 422 `certificate.bad_day` for a future day."""
    found = await certificate_history.authority_on(services, number, at, area, category)
    on_day = found.past.on_day
    out = AuthorityOut(
        number=found.past.record.number,
        at=on_day.day,
        authorised=not found.reasons,
        reasons=[str(reason) for reason in found.reasons],
        messages=[AUTHORITY_MESSAGES[reason] for reason in found.reasons],
        status=str(on_day.status) if on_day.status else None,
        status_label=on_day.label,
        enforcement_area=on_day.area,
        enforcement_categories=on_day.categories,
    )
    return Response(out, headers=FRESH)
