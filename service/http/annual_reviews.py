"""Annual reviews (年审): `POST /api/v1/annual-reviews` runs one, `GET` lists stored results."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import ClassVar

import msgspec
from litestar import Controller, get, post
from litestar.params import FromQuery, JSONBody

from service.store.models import AnnualReviewResult
from service.usecases import annual_review
from service.web.deps import ServicesDep, StaffDep
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import OptionalRegionCode, QueryYear, RegionCodeField, YearField


class ReviewIn(msgspec.Struct, forbid_unknown_fields=True):
    year: YearField
    region_code: RegionCodeField
    dry_run: bool = False


class OutcomeOut(msgspec.Struct):
    certificate_id: int
    number: str
    officer_id: int
    officer_name: str
    passed: bool
    reasons: list[str]
    messages: list[str]


class ReviewOut(msgspec.Struct):
    year: int
    region_code: str
    dry_run: bool
    reviewed: int
    passed: int
    failed: int
    already_reviewed: int
    results: list[OutcomeOut]


class StoredResultOut(msgspec.Struct):
    year: int
    certificate_id: int
    number: str | None
    officer_id: int
    officer_name: str
    passed: bool
    reasons: list[str]
    messages: list[str]
    reviewed_at: datetime


def stored_out(r: AnnualReviewResult) -> StoredResultOut:
    return StoredResultOut(
        year=r.year,
        certificate_id=r.certificate.id,
        number=r.certificate.number,
        officer_id=r.certificate.officer.id,
        officer_name=r.certificate.officer.name,
        passed=r.passed,
        reasons=[item["code"] for item in r.reasons],
        messages=[item["message"] for item in r.reasons],
        reviewed_at=r.reviewed_at,
    )


class AnnualReviewController(Controller):
    path = "/api/v1/annual-reviews"
    tags: ClassVar[list[str]] = ["certificates"]

    @post("/", status_code=200, summary="Run the annual review of a year for a region")
    async def run(
        self, data: JSONBody[ReviewIn], staff: StaffDep, services: ServicesDep
    ) -> ReviewOut:
        """Reviews every active certificate of the region and the regions inside it.
        Failing certificates are suspended with every reason. `dry_run` writes nothing and
        may run before the review window opens."""
        run = await annual_review.run_annual_review(
            services, staff, data.year, data.region_code, dry_run=data.dry_run
        )
        return ReviewOut(
            year=run.year,
            region_code=run.region_code,
            dry_run=run.dry_run,
            reviewed=len(run.results),
            passed=run.passed,
            failed=run.failed,
            already_reviewed=run.already_reviewed,
            results=[OutcomeOut(**dataclasses.asdict(o)) for o in run.results],
        )

    @get("/", summary="Stored annual review results")
    async def results(
        self,
        staff: StaffDep,
        year: QueryYear,
        page: PageNumber = 1,
        page_size: PageSize = 50,
        region_code: OptionalRegionCode = None,
        passed: FromQuery[bool | None] = None,
    ) -> PageOut[StoredResultOut]:
        found = await annual_review.list_results(
            staff,
            year=year,
            region_code=region_code,
            passed=passed,
            page=page,
            page_size=page_size,
        )
        return page_out(found, stored_out)
