"""What is recorded on an officer: `/api/v1/officers/{id}/exams|assessments|sanctions`,
the timeline and the eligibility check."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

import msgspec
from litestar import Controller, get, post
from litestar.params import JSONBody

from service.domain.people import AssessmentResult, ExamKind, SanctionKind
from service.store.models import Assessment, Exam, OfficerEvent, Sanction
from service.usecases import records
from service.usecases.certificates import eligibility
from service.web.deps import ServicesDep, StaffDep
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import Id, Number, YearField


class ExamIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: ExamKind
    score: Number
    taken_on: date


class ExamOut(msgspec.Struct):
    id: int
    officer_id: int
    kind: ExamKind
    score: str
    passed: bool
    taken_on: date


class AssessmentIn(msgspec.Struct, forbid_unknown_fields=True):
    year: YearField
    result: AssessmentResult


class AssessmentOut(msgspec.Struct):
    id: int
    officer_id: int
    year: int
    result: AssessmentResult


class SanctionIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: SanctionKind
    effective_on: date
    ends_on: date | None = None
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class SanctionOut(msgspec.Struct):
    id: int
    officer_id: int
    kind: SanctionKind
    effective_on: date
    ends_on: date | None
    reason: str
    bars_certificate: bool


class EventOut(msgspec.Struct):
    seq: int
    at: datetime
    action: str
    certificate_id: int | None
    certificate_number: str | None
    actor: str
    reason: str
    before: Any
    after: Any
    hash: str


class UnmetOut(msgspec.Struct):
    code: str
    message: str
    label: str


class EligibilityOut(msgspec.Struct):
    eligible: bool
    unmet: list[UnmetOut]


def exam_out(e: Exam, pass_score: int) -> ExamOut:
    officer_id: int = e.officer_id  # type: ignore[attr-defined]
    return ExamOut(e.id, officer_id, e.kind, str(e.score), e.score >= pass_score, e.taken_on)


def assessment_out(a: Assessment) -> AssessmentOut:
    return AssessmentOut(a.id, a.officer_id, a.year, a.result)  # type: ignore[attr-defined]


def sanction_out(s: Sanction) -> SanctionOut:
    return SanctionOut(
        s.id,
        s.officer_id,  # type: ignore[attr-defined]
        s.kind,
        s.effective_on,
        s.ends_on,
        s.reason,
        s.kind.bars_certificate,
    )


def event_out(e: OfficerEvent) -> EventOut:
    return EventOut(
        seq=e.seq,
        at=e.at,
        action=e.action,
        certificate_id=e.certificate.id if e.certificate else None,
        certificate_number=e.certificate.number if e.certificate else None,
        actor=e.actor_name,
        reason=e.reason,
        before=e.before,
        after=e.after,
        hash=e.hash,
    )


class OfficerRecordsController(Controller):
    path = "/api/v1/officers/{officer_id:int}"
    tags: ClassVar[list[str]] = ["officers"]

    @post("/exams", summary="Record an exam result")
    async def add_exam(
        self,
        officer_id: Id,
        data: JSONBody[ExamIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> ExamOut:
        """General-law or specialised-law exam; 60 or more passes."""
        new = records.NewExam(data.kind, data.score, data.taken_on)
        exam = await records.record_exam(services, staff, officer_id, new)
        return exam_out(exam, services.settings.certificate_rules.pass_score)

    @get("/exams", summary="An officer's exams")
    async def exams(self, officer_id: Id, staff: StaffDep, services: ServicesDep) -> list[ExamOut]:
        pass_score = services.settings.certificate_rules.pass_score
        found = await records.list_records(staff, officer_id, Exam)
        return [exam_out(e, pass_score) for e in found]

    @post("/assessments", summary="Record an annual assessment (年度考核)")
    async def add_assessment(
        self,
        officer_id: Id,
        data: JSONBody[AssessmentIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> AssessmentOut:
        """One per officer and year; a second for the same year is 409."""
        found = await records.record_assessment(services, staff, officer_id, data.year, data.result)
        return assessment_out(found)

    @get("/assessments", summary="An officer's annual assessments")
    async def assessments(self, officer_id: Id, staff: StaffDep) -> list[AssessmentOut]:
        found = await records.list_records(staff, officer_id, Assessment)
        return [assessment_out(a) for a in found]

    @post("/sanctions", summary="Record a disciplinary sanction (处分)")
    async def add_sanction(
        self,
        officer_id: Id,
        data: JSONBody[SanctionIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> SanctionOut:
        """Without `ends_on` the statutory period applies (记过 12 months, ...)."""
        new = records.NewSanction(data.kind, data.effective_on, data.ends_on, data.reason)
        return sanction_out(await records.record_sanction(services, staff, officer_id, new))

    @get("/sanctions", summary="An officer's sanctions")
    async def sanctions(self, officer_id: Id, staff: StaffDep) -> list[SanctionOut]:
        found = await records.list_records(staff, officer_id, Sanction)
        return [sanction_out(s) for s in found]

    @get("/timeline", summary="Every event of the officer and their certificates")
    async def timeline(
        self,
        officer_id: Id,
        staff: StaffDep,
        page: PageNumber = 1,
        page_size: PageSize = 200,
    ) -> PageOut[EventOut]:
        """Oldest first: who, when, why, before and after."""
        found = await records.timeline(staff, officer_id, page, page_size)
        return page_out(found, event_out)

    @get("/eligibility", summary="Can the officer be issued a certificate today?")
    async def eligibility(
        self, officer_id: Id, staff: StaffDep, services: ServicesDep
    ) -> EligibilityOut:
        unmet = await eligibility.eligibility(services, staff, officer_id)
        return EligibilityOut(
            eligible=not unmet, unmet=[UnmetOut(u.code, u.message, u.label) for u in unmet]
        )
