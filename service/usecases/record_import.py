"""Importing hours and exam results kept elsewhere: another platform's records, or a
training provider (党校, a sector department, an online platform) reporting completions in
bulk instead of every officer filing a claim.

Hours become ledger entries with source `import`, each with an `import` event on the
officer's chain; exams are recorded as the API records them. Each is attributed to the
importing account and to the file (its SHA-256 and row). An entry is known by its
officer, date, title and provider, an exam by its officer, kind and date, so a file
imported again changes nothing. The rows run as `usecases.imports` says.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from service.domain.access import Action, Principal
from service.domain.errors import Conflict, InvalidInput
from service.domain.events import Actor, Change, EventAction
from service.domain.hours import HourCategory, LedgerSource, as_hours, parse_tenths
from service.domain.labels import label
from service.domain.people import ExamKind
from service.store import events
from service.store.models import Exam, HourEntry
from service.store.officers import lock_officer
from service.usecases import records
from service.usecases.imports import (
    ImportReport,
    Progress,
    Upload,
    Written,
    cell_date,
    officer_of_row,
    run_rows,
    text_of,
)
from service.usecases.services import Services

HOUR_COLUMNS: dict[str, str] = {
    "id_number": "身份证号",
    "name": "姓名",
    "date": "日期",
    "category": "类别",
    "hours": "学时",
    "title": "培训名称",
    "provider": "组织单位",
}
EXAM_COLUMNS: dict[str, str] = {
    "id_number": "身份证号",
    "name": "姓名",
    "kind": "考试类别",
    "score": "分数",
    "taken_on": "考试日期",
}


def headers(columns: dict[str, str], **more: str) -> dict[str, str]:
    """Every header a column may have: its API name, its Chinese name, and `more`."""
    return {
        **{name: name for name in columns},
        **{chinese: name for name, chinese in columns.items()},
        "身份证号码": "id_number",
        "公民身份号码": "id_number",
        **more,
    }


HOUR_HEADERS = headers(
    HOUR_COLUMNS, 培训日期="date", 完成日期="date", 学时类别="category", 课程名称="title",
    培训单位="provider", 主办单位="provider",
)  # fmt: skip
EXAM_HEADERS = headers(EXAM_COLUMNS, 成绩="score", 考试成绩="score", 类别="kind")
CATEGORIES: dict[str, HourCategory] = {
    **{str(c): c for c in HourCategory},
    **{label(c): c for c in HourCategory},
    "公共法律": HourCategory.PUBLIC_LAW,
    "公共法律知识培训": HourCategory.PUBLIC_LAW,
    "专业知识": HourCategory.PROFESSIONAL,
    "业务知识": HourCategory.PROFESSIONAL,
    "专业培训": HourCategory.PROFESSIONAL,
    "政治理论培训": HourCategory.POLITICAL,
}
EXAM_KINDS: dict[str, ExamKind] = {
    **{str(k): k for k in ExamKind},
    **{label(k): k for k in ExamKind},
    "综合法律知识考试": ExamKind.GENERAL_LAW,
    "专业法律知识考试": ExamKind.SPECIALISED,
}
MAX_TENTHS = 1000  # 100 h in one entry is more than any training gives


async def import_hours(
    services: Services,
    principal: Principal,
    upload: Upload,
    *,
    atomic: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """One ledger entry (source `import`) per row, for officers of the caller's
    jurisdiction; an entry known already (officer, date, title, provider) is left alone.

    Rows are refused for a bad ID number, an officer not found, a name that differs, a
    date in the future, an unknown category, hours that are not 0.5 to 100 in tenths, an
    empty title or provider. Raises Forbidden, and what the reader raises for the file.
    """
    principal.require(Action.REVIEW_CLAIMS)
    actor, sha256, today = Actor.of(principal), upload.sha256, services.today()

    async def one(row: int, values: dict[str, str]) -> Written:
        officer = await officer_of_row(principal, values, today)
        day = cell_date(values, "date", code="hours.bad_date", today=today)
        if day is None:
            raise InvalidInput("Give the day of the training.", code="hours.bad_date", field="date")
        raw_category = values.get("category", "").strip()
        category = CATEGORIES.get(raw_category) or CATEGORIES.get(raw_category.lower())
        if category is None:
            raise InvalidInput(
                f"Unknown category {raw_category!r}: 公共法律知识, 业务知识和行政执法技能 "
                "or 政治理论.",
                code="hours.bad_category",
                field="category",
            )
        tenths = parse_tenths(values.get("hours", "").strip() or "x", field="hours")
        if not 0 < tenths <= MAX_TENTHS:
            raise InvalidInput(
                "An entry has 0.1 to 100 hours.", code="hours.bad_value", field="hours"
            )
        title = text_of(values, "title", code="hours.bad_title")
        provider = text_of(values, "provider", code="hours.bad_provider")
        await lock_officer(officer.id)  # two imports of one file queue up, and see each other
        known = HourEntry.filter(
            officer_id=officer.id, occurred_on=day, title=title, provider=provider
        )
        if await known.filter(source=LedgerSource.IMPORT).exists():
            return Written.UNCHANGED
        entry = await HourEntry.create(
            officer_id=officer.id,
            year=day.year,
            category=category,
            tenths=tenths,
            source=LedgerSource.IMPORT,
            title=title,
            provider=provider,
            source_file=sha256,
            reason=f"第{row}行",
            actor_id=actor.account_id,
            occurred_on=day,
        )
        after = {
            "kind": "hours", "entry_id": entry.id, "category": str(category),
            "hours": as_hours(tenths), "date": day.isoformat(), "title": title,
            "provider": provider, "file_sha256": sha256, "row": row,
        }  # fmt: skip
        reason = f"导入学时（SHA-256 {sha256[:12]}…，第{row}行）"
        await events.append(
            officer.id,
            Change(EventAction.IMPORT, actor, services.now(), reason=reason, after=after),
        )
        return Written.CREATED

    return await run_rows(services, upload.read, one, atomic=atomic, progress=progress)


async def import_exams(
    services: Services,
    principal: Principal,
    upload: Upload,
    *,
    atomic: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """One exam result per row, for officers of the caller's jurisdiction, recorded as
    `POST /officers/{id}/exams` records it; the same exam (officer, kind, day) with the
    same score is left alone, with another score refused (`exam.conflicting_score`).

    Raises Forbidden, and what the reader raises for the file; bad rows never raise.
    """
    principal.require(Action.MANAGE_CERTIFICATES)
    sha256, today = upload.sha256, services.today()

    async def one(row: int, values: dict[str, str]) -> Written:
        officer = await officer_of_row(principal, values, today)
        raw_kind = values.get("kind", "").strip()
        kind = EXAM_KINDS.get(raw_kind) or EXAM_KINDS.get(raw_kind.lower())
        if kind is None:
            raise InvalidInput(
                f"Unknown exam {raw_kind!r}: 综合法律知识 or 专业法律知识.",
                code="exam.bad_kind",
                field="kind",
            )
        try:
            score = Decimal(values.get("score", "").strip())
        except InvalidOperation:
            raise InvalidInput(
                "A score is a number.", code="exam.bad_score", field="score"
            ) from None
        if not score.is_finite():
            raise InvalidInput("A score is a number.", code="exam.bad_score", field="score")
        taken_on = cell_date(values, "taken_on", code="exam.bad_date", today=today)
        if taken_on is None:
            raise InvalidInput("Give the day of the exam.", code="exam.bad_date", field="taken_on")
        await lock_officer(officer.id)
        known = await Exam.filter(officer_id=officer.id, kind=kind, taken_on=taken_on).first()
        if known is not None:
            if Decimal(known.score) != score:
                raise Conflict(
                    f"A score of {known.score} is recorded for this exam already.",
                    code="exam.conflicting_score",
                    field="score",
                )
            return Written.UNCHANGED
        new = records.NewExam(kind, score, taken_on)
        await records.record_exam(services, principal, officer.id, new, source=(sha256, row))
        return Written.CREATED

    return await run_rows(services, upload.read, one, atomic=atomic, progress=progress)
