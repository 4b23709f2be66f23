"""Every change this project makes to Piccolo's internals, in one place.

Written against piccolo-admin 1.14.0 and piccolo-api 1.11.0 (pinned in pyproject.toml).
Piccolo Admin has no row-level hook, so:

1. `install()` replaces `piccolo_admin.endpoints.PiccoloCRUD`, the class `AdminRouter`
   builds every table's endpoints with, by `ScopedCRUD`.
2. `ScopedCRUD._apply_filters`, a private method of piccolo-api's `PiccoloCRUD` that
   every list and count query goes through, adds the bureau admin's region.
3. `ScopedCRUD.get_single`, `get_ids` and `get_schema` wrap the endpoints that read one
   row, the foreign-key pickers' names and the table's schema.
4. `ScopedCRUD._split_params`, private too, reads the query's parameters; an `__order`
   that names no column raised a ValueError (a 500) instead of its ParamException (the
   400 Piccolo answers every other bad parameter with).

`tests/integration/test_piccolo_patches.py` holds the source of everything these lean on
against the fingerprints below, so an upgrade of either package fails the suite until
this module has been checked against the new version (then update `FINGERPRINTS`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import piccolo_admin.endpoints
from piccolo.columns.base import Column
from piccolo.table import Table
from piccolo_api.crud.endpoints import ParamException, PiccoloCRUD
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from admin import tables as t

WRITTEN_AGAINST = {"piccolo-admin": "1.14.0", "piccolo-api": "1.11.0"}
# SHA-256 of the source of what the patches lean on, as `inspect.getsource` gives it.
FINGERPRINTS = {
    "piccolo_admin.endpoints.AdminRouter.__init__": (
        "399938d0d680abda033e1b08ed265aa0c2f4fad99ec874e32acd82241d7e9850"
    ),
    "piccolo_api.crud.endpoints.PiccoloCRUD._apply_filters": (
        "eb5acd683dce26a7b05fdbe1b56e1f0625969a26815eed6112ba5548ab6f994e"
    ),
    "piccolo_api.crud.endpoints.PiccoloCRUD.get_single": (
        "fb80549397d975fc80739b25a440f7f680ccb9cc0a5980afd134c34c8056e1db"
    ),
    "piccolo_api.crud.endpoints.PiccoloCRUD.get_ids": (
        "f49cec700c069639566dd72ee360625358a2f2e31e3c01214083b9373801a90b"
    ),
    "piccolo_api.crud.endpoints.PiccoloCRUD._split_params": (
        "b3ee3ef9df299c579eb7a9bf77a586fb80dc28b80ccfaf4c4d8b0541ca1f789b"
    ),
    "piccolo_api.crud.endpoints.PiccoloCRUD.get_schema": (
        "27ff0da358cdb058b7664e84bb2b7dfb226ef93259adf35e4755aba45b11c3a0"
    ),
}

_region_prefix: ContextVar[str | None] = ContextVar("admin_region_prefix", default=None)


def scope_queries_to(region_prefix: str | None) -> None:
    """The region (a code prefix; None: everything) this request's queries stay in."""
    _region_prefix.set(region_prefix)


# The region code each table's rows belong to, for a bureau admin's view.
REGION_OF: dict[type[Table], Callable[[], Column]] = {
    t.Region: lambda: t.Region.code,
    t.Agency: lambda: t.Agency.region_id.code,
    t.Officer: lambda: t.Officer.agency_id.region_id.code,
    t.Exam: lambda: t.Exam.officer_id.agency_id.region_id.code,
    t.Assessment: lambda: t.Assessment.officer_id.agency_id.region_id.code,
    t.Sanction: lambda: t.Sanction.officer_id.agency_id.region_id.code,
    t.Certificate: lambda: t.Certificate.officer_id.agency_id.region_id.code,
    t.OfficerEvent: lambda: t.OfficerEvent.officer_id.agency_id.region_id.code,
    t.AnnualReviewResult: lambda: (
        t.AnnualReviewResult.certificate_id.officer_id.agency_id.region_id.code
    ),
    t.Requirement: lambda: t.Requirement.region_id.code,
    t.TrainingSession: lambda: t.TrainingSession.organiser_agency_id.region_id.code,
    t.Attendance: lambda: t.Attendance.officer_id.agency_id.region_id.code,
    t.ExternalClaim: lambda: t.ExternalClaim.officer_id.agency_id.region_id.code,
    t.HourEntry: lambda: t.HourEntry.officer_id.agency_id.region_id.code,
    t.Feedback: lambda: t.Feedback.officer_id.agency_id.region_id.code,
}


class ScopedCRUD(PiccoloCRUD):
    """PiccoloCRUD that keeps a bureau admin's queries inside the admin's region, and
    titles columns with their Chinese names (the mirror's `verbose_name`)."""

    async def get_schema(self, request: Request) -> JSONResponse:
        response = await super().get_schema(request)
        schema = json.loads(bytes(response.body))
        for column in self.table._meta.columns:
            title = column._meta.params.get("verbose_name")
            found = schema["properties"].get(column._meta.name)
            if title and found is not None:
                found["title"] = title
        return JSONResponse(schema)

    def _scope_clause(self) -> Any:
        prefix = _region_prefix.get()
        region = REGION_OF.get(self.table)
        if prefix is None or region is None:
            return None
        return region().like(f"{prefix}%")

    def _split_params(self, params: dict[str, Any]) -> Any:
        try:
            return super()._split_params(params)
        except ValueError as error:  # an unknown column in `__order`
            raise ParamException(str(error)) from None

    def _apply_filters(self, query: Any, params: Any) -> Any:
        query = super()._apply_filters(query, params)
        clause = self._scope_clause()
        return query if clause is None else query.where(clause)

    async def get_single(self, request: Request, row_id: Any) -> Response:
        response = await super().get_single(request, row_id)
        clause = self._scope_clause()
        if clause is not None and response.status_code == 200:
            primary_key = self.table._meta.primary_key
            inside = await self.table.exists().where(primary_key == row_id, clause)
            if not inside:
                return Response("Unable to find a resource with that ID.", status_code=404)
        return response

    async def get_ids(self, request: Request) -> Response:
        # The validators (which read the caller's region) run inside super()'s call.
        response = await super().get_ids(request)
        clause = self._scope_clause()
        if clause is None or response.status_code != 200:
            return response
        # The foreign-key pickers' names: only rows inside the region.
        readable: dict[str, str] = json.loads(bytes(response.body))
        if not readable:
            return response
        primary_key = self.table._meta.primary_key
        name = primary_key._meta.name
        keys = [primary_key.value_type(key) for key in readable]
        inside = {
            str(row[name])
            for row in await self.table.select(primary_key).where(primary_key.is_in(keys), clause)
        }
        return JSONResponse({key: value for key, value in readable.items() if key in inside})


def install() -> None:
    """Make Piccolo Admin build its table endpoints with `ScopedCRUD` (idempotent)."""
    piccolo_admin.endpoints.PiccoloCRUD = ScopedCRUD  # type: ignore[misc]
