"""Taking in the certificates a bureau issued before it used this service, as printed.

An imported certificate keeps its number (marked `legacy`, looked up as printed), gets
its bit in the public status list and an `import` event naming the file's SHA-256 and the
row, and from then on is like any other: reviewed, suspended, printed with a signed QR.
A number already imported for the same officer is left as it is, so a file imported
twice creates nothing the second time; corrections go through the lifecycle.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from service.domain.access import Action, Principal
from service.domain.certificates import (
    CertificateStatus,
    effective_status,
    validate_area,
    validate_categories,
)
from service.domain.errors import Conflict, InvalidInput
from service.domain.events import Actor, Change, EventAction
from service.domain.numbering import parse_number
from service.domain.text import collapse
from service.store import events
from service.store.certificates import effective_status_is, snapshot
from service.store.models import Agency, Certificate, Officer
from service.store.officers import lock_officer
from service.store.regions import nearest_justice_bureau
from service.usecases.certificates.numbering import status_index
from service.usecases.imports import (
    ImportReport,
    Progress,
    SeenRows,
    Upload,
    Written,
    cell_date,
    cell_year,
    officer_of_row,
    run_rows,
    text_of,
)
from service.usecases.services import Services

COLUMNS: dict[str, str] = {
    "number": "证号",
    "id_number": "身份证号",
    "name": "姓名",
    "valid_from": "发证日期",
    "valid_until": "有效期至",
    "status": "状态",
    "enforcement_area": "执法区域",
    "enforcement_categories": "执法类别",
    "issuing_agency": "发证机关",
    "last_review_year": "最近年审年度",
    "suspended_until": "暂扣至",
}
HEADERS: dict[str, str] = {
    **{name: name for name in COLUMNS},
    **{chinese: name for name, chinese in COLUMNS.items()},
    "执法证号": "number",
    "证件编号": "number",
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "有效期起": "valid_from",
    "有效期自": "valid_from",
    "证件状态": "status",
    "年审年度": "last_review_year",
}
# The statuses a certificate in someone's hands can have; pending and void ones are not
# imported (an application is filed here; a void card is not carried).
IMPORTABLE = (
    CertificateStatus.ACTIVE,
    CertificateStatus.SUSPENDED,
    CertificateStatus.REVOKED,
    CertificateStatus.CANCELLED,
    CertificateStatus.EXPIRED,
)
STATUSES: dict[str, CertificateStatus] = {
    **{str(status): status for status in IMPORTABLE},
    **{status.label: status for status in IMPORTABLE},
    "正常": CertificateStatus.ACTIVE,
    "吊销": CertificateStatus.REVOKED,
    "注销": CertificateStatus.CANCELLED,
    "过期": CertificateStatus.EXPIRED,
}
_CATEGORY_SEPARATORS = re.compile(r"[、;；,，/]")


async def import_certificates(
    services: Services,
    principal: Principal,
    upload: Upload,
    *,
    atomic: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Take in one certificate per row, for officers of the caller's jurisdiction (import
    the officers first). Every bad row is reported; the others are kept unless `atomic`.

    A row is refused for a malformed number or date, an unknown status, area, category or
    issuing authority, an officer not found in the jurisdiction or whose name differs, a
    number another officer holds (`certificate.duplicate_number`, across the whole
    service) and a live certificate for an officer who holds one already
    (`certificate.already_held`). Raises Forbidden, and for an unreadable file what the
    reader raises (`import.bad_file`, `import.unknown_columns`, `import.too_large`).
    """
    principal.require(Action.MANAGE_CERTIFICATES)
    seen = SeenRows()
    actor = Actor.of(principal)
    sha256 = upload.sha256
    today = services.today()
    agencies: dict[str, int] = dict(await Agency.all().values_list("name", "id"))

    async def one(row: int, values: dict[str, str]) -> Written:
        number = parse_number(
            text_of(values, "number", code="certificate.bad_number", max_length=32)
        )
        seen.check(number, row, field="number", what="certificate number")
        officer = await officer_of_row(principal, values, today)
        given = _facts(values, services, agencies)
        async with services.unit_of_work() as uow:
            await lock_officer(officer.id)  # imports and lifecycle changes of one officer queue
            existing = await Certificate.get_or_none(number=number)
            if existing is not None:
                if existing.officer_id != officer.id:  # type: ignore[attr-defined]
                    raise Conflict(
                        f"The number {number} belongs to another officer's certificate.",
                        code="certificate.duplicate_number",
                        field="number",
                    )
                return Written.UNCHANGED
            if _live(given, today) and await _holds_live(officer, today):
                raise Conflict(
                    f"{officer.name} holds a live certificate already: cancel or let it end "
                    "before importing another.",
                    code="certificate.already_held",
                    field="status",
                )
            if not given.get("issuing_agency_id"):
                region: str = officer.agency.region_id  # type: ignore[attr-defined]
                bureau = await nearest_justice_bureau(region)
                given["issuing_agency_id"] = bureau.id if bureau else None
            certificate = await Certificate.create(
                officer_id=officer.id,
                number=number,
                legacy=True,
                status_index=await status_index(),
                status_reason=f"导入（第{row}行）",
                **given,
            )
            uow.public_views_changed()
            after = {**snapshot(certificate), "file_sha256": sha256, "row": row}
            change = Change(
                EventAction.IMPORT,
                actor,
                services.now(),
                certificate.id,
                reason=f"从文件导入执法证（SHA-256 {sha256[:12]}…，第{row}行）",
                after=after,
            )
            await events.append(officer.id, change)
        return Written.CREATED

    return await run_rows(services, upload.read, one, atomic=atomic, progress=progress)


def _facts(values: dict[str, str], services: Services, agencies: dict[str, int]) -> dict[str, Any]:
    """The certificate's fields from a row's cells, each checked."""
    today = services.today()
    valid_from = cell_date(values, "valid_from", code="certificate.bad_dates", today=today)
    if valid_from is None:
        raise InvalidInput(
            "Give the day of issue.", code="certificate.bad_dates", field="valid_from"
        )
    valid_until = cell_date(values, "valid_until", code="certificate.bad_dates", future=True)
    if valid_until is None:
        valid_until = services.settings.certificate_rules.valid_until(valid_from)
    if valid_until < valid_from:
        raise InvalidInput(
            "A certificate cannot end before it was issued.",
            code="certificate.bad_dates",
            field="valid_until",
        )
    raw_status = values.get("status", "").strip() or str(CertificateStatus.ACTIVE)
    status = STATUSES.get(raw_status.lower()) or STATUSES.get(raw_status)
    if status is None:
        raise InvalidInput(
            f"Unknown status {raw_status!r}: 有效, 暂扣, 已吊销, 已注销 or 已过期.",
            code="certificate.bad_status",
            field="status",
        )
    suspended_until = cell_date(
        values, "suspended_until", code="certificate.bad_dates", future=True
    )
    if suspended_until is not None and status is not CertificateStatus.SUSPENDED:
        raise InvalidInput(
            "暂扣至 is given only for a suspended certificate.",
            code="certificate.bad_dates",
            field="suspended_until",
        )
    if suspended_until is not None and suspended_until < valid_from:
        raise InvalidInput(
            "A suspension cannot end before the certificate was issued.",
            code="certificate.bad_dates",
            field="suspended_until",
        )
    last_review = cell_year(values, "last_review_year", code="certificate.bad_review_year")
    if last_review is not None and not valid_from.year <= last_review < today.year:
        raise InvalidInput(
            f"The last annual review year is a finished year from {valid_from.year}.",
            code="certificate.bad_review_year",
            field="last_review_year",
        )
    categories = [c for c in _CATEGORY_SEPARATORS.split(values.get("enforcement_categories", ""))]
    issuer = collapse(values.get("issuing_agency", ""))
    if issuer and issuer not in agencies:
        raise InvalidInput(
            f"No agency is named {issuer!r}: add the issuing authority first, or leave the "
            "column empty for the justice bureau of the officer's region.",
            code="certificate.unknown_issuer",
            field="issuing_agency",
        )
    return {
        "status": status,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "suspended_until": suspended_until,
        "ended_on": valid_until if status is CertificateStatus.EXPIRED else None,
        "enforcement_area": validate_area(values.get("enforcement_area", "")),
        "enforcement_categories": validate_categories([c for c in categories if c.strip()]),
        "issuing_agency_id": agencies.get(issuer),
        "last_review_year": last_review,
    }


def _live(given: dict[str, Any], today: date) -> bool:
    status = effective_status(
        given["status"], given["valid_until"], given["suspended_until"], today
    )
    return status.is_current


async def _holds_live(officer: Officer, today: date) -> bool:
    live = effective_status_is(CertificateStatus.ACTIVE, today) | effective_status_is(
        CertificateStatus.SUSPENDED, today
    )
    return await Certificate.filter(live, officer_id=officer.id).exists()
