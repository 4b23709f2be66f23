"""Hours against the requirement: `GET /api/v1/officers/{id}/hours` (the officer's own at
`/mobile/v1/me/progress` has the same body)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import msgspec
from litestar import Controller, get
from litestar.params import FromPath, FromQuery

from service.domain.hours import HourCategory, LedgerSource
from service.domain.requirements import TOTAL
from service.http.deps import ServicesDep, StaffDep
from service.usecases import progress


class RecordOut(msgspec.Struct):
    source: LedgerSource
    category: HourCategory
    hours: float
    at: date
    title: str
    reason: str


class ProgressOut(msgspec.Struct):
    year: int
    officer_id: int
    officer_name: str
    required: dict[str, float]
    earned: dict[str, float]
    short: dict[str, float]
    compliant: bool
    records: list[RecordOut]


def progress_out(p: progress.Progress) -> ProgressOut:
    earned = {str(c): p.earned.get(c, 0) / 10 for c in HourCategory}
    earned[TOTAL] = sum(p.earned.values()) / 10
    return ProgressOut(
        year=p.year,
        officer_id=p.officer.id,
        officer_name=p.officer.name,
        required={k: v / 10 for k, v in p.requirement.required().items()},
        earned=earned,
        short={k: v / 10 for k, v in p.short.items()},
        compliant=p.compliant,
        records=[
            RecordOut(r.source, r.category, r.tenths / 10, r.occurred_on, r.title, r.reason)
            for r in p.records
        ],
    )


class HoursController(Controller):
    path = "/api/v1/officers/{officer_id:int}/hours"
    tags: ClassVar[list[str]] = ["training"]

    @get("/", summary="An officer's hours for a year against the requirement")
    async def hours(
        self,
        officer_id: FromPath[int],
        staff: StaffDep,
        services: ServicesDep,
        year: FromQuery[int | None] = None,
    ) -> ProgressOut:
        """Required, earned and short per category and in total, compliant, and every
        ledger record of the year. `year` defaults to this year."""
        return progress_out(await progress.officer_progress(services, staff, officer_id, year))
