"""Hours against the requirement: `GET /api/v1/officers/{id}/hours` (the officer's own at
`/mobile/v1/me/progress` has the same body)."""

from __future__ import annotations

from typing import ClassVar

from litestar import Controller, get

from service.usecases import progress
from service.web.deps import ServicesDep, StaffDep
from service.web.params import Id, OptionalYear
from service.web.progress import ProgressOut, progress_out


class HoursController(Controller):
    path = "/api/v1/officers/{officer_id:int}/hours"
    tags: ClassVar[list[str]] = ["training"]

    @get("/", summary="An officer's hours for a year against the requirement")
    async def hours(
        self,
        officer_id: Id,
        staff: StaffDep,
        services: ServicesDep,
        year: OptionalYear = None,
    ) -> ProgressOut:
        """Required, earned and short per category and in total, compliant, and every
        ledger record of the year. `year` defaults to this year."""
        return progress_out(await progress.officer_progress(services, staff, officer_id, year))
