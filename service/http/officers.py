"""Officers: `/api/v1/officers` and the officer's mobile login."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromQuery, JSONBody, QueryParameter

from service.documents.tabular import rows_of
from service.domain.people import EmploymentType, Gender
from service.http.patches import sent_fields
from service.store.models import Officer
from service.usecases import accounts, officers
from service.usecases.imports import Upload
from service.usecases.officer_import import HEADERS, import_officers
from service.web.deps import ServicesDep, StaffDep
from service.web.imports import ImportOut, ImportUpload, import_out
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import Id, IdField, IdNumberField, NewPassword, QueryId

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Text = Annotated[str, msgspec.Meta(max_length=100)]
Phone = Annotated[str, msgspec.Meta(max_length=20)]


class OfficerIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    id_number: IdNumberField
    agency_id: IdField
    employment_type: EmploymentType
    gender: Gender | None = None
    phone: Phone | None = None
    post: Text = ""


class OfficerPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    post: Text | msgspec.UnsetType = msgspec.UNSET
    in_post: bool | msgspec.UnsetType = msgspec.UNSET
    employment_type: EmploymentType | msgspec.UnsetType = msgspec.UNSET
    agency_id: IdField | msgspec.UnsetType = msgspec.UNSET


class OfficerOut(msgspec.Struct):
    id: int
    name: str
    id_number: str
    gender: Gender
    birth_date: date
    phone: str | None
    agency_id: int
    agency_name: str
    employment_type: EmploymentType
    may_hold_certificate: bool
    post: str
    in_post: bool
    has_account: bool
    created_at: datetime


class AccountIn(msgspec.Struct, forbid_unknown_fields=True):
    password: NewPassword


class AccountOut(msgspec.Struct):
    username: str
    created: bool


def officer_out(officer: Officer) -> OfficerOut:
    """Needs `agency` and `account` loaded (the use cases load them)."""
    return OfficerOut(
        id=officer.id,
        name=officer.name,
        id_number=officer.id_number,
        gender=officer.gender,
        birth_date=officer.birth_date,
        phone=officer.phone,
        agency_id=officer.agency.id,
        agency_name=officer.agency.name,
        employment_type=officer.employment_type,
        may_hold_certificate=officer.employment_type.may_hold_certificate,
        post=officer.post,
        in_post=officer.in_post,
        has_account=officer.account is not None,  # type: ignore[attr-defined]
        created_at=officer.created_at,
    )


class OfficerController(Controller):
    path = "/api/v1/officers"
    tags: ClassVar[list[str]] = ["officers"]

    @post("/", summary="Register an officer")
    async def create(
        self, data: JSONBody[OfficerIn], staff: StaffDep, services: ServicesDep
    ) -> OfficerOut:
        """Register an officer. A bad ID checksum is 422, an ID number already known is 409."""
        new = officers.NewOfficer(**msgspec.structs.asdict(data))
        return officer_out(await officers.create_officer(services, staff, new))

    @post("/import", summary="Import officers from CSV or XLSX", status_code=200)
    async def import_file(
        self,
        data: Annotated[ImportUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        staff: StaffDep,
        services: ServicesDep,
        atomic: FromQuery[bool] = False,
    ) -> ImportOut:
        """Multipart `file` (CSV: UTF-8 or GBK; or XLSX) with the fields of `POST /officers`
        as headers, or their Chinese names (姓名, 身份证号, 单位 or 单位ID, 人员类别, 性别,
        电话, 岗位, 在岗). A row whose ID number is known updates that officer. Every bad
        row is reported (row as numbered in the file, field, code, message) and the others
        are kept; with `atomic=true` any bad row keeps the whole file out (`written`: false).
        An unreadable file or an unknown column is 422 (`import.bad_file`,
        `import.unknown_columns`)."""
        content = await data.file.read()
        upload = Upload(content, rows_of(content, HEADERS))
        report = await import_officers(services, staff, upload, atomic=atomic)
        return import_out(report)

    @get("/", summary="List officers")
    async def list(
        self,
        staff: StaffDep,
        page: PageNumber = 1,
        page_size: PageSize = 50,
        agency_id: QueryId = None,
        q: Annotated[str | None, QueryParameter(max_length=50)] = None,
    ) -> PageOut[OfficerOut]:
        """Officers in the caller's jurisdiction; `q` matches a name or an ID-number prefix."""
        found = await officers.list_officers(
            staff, agency_id=agency_id, q=q, page=page, page_size=page_size
        )
        return page_out(found, officer_out)

    @get("/{officer_id:int}", summary="Read an officer")
    async def read(self, officer_id: Id, staff: StaffDep) -> OfficerOut:
        return officer_out(await officers.get_officer(staff, officer_id))

    @patch("/{officer_id:int}", summary="Change an officer")
    async def update(
        self,
        officer_id: Id,
        data: JSONBody[OfficerPatch],
        staff: StaffDep,
        services: ServicesDep,
    ) -> OfficerOut:
        """Change the fields sent; the ID number cannot change."""
        given = sent_fields(data)
        return officer_out(await officers.update_officer(services, staff, officer_id, given))

    @post(
        "/{officer_id:int}/account",
        summary="Create or reset the officer's mobile login",
        responses={200: ResponseSpec(AccountOut, description="The password was reset.")},
    )
    async def account(
        self,
        officer_id: Id,
        data: JSONBody[AccountIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> Response[AccountOut]:
        """201 with the username (the ID number) when created; 200 when the password was reset."""
        login = await accounts.set_officer_login(services, staff, officer_id, data.password)
        return Response(
            AccountOut(login.username, login.created), status_code=201 if login.created else 200
        )
