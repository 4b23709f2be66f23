"""Officers: `/api/v1/officers` and the officer's mobile login."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from service.domain.people import EmploymentType, Gender
from service.http.deps import ServicesDep, StaffDep
from service.http.pages import PageNumber, PageOut, PageSize, page_out
from service.http.patches import sent_fields
from service.store.models import Officer
from service.usecases import accounts, officers

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Text = Annotated[str, msgspec.Meta(max_length=100)]
Phone = Annotated[str, msgspec.Meta(max_length=20)]


class OfficerIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    id_number: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    agency_id: int
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
    agency_id: int | msgspec.UnsetType = msgspec.UNSET


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
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


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

    @get("/", summary="List officers")
    async def list(
        self,
        staff: StaffDep,
        page: PageNumber = 1,
        page_size: PageSize = 50,
        agency_id: FromQuery[int | None] = None,
        q: Annotated[str | None, QueryParameter(max_length=50)] = None,
    ) -> PageOut[OfficerOut]:
        """Officers in the caller's jurisdiction; `q` matches a name or an ID-number prefix."""
        found = await officers.list_officers(
            staff, agency_id=agency_id, q=q, page=page, page_size=page_size
        )
        return page_out(found, officer_out)

    @get("/{officer_id:int}", summary="Read an officer")
    async def read(self, officer_id: FromPath[int], staff: StaffDep) -> OfficerOut:
        return officer_out(await officers.get_officer(staff, officer_id))

    @patch("/{officer_id:int}", summary="Change an officer")
    async def update(
        self,
        officer_id: FromPath[int],
        data: JSONBody[OfficerPatch],
        staff: StaffDep,
        services: ServicesDep,
    ) -> OfficerOut:
        """Change the fields sent; the ID number cannot change."""
        given = sent_fields(data)
        return officer_out(await officers.update_officer(services, staff, officer_id, given))

    @post("/{officer_id:int}/account", summary="Create or reset the officer's mobile login")
    async def account(
        self,
        officer_id: FromPath[int],
        data: JSONBody[AccountIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> Response[AccountOut]:
        """201 with the username (the ID number) when created; 200 when the password was reset."""
        login = await accounts.set_officer_login(services, staff, officer_id, data.password)
        return Response(
            AccountOut(login.username, login.created), status_code=201 if login.created else 200
        )
