"""What the admin's generic table views may do, and for whom.

- Writes that would bypass a rule or skip an event are refused (403, in Chinese): the
  lifecycle, the ledger and the logs change only through the forms, which call the use
  cases. An agency's name is editable, through the same use case as the API.
- Tables of accounts, sessions, tokens, devices and number sequences are for
  superadmins only.
- A bureau admin sees only rows inside the region. Piccolo Admin has no row-level hook,
  so `ScopedCRUD` (installed by `admin.site`) adds the region to every query it builds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from piccolo.columns.base import Column
from piccolo.table import Table
from piccolo_api.crud.endpoints import PiccoloCRUD
from piccolo_api.crud.validators import Validators
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from admin import tables as t
from admin.auth import AdminAccount, NotForAdmin, admin_principal_of
from service.domain.access import Principal, Role

_region_prefix: ContextVar[str | None] = ContextVar("admin_region_prefix", default=None)

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
}


async def admin_principal(request: Request) -> Principal:
    """The logged-in staff account as the use cases know it (read once per request)."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    user: AdminAccount = request.user.user
    try:
        principal = await admin_principal_of(int(user.id))
    except NotForAdmin as refused:
        raise HTTPException(status_code=403, detail=str(refused)) from None
    request.state.principal = principal
    return principal


async def _enter(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    """Every table endpoint: an admin role, and the caller's region for this request."""
    principal = await admin_principal(request)
    _region_prefix.set(principal.scope.region_prefix)


def _superadmin_only(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    if request.state.principal.role is not Role.SUPERADMIN:
        raise HTTPException(status_code=403, detail="只有系统管理员可以查看此表。")


def refuse(why: str) -> Callable[[PiccoloCRUD, Request], None]:
    def validator(piccolo_crud: PiccoloCRUD, request: Request) -> None:
        raise HTTPException(status_code=403, detail=why)

    return validator


def read_only(why: str, *, superadmin: bool = False) -> Validators:
    """Validators of a table that the generic views may read but never change."""
    no = [refuse(why)]
    every: list[Any] = [_enter, _superadmin_only] if superadmin else [_enter]
    return Validators(
        every=every,
        post_single=no,
        put_single=no,
        patch_single=no,
        delete_single=no,
        delete_all=no,
    )


def editable(*, why: str) -> Validators:
    """Reads and PATCH (which a hook sends through a use case); no create, replace or
    delete."""
    no = [refuse(why)]
    return Validators(
        every=[_enter], post_single=no, put_single=no, delete_single=no, delete_all=no
    )


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
