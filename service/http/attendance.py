"""A session's attendance: `/api/v1/sessions/{id}/attendance` and `/close`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, get, post
from litestar.params import JSONBody

from service.domain.hours import maybe_hours
from service.domain.training import AttendanceMethod
from service.http.sessions import Moment, SessionOut, session_out
from service.store.models import Attendance
from service.usecases import attendance
from service.web.deps import ServicesDep, StaffDep
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import Id, IdField


class ManualIn(msgspec.Struct, forbid_unknown_fields=True):
    officer_id: IdField
    checked_in_at: Moment
    note: Annotated[str, msgspec.Meta(max_length=500)]
    checked_out_at: Moment | None = None


class AttendanceOut(msgspec.Struct):
    id: int
    officer_id: int
    officer_name: str
    method: AttendanceMethod
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    credited_hours: float | None  # None until the session is closed
    no_credit_reason: str | None
    flags: list[str]
    note: str


class ClosingOut(msgspec.Struct):
    session: SessionOut
    credited: int
    not_credited: int
    already_closed: bool


def attendance_out(a: Attendance) -> AttendanceOut:
    return AttendanceOut(
        id=a.id,
        officer_id=a.officer.id,
        officer_name=a.officer.name,
        method=a.method,
        checked_in_at=a.checked_in_at,
        checked_out_at=a.checked_out_at,
        credited_hours=maybe_hours(a.credited_tenths),
        no_credit_reason=a.no_credit_reason,
        flags=list(a.flags),
        note=a.note,
    )


class AttendanceController(Controller):
    path = "/api/v1/sessions/{session_id:int}"
    tags: ClassVar[list[str]] = ["training"]

    @get("/attendance", summary="Who attended, with times, method, credit and flags")
    async def list(
        self,
        session_id: Id,
        staff: StaffDep,
        page: PageNumber = 1,
        page_size: PageSize = 200,
    ) -> PageOut[AttendanceOut]:
        found = await attendance.list_attendance(staff, session_id, page, page_size)
        return page_out(found, attendance_out)

    @post("/attendance", summary="Record attendance from a paper sign-in sheet")
    async def manual(
        self,
        session_id: Id,
        data: JSONBody[ManualIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> AttendanceOut:
        """Marked `manual`, with the note and the staff account that entered it; an event
        on the officer's timeline."""
        entry = attendance.ManualAttendance(
            data.officer_id, data.checked_in_at, data.checked_out_at, data.note
        )
        row = await attendance.record_manual(services, staff, session_id, entry)
        return attendance_out(row)

    @post("/close", status_code=200, summary="Close the session and credit its hours")
    async def close(self, session_id: Id, staff: StaffDep, services: ServicesDep) -> ClosingOut:
        """After the end: everyone present for 6/7 of the scheduled time (checked out where
        required) is credited `credit_hours`; everyone else gets the reason. Idempotent."""
        closing = await attendance.close_session(services, staff, session_id)
        return ClosingOut(
            session_out(closing.session),
            closing.credited,
            closing.not_credited,
            closing.already_closed,
        )
