"""Training sessions: create, read, list, change before they start, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet

from service.domain.access import Action, Principal
from service.domain.errors import Conflict, InvalidInput
from service.domain.hours import HourCategory
from service.domain.text import collapse, required
from service.domain.training import Geofence, SessionStatus, validate_credit, validate_schedule
from service.store.lookups import one
from service.store.models import TrainingSession
from service.store.paging import Page, paginate
from service.store.scoping import agencies_visible, sessions_visible
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class NewSession:
    title: str
    category: HourCategory
    credit_tenths: int
    starts_at: datetime
    ends_at: datetime
    organiser_agency_id: int
    location: str = ""
    requires_checkout: bool = True
    geofence: Geofence | None = None


async def create_session(
    services: Services, principal: Principal, new: NewSession
) -> TrainingSession:
    """Schedule a session for an agency the caller may organise for.

    Raises InvalidInput (`session.bad_title`, `session.bad_schedule`, `session.bad_credit`,
    `session.bad_geofence`, `session.bad_agency`), Forbidden.
    """
    principal.require(Action.MANAGE_TRAINING)
    validate_schedule(new.starts_at, new.ends_at)
    agency = await agencies_visible(principal).get_or_none(id=new.organiser_agency_id)
    if agency is None:
        raise InvalidInput(
            f"Unknown agency {new.organiser_agency_id}.",
            code="session.bad_agency",
            field="organiser_agency_id",
        )
    session = await TrainingSession.create(
        title=_title(new.title),
        category=new.category,
        credit_tenths=validate_credit(new.credit_tenths),
        starts_at=new.starts_at,
        ends_at=new.ends_at,
        location=collapse(new.location),
        organiser_agency=agency,
        requires_checkout=new.requires_checkout,
        **_geofence_columns(new.geofence),
        created_by_id=principal.account_id,
    )
    return await _loaded(TrainingSession.filter(id=session.id)).get()


async def get_session(principal: Principal, session_id: int) -> TrainingSession:
    """The session, if organised inside the caller's jurisdiction; NotFound otherwise."""
    principal.require(Action.READ_OFFICERS)
    query = _loaded(sessions_visible(principal).filter(id=session_id))
    return await one(query, code="session.not_found", what=f"session {session_id}")


async def scanned_session(session_id: int) -> TrainingSession | None:
    """The session a genuine session QR names, for the page the scan opens (its title,
    time and place are on the projector screen anyway)."""
    return await _loaded(TrainingSession.filter(id=session_id)).first()


async def list_sessions(
    principal: Principal,
    *,
    agency_id: int | None,
    status: SessionStatus | None,
    starts_from: datetime | None,
    starts_before: datetime | None,
    page: int,
    page_size: int,
) -> Page[TrainingSession]:
    """Sessions in the caller's jurisdiction, soonest first."""
    principal.require(Action.READ_OFFICERS)
    query = sessions_visible(principal)
    if agency_id is not None:
        query = query.filter(organiser_agency_id=agency_id)
    if status is not None:
        query = query.filter(status=status)
    if starts_from is not None:
        query = query.filter(starts_at__gte=starts_from)
    if starts_before is not None:
        query = query.filter(starts_at__lt=starts_before)
    return await paginate(_loaded(query).order_by("starts_at", "id"), page, page_size)


async def update_session(
    services: Services, principal: Principal, session_id: int, changes: dict[str, Any]
) -> TrainingSession:
    """Change title, category, credit, times, place, check-out rule or geofence, until the
    session starts. Raises Conflict `session.started` / `session.not_scheduled`, and as
    `create_session`.
    """
    principal.require(Action.MANAGE_TRAINING)
    async with services.unit_of_work():
        session = await _for_change(principal, session_id)
        if services.now() >= session.starts_at:
            raise Conflict(
                "The session has started: its terms can no longer change.",
                code="session.started",
            )
        if "title" in changes:
            session.title = _title(str(changes["title"]))
        if "category" in changes:
            session.category = HourCategory(changes["category"])
        if "credit_tenths" in changes:
            session.credit_tenths = validate_credit(int(changes["credit_tenths"]))
        session.starts_at = changes.get("starts_at", session.starts_at)
        session.ends_at = changes.get("ends_at", session.ends_at)
        validate_schedule(session.starts_at, session.ends_at)
        if "location" in changes:
            session.location = collapse(str(changes["location"]))
        if "requires_checkout" in changes:
            session.requires_checkout = bool(changes["requires_checkout"])
        if "geofence" in changes:
            for name, value in _geofence_columns(changes["geofence"]).items():
                setattr(session, name, value)
        await session.save()
    return await get_session(principal, session_id)


async def cancel_session(
    services: Services, principal: Principal, session_id: int
) -> TrainingSession:
    """Cancel a scheduled session; nobody is credited for it. Raises Conflict
    `session.not_scheduled` for a closed or cancelled one."""
    principal.require(Action.MANAGE_TRAINING)
    async with services.unit_of_work():
        session = await _for_change(principal, session_id)
        session.status = SessionStatus.CANCELLED
        await session.save(update_fields=["status"])
    return await get_session(principal, session_id)


async def lock_session(principal: Principal, session_id: int) -> TrainingSession:
    """The session, row-locked until the transaction ends; NotFound outside the scope."""
    query = (
        sessions_visible(principal)
        .filter(id=session_id)
        .select_for_update(no_key=True, of=("training_sessions",))
    )
    return await one(query, code="session.not_found", what=f"session {session_id}")


async def _for_change(principal: Principal, session_id: int) -> TrainingSession:
    session = await lock_session(principal, session_id)
    if session.status is not SessionStatus.SCHEDULED:
        raise Conflict(f"The session is {session.status}.", code="session.not_scheduled")
    return session


def _geofence_columns(fence: Geofence | None) -> dict[str, Any]:
    return {
        "geofence_lat": fence.lat if fence else None,
        "geofence_lng": fence.lng if fence else None,
        "geofence_radius_m": fence.radius_m if fence else None,
    }


def _title(raw: str) -> str:
    return required(
        raw,
        code="session.bad_title",
        field="title",
        message="A title has 1 to 200 characters.",
        max_length=200,
    )


def _loaded(query: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    return query.select_related("organiser_agency")
