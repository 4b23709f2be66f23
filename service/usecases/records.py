"""What is recorded on an officer: exams, annual assessments, sanctions; and the timeline.

Each record is an event on the officer's chain too, so the timeline tells the whole story
and a quiet edit of a score or a sanction is detectable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.models import Model

from service.domain.access import Action, Principal
from service.domain.errors import Conflict, InvalidInput
from service.domain.events import Actor, Change, EventAction
from service.domain.people import AssessmentResult, ExamKind, SanctionKind
from service.domain.text import collapse
from service.store import events
from service.store.models import Assessment, Exam, Officer, OfficerEvent, Sanction
from service.store.paging import Page, paginate
from service.usecases.officers import officer_in_scope
from service.usecases.services import Services

RecordT = TypeVar("RecordT", bound=Model)


@dataclass(frozen=True, slots=True)
class NewExam:
    kind: ExamKind
    score: Decimal
    taken_on: date


@dataclass(frozen=True, slots=True)
class NewSanction:
    kind: SanctionKind
    effective_on: date
    ends_on: date | None = None
    reason: str = ""


async def record_exam(
    services: Services,
    principal: Principal,
    officer_id: int,
    new: NewExam,
    *,
    source: tuple[str, int] | None = None,
) -> Exam:
    """Record an exam result (the justice bureau runs the exams); `source` is the file
    (SHA-256) and row it was imported from.

    Raises InvalidInput (`exam.bad_score`, `exam.bad_date`), NotFound, Forbidden.
    """
    principal.require(Action.MANAGE_CERTIFICATES)
    if not Decimal(0) <= new.score <= Decimal(100) or new.score != new.score.quantize(
        Decimal("0.1")
    ):
        raise InvalidInput(
            "A score is 0 to 100 with at most one decimal place.",
            code="exam.bad_score",
            field="score",
        )
    _not_future(services, new.taken_on, field="taken_on", code="exam.bad_date")
    officer = await officer_in_scope(principal, officer_id)
    values: dict[str, Any] = {
        "kind": new.kind,
        "score": new.score,
        "taken_on": new.taken_on,
        "recorded_by_id": principal.account_id,
    }
    reason = ""
    if source is not None:
        values["source_file"] = source[0]
        reason = f"从文件导入（SHA-256 {source[0][:12]}…，第{source[1]}行）"
    return await _record(
        services, principal, officer, Exam, EventAction.EXAM, values, reason=reason
    )


async def record_assessment(
    services: Services, principal: Principal, officer_id: int, year: int, result: AssessmentResult
) -> Assessment:
    """Record the annual assessment (年度考核) of a finished or current year.

    Raises InvalidInput `assessment.bad_year`, Conflict `assessment.duplicate`, NotFound.
    """
    principal.require(Action.MANAGE_OFFICERS)
    if not 2000 <= year <= services.today().year:
        raise InvalidInput(
            f"No assessment for year {year}.", code="assessment.bad_year", field="year"
        )
    officer = await officer_in_scope(principal, officer_id)
    values = {"year": year, "result": result}
    try:
        return await _record(
            services, principal, officer, Assessment, EventAction.ASSESSMENT, values
        )
    except IntegrityError:  # (officer, year) is unique
        raise Conflict(
            f"The assessment for {year} is recorded already.", code="assessment.duplicate"
        ) from None


async def record_sanction(
    services: Services, principal: Principal, officer_id: int, new: NewSanction
) -> Sanction:
    """Record a disciplinary sanction. Without `ends_on`, its statutory period applies.

    Raises InvalidInput (`sanction.bad_dates`), NotFound, Forbidden.
    """
    principal.require(Action.MANAGE_OFFICERS)
    _not_future(services, new.effective_on, field="effective_on", code="sanction.bad_dates")
    if new.ends_on is not None and new.ends_on < new.effective_on:
        raise InvalidInput(
            "A sanction cannot end before it takes effect.",
            code="sanction.bad_dates",
            field="ends_on",
        )
    officer = await officer_in_scope(principal, officer_id)
    values = {
        "kind": new.kind,
        "effective_on": new.effective_on,
        "ends_on": new.ends_on,
        "reason": collapse(new.reason),
    }
    return await _record(services, principal, officer, Sanction, EventAction.SANCTION, values)


async def list_records(
    principal: Principal, officer_id: int, model: type[Exam | Assessment | Sanction]
) -> list[Any]:
    """An officer's exams, assessments or sanctions, oldest first."""
    principal.require(Action.READ_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    return list(await model.filter(officer_id=officer.id).order_by("id"))


async def timeline(
    principal: Principal, officer_id: int, page: int, page_size: int
) -> Page[OfficerEvent]:
    """Every event of the officer and their certificates, oldest first."""
    principal.require(Action.READ_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    query = OfficerEvent.filter(officer_id=officer.id).select_related("certificate")
    return await paginate(query.order_by("seq"), page, page_size)


async def _record(
    services: Services,
    principal: Principal,
    officer: Officer,
    model: type[RecordT],
    action: EventAction,
    values: dict[str, Any],
    *,
    reason: str = "",
) -> RecordT:
    async with services.unit_of_work():
        row = await model.create(officer_id=officer.id, **values)
        after = {"id": row.pk, **{k: _json(v) for k, v in values.items()}}
        reason = reason or str(values.get("reason", ""))
        change = Change(action, Actor.of(principal), services.now(), reason=reason, after=after)
        await events.append(officer.id, change)
    return row


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _not_future(services: Services, day: date, *, field: str, code: str) -> None:
    if day > services.today():
        raise InvalidInput(f"{field} cannot be in the future.", code=code, field=field)
