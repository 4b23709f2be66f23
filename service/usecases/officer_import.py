"""Importing officers from a spreadsheet: created, or updated when the ID number is
known, through the same use cases as the API, each bad row reported with its number
(the rows run as `usecases.imports` says)."""

from __future__ import annotations

from service.domain.access import Action, Principal
from service.domain.errors import InvalidInput
from service.domain.labels import label
from service.domain.people import EmploymentType, Gender
from service.store.models import Officer
from service.store.scoping import agencies_visible, officers_visible
from service.usecases.imports import ImportReport, Progress, SeenRows, Upload, Written, run_rows
from service.usecases.officers import NewOfficer, create_officer, update_officer
from service.usecases.services import Services

# The columns: each field of the officer API with its Chinese name, which reports and
# error lists show; headers may be either, or one of the other names people use.
COLUMNS: dict[str, str] = {
    "name": "姓名",
    "id_number": "身份证号",
    "agency": "单位",
    "agency_id": "单位ID",
    "employment_type": "人员类别",
    "gender": "性别",
    "phone": "电话",
    "post": "岗位",
    "in_post": "在岗",
}
HEADERS: dict[str, str] = {
    **{field: field for field in COLUMNS},
    **{name: field for field, name in COLUMNS.items()},
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "单位 ID": "agency_id",
    "所在单位": "agency",
    "单位名称": "agency",
    "编制类型": "employment_type",
    "手机": "phone",
    "手机号": "phone",
    "联系电话": "phone",
    "职务": "post",
}
# Values in English (the API's) or Chinese (the labels, and the usual short forms).
EMPLOYMENT: dict[str, EmploymentType] = {
    **{str(kind): kind for kind in EmploymentType},
    **{label(kind): kind for kind in EmploymentType},
    "参公": EmploymentType.CIVIL_SERVANT_MANAGED,
    "事业编制": EmploymentType.PUBLIC_INSTITUTION,
    "辅助人员": EmploymentType.SUPPORT,
}
GENDER = {**{str(g): g for g in Gender}, **{label(g): g for g in Gender}}
YES = {"是": True, "在岗": True, "true": True, "1": True, "否": False, "false": False, "0": False}


async def import_officers(
    services: Services,
    principal: Principal,
    upload: Upload,
    *,
    atomic: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update (by ID number) an officer per row of the file, inside the
    caller's jurisdiction. The role is checked before the file is read. Every bad row is
    reported (row, field, code, message); the others are kept unless `atomic`.

    Raises Forbidden, and whatever the reader raises for an unreadable or oversized file
    (`import.bad_file`, `import.unknown_columns`, `import.too_large`); bad rows never
    raise.
    """
    principal.require(Action.MANAGE_OFFICERS)
    agencies = {a.name: a.id for a in await agencies_visible(principal)}
    seen = SeenRows()

    async def one(row: int, values: dict[str, str]) -> Written:
        id_number = values.get("id_number", "").upper()
        if id_number:
            seen.check(id_number, row, field="id_number", what="ID number")
        new = _officer(values, agencies)
        existing = await Officer.get_or_none(id_number=id_number)
        if existing is None:
            await create_officer(services, principal, new)
            return Written.CREATED
        if not await officers_visible(principal).filter(id=existing.id).exists():
            raise InvalidInput(
                "An officer with this ID number is registered outside your jurisdiction.",
                code="officer.duplicate_id_number",
                field="id_number",
            )
        await update_officer(services, principal, existing.id, _changes(values, new))
        return Written.UPDATED

    return await run_rows(services, upload.read, one, atomic=atomic, progress=progress)


def _officer(values: dict[str, str], agencies: dict[str, int]) -> NewOfficer:
    if values.get("agency_id"):
        if not values["agency_id"].isdigit():
            raise InvalidInput(
                "agency_id is a number.", code="officer.bad_agency", field="agency_id"
            )
        agency_id = int(values["agency_id"])
    elif values.get("agency") in agencies:
        agency_id = agencies[values["agency"]]
    else:
        raise InvalidInput(
            f"Unknown agency {values.get('agency', '')!r}.",
            code="officer.bad_agency",
            field="agency",
        )
    if values.get("in_post", "") not in ("", *YES):
        raise InvalidInput("in_post is 是 or 否.", code="import.bad_value", field="in_post")
    employment = EMPLOYMENT.get(values.get("employment_type", ""))
    if employment is None:
        raise InvalidInput(
            f"Unknown employment type {values.get('employment_type', '')!r}.",
            code="officer.bad_employment_type",
            field="employment_type",
        )
    given_gender = values.get("gender", "")
    gender = GENDER.get(given_gender)
    if given_gender and gender is None:
        raise InvalidInput("gender is 男 or 女.", code="officer.bad_gender", field="gender")
    return NewOfficer(
        name=values.get("name", ""),
        id_number=values.get("id_number", ""),
        agency_id=agency_id,
        employment_type=employment,
        gender=gender,
        phone=values.get("phone") or None,
        post=values.get("post", ""),
    )


def _changes(values: dict[str, str], new: NewOfficer) -> dict[str, object]:
    changes: dict[str, object] = {
        "name": new.name,
        "agency_id": new.agency_id,
        "employment_type": new.employment_type,
    }
    for name in ("phone", "post"):
        if name in values:
            changes[name] = values[name]
    if values.get("in_post"):
        changes["in_post"] = YES[values["in_post"]]
    return changes
