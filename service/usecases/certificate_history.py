"""The public's questions about a past day: what status a certificate had, and whether its
holder could act in an area and category (`domain.history` reads it from the events).

Only the public view's facts and the events' days and kinds are answered, never who made
a change or why. Nothing here is cached: a past day's answer is one indexed read of the
certificate and one of its events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.clock import SHANGHAI
from service.domain.errors import NotFound
from service.domain.events import EventAction
from service.domain.history import NotAuthorised, OnDay, Step, authority, check_day, status_on
from service.domain.numbering import parse_number
from service.store import sql
from service.store.models import OfficerEvent
from service.usecases.services import Services
from service.usecases.verification import PublicRecord, record_of


@dataclass(frozen=True, slots=True)
class PastDay:
    record: PublicRecord  # the certificate's public facts as they are now
    on_day: OnDay


@dataclass(frozen=True, slots=True)
class Authority:
    past: PastDay
    reasons: list[NotAuthorised]  # empty: authorised


async def certificate_on(services: Services, number: str, day: date | None) -> PastDay:
    """The certificate with this number as it was at the end of `day` (default today).

    Raises InvalidInput `certificate.bad_number` (before any lookup),
    `certificate.bad_day` (a future day); NotFound `certificate.not_found`.
    """
    number = parse_number(number)
    day = day or services.today()
    check_day(day, services.today())
    record = await record_of(number)
    if record is None:
        raise NotFound(f"No certificate has the number {number}.", code="certificate.not_found")
    events = (
        await OfficerEvent.filter(certificate__number=number)
        .order_by("seq")
        .values_list("action", "at", "after")
    )
    steps = [
        Step(sql.as_datetime(at).astimezone(SHANGHAI).date(), EventAction(action), after)
        for action, at, after in events
    ]
    return PastDay(record, status_on(steps, day))


async def authority_on(
    services: Services, number: str, day: date | None, area: str | None, category: str | None
) -> Authority:
    """Whether the holder could act on `day` in `area` and `category` (each checked when
    given), with every reason when not. Raises as `certificate_on`."""
    past = await certificate_on(services, number, day)
    return Authority(past, authority(past.on_day, area, category))
