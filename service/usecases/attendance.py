"""Attendance: the organiser's list, paper sign-in sheets, and closing a session, which
credits its hours into the ledger."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from service.clock import SHANGHAI
from service.domain.access import Action, Principal
from service.domain.errors import Conflict, InvalidInput
from service.domain.events import Actor, Change, EventAction
from service.domain.hours import LedgerSource
from service.domain.text import required
from service.domain.training import (
    CHECKIN_OPENS_BEFORE,
    CHECKOUT_CLOSES_AFTER,
    AttendanceMethod,
    SessionStatus,
    credit_decision,
)
from service.store import events
from service.store.lookups import one
from service.store.models import Attendance, HourEntry, Officer, TrainingSession
from service.store.paging import Page, paginate
from service.store.scoping import sessions_visible
from service.usecases.services import Services
from service.usecases.sessions import lock_session


@dataclass(frozen=True, slots=True)
class ManualAttendance:
    officer_id: int
    checked_in_at: datetime
    checked_out_at: datetime | None
    note: str


@dataclass(frozen=True, slots=True)
class Closing:
    session: TrainingSession
    credited: int
    not_credited: int
    already_closed: bool


async def list_attendance(
    principal: Principal, session_id: int, page: int, page_size: int
) -> Page[Attendance]:
    """Everyone recorded at the session, in order of arrival."""
    principal.require(Action.READ_OFFICERS)
    session = await _visible(principal, session_id)
    query = Attendance.filter(session_id=session.id).select_related("officer")
    return await paginate(query.order_by("checked_in_at", "id"), page, page_size)


async def record_manual(
    services: Services, principal: Principal, session_id: int, entry: ManualAttendance
) -> Attendance:
    """Attendance from a paper sign-in sheet, marked manual, with who entered it and why
    (an event on the officer's chain too).

    Raises InvalidInput (`attendance.note_required`, `attendance.bad_times`,
    `attendance.bad_officer`), Conflict (`attendance.exists`, `session.not_scheduled`),
    NotFound, Forbidden.
    """
    principal.require(Action.MANAGE_TRAINING)
    note = required(
        entry.note,
        code="attendance.note_required",
        field="note",
        message="Say where the entry comes from (the sheet, who signed).",
    )
    session = await _visible(principal, session_id)
    if session.status is not SessionStatus.SCHEDULED:
        raise Conflict(f"The session is {session.status}.", code="session.not_scheduled")
    _check_times(session, entry)
    # Sessions train officers of the organiser's whole region, not only its own staff.
    region: str = session.organiser_agency.region_id  # type: ignore[attr-defined]
    officer = await Officer.get_or_none(id=entry.officer_id, agency__region_id__startswith=region)
    if officer is None:
        raise InvalidInput(
            f"Unknown officer {entry.officer_id} in the session's region.",
            code="attendance.bad_officer",
            field="officer_id",
        )
    try:
        async with services.unit_of_work():
            row = await Attendance.create(
                session_id=session.id,
                officer_id=officer.id,
                method=AttendanceMethod.MANUAL,
                checked_in_at=entry.checked_in_at,
                checked_out_at=entry.checked_out_at,
                note=note,
                recorded_by_id=principal.account_id,
            )
            out = entry.checked_out_at
            after = {
                "session_id": session.id,
                "checked_in_at": entry.checked_in_at.isoformat(),
                "checked_out_at": out.isoformat() if out else None,
            }
            actor = Actor.of(principal)
            change = Change(
                EventAction.MANUAL_ATTENDANCE, actor, services.now(), reason=note, after=after
            )
            await events.append(officer.id, change)
    except IntegrityError:
        raise Conflict(
            "The officer's attendance at this session is recorded already.",
            code="attendance.exists",
        ) from None
    return await Attendance.get(id=row.id).select_related("officer")


async def close_session(services: Services, principal: Principal, session_id: int) -> Closing:
    """Close a session once it has ended: each officer present for 6/7 of it (checked out
    where required) is credited its hours in the ledger; everyone else gets the reason.
    Closing again changes nothing and answers the same.

    Raises Conflict (`session.not_ended`, `session.not_scheduled` for a cancelled one),
    NotFound, Forbidden.
    """
    principal.require(Action.MANAGE_TRAINING)
    async with services.unit_of_work():
        session = await lock_session(principal, session_id)
        if session.status is SessionStatus.CLOSED:
            rows_of = Attendance.filter(session_id=session.id)
            credited = await rows_of.filter(credited_tenths__gt=0).count()
            return await _summary(session, credited, await rows_of.count() - credited, True)
        if session.status is SessionStatus.CANCELLED:
            raise Conflict("The session was cancelled.", code="session.not_scheduled")
        if services.now() < session.ends_at:
            raise Conflict(
                f"The session ends at {session.ends_at.isoformat()}; close it after.",
                code="session.not_ended",
            )
        day = session.starts_at.astimezone(SHANGHAI).date()
        entries: list[HourEntry] = []
        outcomes: dict[str | None, list[int]] = defaultdict(list)  # reason -> rows (None: credited)
        # By officer: the ledger's triggers lock the officers' years in this order, the same
        # in every closing, so two closings crediting the same officers wait for each other
        # instead of each holding a year the other needs.
        rows = await Attendance.filter(session_id=session.id).order_by("officer_id")
        for row in rows:
            decision = credit_decision(
                row.checked_in_at,
                row.checked_out_at,
                session.starts_at,
                session.ends_at,
                requires_checkout=session.requires_checkout,
            )
            outcomes[decision.reason].append(row.id)
            if decision.credited:
                entries.append(
                    HourEntry(
                        officer_id=row.officer_id,  # type: ignore[attr-defined]
                        year=day.year,
                        category=session.category,
                        tenths=session.credit_tenths,
                        source=LedgerSource.ATTENDANCE,
                        session_id=session.id,
                        title=session.title,
                        occurred_on=day,
                    )
                )
        for reason, ids in outcomes.items():  # one UPDATE per outcome, not one per officer
            credit = session.credit_tenths if reason is None else 0
            await Attendance.filter(id__in=ids).update(
                credited_tenths=credit, no_credit_reason=reason
            )
        await HourEntry.bulk_create(entries)
        session.status, session.closed_at = SessionStatus.CLOSED, services.now()
        await session.save(update_fields=["status", "closed_at"])
        return await _summary(session, len(entries), len(rows) - len(entries), False)


async def _summary(
    session: TrainingSession, credited: int, not_credited: int, already_closed: bool
) -> Closing:
    shown = await TrainingSession.get(id=session.id).select_related("organiser_agency")
    return Closing(shown, credited, not_credited, already_closed)


def _check_times(session: TrainingSession, entry: ManualAttendance) -> None:
    earliest = session.starts_at - CHECKIN_OPENS_BEFORE
    latest = session.ends_at + CHECKOUT_CLOSES_AFTER
    times = [entry.checked_in_at, *([entry.checked_out_at] if entry.checked_out_at else [])]
    ordered = entry.checked_out_at is None or entry.checked_in_at < entry.checked_out_at
    if not ordered or any(t.tzinfo is None or not earliest <= t <= latest for t in times):
        raise InvalidInput(
            "Times with their offset, within the session (from 30 minutes before to 30 "
            "minutes after), check-in before check-out.",
            code="attendance.bad_times",
            field="checked_in_at",
        )


async def _visible(principal: Principal, session_id: int) -> TrainingSession:
    query = sessions_visible(principal).filter(id=session_id).select_related("organiser_agency")
    return await one(query, code="session.not_found", what=f"session {session_id}")
